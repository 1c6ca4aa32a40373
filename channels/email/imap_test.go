package email

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap"

	"huiliu/channels"
	"huiliu/channels/channeltest"
)

func newTestChannel(t testing.TB, mb Mailbox, deps Deps) *Channel {
	t.Helper()
	if deps.Leases == nil {
		deps.Leases = &testLeases{}
	}
	if deps.State == nil {
		deps.State = newMemState()
	}
	if deps.Threads == nil {
		deps.Threads = newMemThreads()
	}
	if deps.Bounces == nil {
		deps.Bounces = &memBounces{}
	}
	if deps.Holder == "" {
		deps.Holder = "node-a"
	}
	c, err := New([]Mailbox{mb}, deps)
	if err != nil {
		t.Fatal(err)
	}
	c.retryBase = 50 * time.Millisecond
	c.leaseTTL = time.Second
	return c
}

// waitFor polls cond until it holds; the guard only turns a hang into a
// failure.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestIMAPIdleImportsNewMailAndFlagsSeen(t *testing.T) {
	imapc, mb := testFolder(t)
	mb.PollInterval = time.Hour // only IDLE can bring the second mail in
	c := newTestChannel(t, mb, Deps{})
	sink := channeltest.NewSink(t, ChannelName)
	run(t, c, sink)
	appendMail(t, imapc, mb.Folder, mailText("a", "idle-1", "first"))
	sink.WaitStored(t, 1)
	time.Sleep(200 * time.Millisecond) // the session is idling now
	appendMail(t, imapc, mb.Folder, mailText("a", "idle-2", "second"))
	sink.WaitStored(t, 2)

	// Both were flagged \Seen after their commit.
	if _, err := imapc.Select(mb.Folder, true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "both mails \\Seen", func() bool {
		crit := imap.NewSearchCriteria()
		crit.WithoutFlags = []string{imap.SeenFlag}
		ids, err := imapc.Search(crit)
		return err == nil && len(ids) == 0
	})
}

func TestIMAPMoveAfterImport(t *testing.T) {
	imapc, mb := testFolder(t)
	if err := imapc.Create(mb.Folder + "-done"); err != nil {
		t.Fatal(err)
	}
	mb.AfterImport = "move:" + mb.Folder + "-done"
	c := newTestChannel(t, mb, Deps{})
	sink := channeltest.NewSink(t, ChannelName)
	run(t, c, sink)
	appendMail(t, imapc, mb.Folder, mailText("a", "move-1", "move me"))
	sink.WaitStored(t, 1)
	waitFor(t, "the mail moved", func() bool {
		st, err := imapc.Status(mb.Folder+"-done", []imap.StatusItem{imap.StatusMessages})
		src, err2 := imapc.Status(mb.Folder, []imap.StatusItem{imap.StatusMessages})
		return err == nil && err2 == nil && st.Messages == 1 && src.Messages == 0
	})
}

// failingState fails SetPosition while fail is set: a crash between the
// commit and recording the position.
type failingState struct {
	*memState
	mu   sync.Mutex
	fail int
}

func (f *failingState) SetPosition(ctx context.Context, mb string, v, uid int64, at time.Time) error {
	f.mu.Lock()
	if f.fail > 0 && uid > 0 {
		f.fail--
		f.mu.Unlock()
		return errors.New("disk full")
	}
	f.mu.Unlock()
	return f.memState.SetPosition(ctx, mb, v, uid, at)
}

func TestIMAPCrashBeforePositionCreatesNothingTwice(t *testing.T) {
	imapc, mb := testFolder(t)
	st := &failingState{memState: newMemState(), fail: 2}
	c := newTestChannel(t, mb, Deps{State: st})
	sink := channeltest.NewSink(t, ChannelName)
	for i := range 5 {
		appendMail(t, imapc, mb.Folder, mailText(fmt.Sprint("c", i), fmt.Sprint("crash-", i), fmt.Sprint("mail ", i)))
	}
	stop := run(t, c, sink)
	sink.WaitStored(t, 5)
	waitFor(t, "the position to move", func() bool { _, uid, _ := st.Position(context.Background(), mb.Name); return uid == 5 })
	stop()
	// A restart (a new process: fresh channel, same SQL state) reads from
	// the recorded position and stores nothing again.
	c2 := newTestChannel(t, mb, Deps{State: st})
	run(t, c2, sink)
	appendMail(t, imapc, mb.Folder, mailText("d", "after-restart", "after restart"))
	sink.WaitStored(t, 6)
	if n := len(sink.Texts()); n != 6 {
		t.Fatalf("stored %d messages, want 6: %q", n, sink.Texts())
	}
	// The failed positions made the first mails come again; the desk
	// dropped them by Message-ID.
	if calls := len(sink.Calls()); calls <= 6 {
		t.Errorf("%d mails handed over: the failed position did not make the import come again", calls)
	}
}

