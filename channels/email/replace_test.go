package email

import (
	"testing"
	"time"

	"huiliu/channels/channeltest"
)

// A mailbox added while the channel runs is imported without a restart;
// one removed stops (its lease is given back) and one added again carries
// on from the stored position.
func TestReplaceStartsAndStopsPollers(t *testing.T) {
	imapc, mb := testFolder(t)
	leases := &testLeases{}
	state := newMemState()
	c, err := New(nil, Deps{Leases: leases, State: state, Threads: newMemThreads(), Bounces: &memBounces{}, Holder: "node-a"})
	if err != nil {
		t.Fatal(err)
	}
	c.retryBase = 50 * time.Millisecond
	c.leaseTTL = time.Second
	sink := channeltest.NewSink(t, ChannelName)
	run(t, c, sink)

	if err := c.Replace([]Mailbox{mb}); err != nil {
		t.Fatal(err)
	}
	appendMail(t, imapc, mb.Folder, mailText("a", "replace-1", "first"))
	sink.WaitStored(t, 1)

	// The same settings again keep the running poller (and its state).
	before, _ := c.box(mb.Name)
	if err := c.Replace([]Mailbox{mb}); err != nil {
		t.Fatal(err)
	}
	if after, _ := c.box(mb.Name); after != before {
		t.Error("an unchanged mailbox was rebuilt")
	}

	// An invalid set changes nothing.
	bad := mb
	bad.Address = "not an address"
	if err := c.Replace([]Mailbox{bad}); err == nil {
		t.Fatal("an invalid mailbox was accepted")
	}
	if got := c.Mailboxes(); len(got) != 1 || got[0].Address != mb.Address {
		t.Fatalf("mailboxes after a refused replace: %+v", got)
	}

	if err := c.Replace(nil); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the lease given back", func() bool {
		leases.mu.Lock()
		defer leases.mu.Unlock()
		_, held := leases.m["email:poll:"+mb.Name]
		return !held
	})
	if len(c.Mailboxes()) != 0 {
		t.Fatal("the removed mailbox is still listed")
	}

	appendMail(t, imapc, mb.Folder, mailText("b", "replace-2", "second"))
	if err := c.Replace([]Mailbox{mb}); err != nil {
		t.Fatal(err)
	}
	sink.WaitStored(t, 2)
	if n := len(sink.Texts()); n != 2 {
		t.Fatalf("stored %d mails, want 2 (none twice)", n)
	}
}
