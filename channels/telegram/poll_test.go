package telegram

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"huiliu/channels"
	"huiliu/channels/telegram/telegramtest"
)

func TestPollingIngestsInOrderAndAcksAfterCommit(t *testing.T) {
	f := newFixture(t)
	// A webhook left by an earlier deployment must not block polling.
	f.fake.SetWebhook("https://old.example/telegram/main/webhook", "x")
	var offsetBehind = true
	f.sink.afterCommit = func(in channels.Inbound) {
		id, _ := strconv.ParseInt(in.ExternalID[len("main:"):], 10, 64)
		if f.offsets.get("main") > id {
			offsetBehind = false
		}
	}
	ids := f.fake.Push(
		telegramtest.Private(1001, "Li", "你好"),
		telegramtest.Private(1001, "Li", "second"),
		telegramtest.Private(1002, "Wang", "third"),
	)
	c := f.channel(t, nil)
	f.run(t, c)
	waitFor(t, "offset after the last update", func() bool { return f.offsets.get("main") == int64(ids[2]+1) })
	got := f.sink.messages()
	if len(got) != 3 {
		t.Fatalf("stored %d messages, want 3", len(got))
	}
	// Order holds within a chat; chats are stored side by side.
	byExt := map[string]channels.Inbound{}
	var chat1001 []string
	for _, m := range got {
		byExt[m.ExternalID] = m
		if m.ThreadKey == "main:1001" {
			chat1001 = append(chat1001, m.Text)
		}
	}
	for i, want := range []string{"你好", "second", "third"} {
		if m := byExt["main:"+strconv.Itoa(ids[i])]; m.Text != want {
			t.Errorf("update %d stored as %q, want %q", ids[i], m.Text, want)
		}
	}
	if fmt.Sprint(chat1001) != "[你好 second]" {
		t.Errorf("chat 1001 stored in the order %v", chat1001)
	}
	got[0] = byExt["main:"+strconv.Itoa(ids[0])]
	if got[0].ThreadKey != "main:1001" || got[0].From.Kind != "telegram" || got[0].From.Value != "1001" || got[0].From.Name != "Li" {
		t.Errorf("first message envelope = %+v", got[0])
	}
	if !offsetBehind {
		t.Error("the offset moved past an update before the sink returned")
	}
	if f.fake.Calls("deleteWebhook") == 0 {
		t.Error("polling started without deleteWebhook")
	}
	if url, _ := f.fake.Webhook(); url != "" {
		t.Errorf("webhook still set: %q", url)
	}
	// The next poll confirms the updates with Telegram.
	waitFor(t, "updates confirmed", func() bool { return f.fake.Pending() == 0 })
}

func TestPollingRetriesTheSameUpdateWhenTheSinkFails(t *testing.T) {
	f := newFixture(t)
	f.sink.failNext = 2
	ids := f.fake.Push(
		telegramtest.Private(1001, "Li", "one"),
		telegramtest.Private(1001, "Li", "two"),
	)
	c := f.channel(t, nil)
	f.run(t, c)
	waitFor(t, "both stored", func() bool { return f.offsets.get("main") == int64(ids[1]+1) })
	first := "main:" + strconv.Itoa(ids[0])
	second := "main:" + strconv.Itoa(ids[1])
	calls := f.sink.callLog()
	want := []string{first, first, first, second}
	if len(calls) != len(want) {
		t.Fatalf("sink calls = %v, want %v", calls, want)
	}
	for i := range want {
		if calls[i] != want[i] {
			t.Fatalf("sink calls = %v, want %v", calls, want)
		}
	}
	if msgs := f.sink.messages(); len(msgs) != 2 || msgs[0].Text != "one" || msgs[1].Text != "two" {
		t.Fatalf("stored %+v", msgs)
	}
}

func TestPollingCrashBetweenCommitAndOffset(t *testing.T) {
	f := newFixture(t)
	ids := f.fake.Push(telegramtest.Private(1001, "Li", "only once"))
	ctx1, crash := context.WithCancel(context.Background())
	f.sink.afterCommit = func(channels.Inbound) {
		// The commit landed; the process dies before the offset write.
		f.offsets.setDrop(true)
		crash()
	}
	c1 := f.channel(t, nil)
	done := make(chan struct{})
	go func() { defer close(done); _ = c1.Run(ctx1, f.sink) }()
	<-done
	if f.offsets.get("main") != 0 {
		t.Fatal("offset written despite the crash")
	}

	f.sink.mu.Lock()
	f.sink.afterCommit = nil
	f.sink.mu.Unlock()
	f.offsets.setDrop(false)
	c2 := f.channel(t, nil)
	f.run(t, c2)
	waitFor(t, "offset after the redelivered update", func() bool { return f.offsets.get("main") == int64(ids[0]+1) })
	if n := len(f.sink.messages()); n != 1 {
		t.Fatalf("stored %d messages, want 1", n)
	}
	if n := len(f.sink.callLog()); n != 2 {
		t.Fatalf("sink called %d times, want 2 (the second a duplicate)", n)
	}
}