func TestIMAPUIDValidityChangeCreatesNothingTwice(t *testing.T) {
	imapc, mb := testFolder(t)
	st := newMemState()
	c := newTestChannel(t, mb, Deps{State: st})
	sink := channeltest.NewSink(t, ChannelName)
	mails := [][]byte{mailText("a", "uv-1", "one"), mailText("b", "uv-2", "two")}
	for _, m := range mails {
		appendMail(t, imapc, mb.Folder, m)
	}
	stop := run(t, c, sink)
	sink.WaitStored(t, 2)
	stop()
	old, _, _ := st.Position(context.Background(), mb.Name)

	// The folder is recreated with the same mails (a server migration):
	// new UIDVALIDITY, UIDs from 1 again.
	if err := imapc.Delete(mb.Folder); err != nil {
		t.Fatal(err)
	}
	time.Sleep(1100 * time.Millisecond) // Dovecot's UIDVALIDITY is a timestamp
	if err := imapc.Create(mb.Folder); err != nil {
		t.Fatal(err)
	}
	for _, m := range mails {
		appendMail(t, imapc, mb.Folder, m)
	}
	appendMail(t, imapc, mb.Folder, mailText("c", "uv-3", "three"))
	if uidValidity(t, imapc, mb.Folder) == uint32(old) {
		t.Fatal("the server kept UIDVALIDITY; the test cannot run")
	}
	c2 := newTestChannel(t, mb, Deps{State: st})
	run(t, c2, sink)
	sink.WaitStored(t, 3)
	waitFor(t, "the new position", func() bool {
		v, uid, _ := st.Position(context.Background(), mb.Name)
		return v != old && uid == 3
	})
	if got := sink.Texts(); len(got) != 3 {
		t.Fatalf("stored %q, want one, two, three once each", got)
	}
}

func TestIMAPTwoNodesStoreEachMailOnce(t *testing.T) {
	imapc, mb := testFolder(t)
	leases := &testLeases{}
	st := newMemState()
	sink := channeltest.NewSink(t, ChannelName)
	a := newTestChannel(t, mb, Deps{Leases: leases, State: st, Holder: "node-a"})
	b := newTestChannel(t, mb, Deps{Leases: leases, State: st, Holder: "node-b"})
	stopA := run(t, a, sink)
	run(t, b, sink)
	for i := range 10 {
		appendMail(t, imapc, mb.Folder, mailText(fmt.Sprint("n", i), fmt.Sprint("two-", i), fmt.Sprint("two nodes ", i)))
	}
	sink.WaitStored(t, 10)
	stopA() // node A goes away; B takes the lease over
	for i := 10; i < 15; i++ {
		appendMail(t, imapc, mb.Folder, mailText(fmt.Sprint("n", i), fmt.Sprint("two-", i), fmt.Sprint("two nodes ", i)))
	}
	sink.WaitStored(t, 15)
	if calls := len(sink.Calls()); calls != 15 {
		t.Errorf("%d mails handed to the desk for 15 stored: both nodes imported", calls)
	}
}

func TestIMAPWrongPasswordIsShownAndRetried(t *testing.T) {
	_, mb := testFolder(t)
	mb.IMAP.Password = "wrong"
	st := newMemState()
	c := newTestChannel(t, mb, Deps{State: st})
	run(t, c, channeltest.NewSink(t, ChannelName))
	waitFor(t, "the mailbox to report the refused login", func() bool {
		h := st.Health(mb.Name)
		return h[0] == stateFailing && strings.Contains(h[1], "login")
	})
	if strings.Contains(st.Health(mb.Name)[1], "wrong") {
		t.Fatal("the password appears in the recorded error")
	}
}

func TestIMAPMissingFolderIsShown(t *testing.T) {
	_, mb := testFolder(t)
	mb.Folder = "does-not-exist-" + randHex(3)
	st := newMemState()
	c := newTestChannel(t, mb, Deps{State: st})
	run(t, c, channeltest.NewSink(t, ChannelName))
	waitFor(t, "the mailbox to report the missing folder", func() bool {
		h := st.Health(mb.Name)
		return h[0] == stateFailing && strings.Contains(h[1], mb.Folder)
	})
}

// refusingSink fails every mail whose text holds "poison" and counts the
// tries.
type refusingSink struct {
	*channeltest.Sink
	mu    sync.Mutex
	tries int
}

func (r *refusingSink) Ingest(ctx context.Context, in channels.Inbound) (channels.Receipt, error) {
	if strings.Contains(in.Text, "poison") {
		r.mu.Lock()
		r.tries++
		r.mu.Unlock()
		return channels.Receipt{}, errors.New("refused")
	}
	return r.Sink.Ingest(ctx, in)
}

func TestIMAPPoisonMailIsSkippedAfterRetries(t *testing.T) {
	imapc, mb := testFolder(t)
	st := newMemState()
	c := newTestChannel(t, mb, Deps{State: st})
	sink := channeltest.NewSink(t, ChannelName)
	appendMail(t, imapc, mb.Folder, mailText("p", "poison-1", "poison"))
	appendMail(t, imapc, mb.Folder, mailText("q", "after-poison", "fine"))
	rs := &refusingSink{Sink: sink}
	run(t, c, rs)
	sink.WaitStored(t, 1)
	waitFor(t, "the position past the skipped mail", func() bool {
		_, uid, _ := st.Position(context.Background(), mb.Name)
		return uid == 2
	})
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if rs.tries != maxMailTries {
		t.Errorf("the poisonous mail was tried %d times, want %d", rs.tries, maxMailTries)
	}
	if _, uid, _ := st.Position(context.Background(), mb.Name); uid != 2 {
		t.Errorf("position %d after the skip, want 2", uid)
	}
}
