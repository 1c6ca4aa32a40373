package telegram

import (
	"context"
	"net/http"
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
	run(t, c)
	waitFor(t, "offset after the last update", func() bool { return f.offsets.get("main") == int64(ids[2]+1) })
	got := f.sink.messages()
	if len(got) != 3 {
		t.Fatalf("stored %d messages, want 3", len(got))
	}
	for i, want := range []string{"你好", "second", "third"} {
		if got[i].Text != want || got[i].ExternalID != "main:"+strconv.Itoa(ids[i]) {
			t.Errorf("message %d = %q %q, want %q main:%d", i, got[i].Text, got[i].ExternalID, want, ids[i])
		}
	}
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
	run(t, c)
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
	go func() { defer close(done); _ = c1.Run(ctx1) }()
	<-done
	if f.offsets.get("main") != 0 {
		t.Fatal("offset written despite the crash")
	}

	f.sink.mu.Lock()
	f.sink.afterCommit = nil
	f.sink.mu.Unlock()
	f.offsets.setDrop(false)
	c2 := f.channel(t, nil)
	run(t, c2)
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
	stopA := run(t, a)
	waitFor(t, "A polls", func() bool { return f.leases.holder(leaseName("main")) == a.holder && ta.polls.Load() > 0 })
	run(t, b)
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