func TestOnlyTheLeaseHolderPolls(t *testing.T) {
	f := newFixture(t)
	var ta, tb countingTransport
	a := f.channel(t, func(_ *Config, d *Deps) {
		d.HTTPClient = &http.Client{Transport: &ta}
		d.Leases = deadNode{f.leases} // node A will die without releasing
	})
	b := f.channel(t, func(_ *Config, d *Deps) { d.HTTPClient = &http.Client{Transport: &tb} })
	stopA := f.run(t, a)
	waitFor(t, "A polls", func() bool { return f.leases.holder(leaseName("main")) == a.holder && ta.polls.Load() > 0 })
	f.run(t, b)
	waitFor(t, "B tries the lease a few times", func() bool { return f.leases.refusedCount(b.holder) >= 3 })

	id1 := f.fake.Push(telegramtest.Private(1001, "Li", "to A"))[0]
	waitFor(t, "A stores the first update", func() bool { return f.offsets.get("main") == int64(id1+1) })
	if n := tb.polls.Load(); n != 0 {
		t.Fatalf("B polled %d times while A held the lease", n)
	}

	stopA()
	waitFor(t, "B takes over", func() bool { return f.leases.holder(leaseName("main")) == b.holder && tb.polls.Load() > 0 })
	id2 := f.fake.Push(telegramtest.Private(1001, "Li", "to B"))[0]
	waitFor(t, "B stores the second update", func() bool { return f.offsets.get("main") == int64(id2+1) })
	if n := len(f.sink.messages()); n != 2 {
		t.Fatalf("stored %d messages, want 2", n)
	}
	if n := f.fake.Conflicts(); n != 0 {
		t.Fatalf("%d getUpdates conflicts: two nodes polled at once", n)
	}
}

// TestPollingKeepsEachChatInOrderWhileChatsRunSideBySide: a failure in one
// chat holds back that chat's later updates and the offset, but not the
// other chats; the retry stores the held-back update once, in order.
func TestPollingKeepsEachChatInOrderWhileChatsRunSideBySide(t *testing.T) {
	f := newFixture(t)
	ids := f.fake.Push(
		telegramtest.Private(2001, "A", "a1"),
		telegramtest.Private(2002, "B", "b1"),
		telegramtest.Private(2002, "B", "b2"),
		telegramtest.Private(2001, "A", "a2"),
	)
	f.sink.failFor = map[string]int{"main:" + strconv.Itoa(ids[1]): 1}
	c := f.channel(t, nil)
	f.run(t, c)
	waitFor(t, "all stored", func() bool { return f.offsets.get("main") == int64(ids[3]+1) })
	got := map[string][]string{}
	for _, m := range f.sink.messages() {
		got[m.ThreadKey] = append(got[m.ThreadKey], m.Text)
	}
	if fmt.Sprint(got["main:2001"]) != "[a1 a2]" || fmt.Sprint(got["main:2002"]) != "[b1 b2]" {
		t.Fatalf("stored per chat = %v", got)
	}
	if n := len(f.sink.messages()); n != 4 {
		t.Fatalf("stored %d messages, want 4 (no duplicates)", n)
	}
	// b2 waited for b1: it was never offered before b1 was stored.
	calls := f.sink.callLog()
	b1, b2 := "main:"+strconv.Itoa(ids[1]), "main:"+strconv.Itoa(ids[2])
	firstB2 := slices.Index(calls, b2)
	lastB1 := -1
	for i, c := range calls {
		if c == b1 {
			lastB1 = i
		}
	}
	if firstB2 < 0 || lastB1 > firstB2 || countOf(calls, b1) != 2 {
		t.Fatalf("sink calls = %v", calls)
	}
}

func countOf(xs []string, x string) int {
	n := 0
	for _, v := range xs {
		if v == x {
			n++
		}
	}
	return n
}
