package channeltest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"huiliu/channels"
)

// Sink records what a channel hands the desk and behaves like it: an
// external id is stored once, a replay answers Duplicate with the first
// receipt, and seq counts per conversation. It fails the test on an
// envelope the desk would refuse or could not thread.
type Sink struct {
	t       testing.TB
	channel string

	mu     sync.Mutex
	calls  []channels.Inbound
	stored []channels.Inbound
	byExt  map[string]channels.Receipt
	seq    map[string]int64
}

// NewSink records envelopes of channel.
func NewSink(t testing.TB, channel string) *Sink {
	return &Sink{t: t, channel: channel, byExt: map[string]channels.Receipt{}, seq: map[string]int64{}}
}

// conversation is what the desk threads a message by: the channel's thread
// and the sender.
func conversation(in channels.Inbound) string {
	return in.ThreadKey + "\x00" + in.From.Kind + ":" + in.From.Value
}

// Ingest records in and stores it unless its external id was stored.
func (s *Sink) Ingest(_ context.Context, in channels.Inbound) (channels.Receipt, error) {
	if err := s.check(in); err != nil {
		s.t.Errorf("channeltest: %v", err)
		return channels.Receipt{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, in)
	if rc, ok := s.byExt[in.ExternalID]; ok {
		rc.Duplicate = true
		return rc, nil
	}
	conv := conversation(in)
	s.seq[conv]++
	s.stored = append(s.stored, in)
	rc := channels.Receipt{TicketID: "t-" + conv, MessageID: fmt.Sprintf("m%d", len(s.stored)), Seq: s.seq[conv]}
	s.byExt[in.ExternalID] = rc
	return rc, nil
}

func (s *Sink) check(in channels.Inbound) error {
	switch {
	case in.Channel != s.channel:
		return fmt.Errorf("envelope of channel %q, want %q", in.Channel, s.channel)
	case in.ExternalID == "":
		return fmt.Errorf("envelope %q without an external id: a replay could not be dropped", in.Text)
	case in.ThreadKey == "":
		return fmt.Errorf("envelope %q without a thread key", in.Text)
	case in.From.Kind == "" || in.From.Value == "":
		return fmt.Errorf("envelope %q without a sender (%+v)", in.Text, in.From)
	case !utf8.ValidString(in.Text):
		return fmt.Errorf("envelope text %q is not UTF-8", in.Text)
	}
	return nil
}

// Calls are every envelope handed over, replays included, in call order.
func (s *Sink) Calls() []channels.Inbound {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]channels.Inbound(nil), s.calls...)
}

// Texts are the stored messages' texts in commit order.
func (s *Sink) Texts() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.stored))
	for i, in := range s.stored {
		out[i] = in.Text
	}
	return out
}

// Conversations are the stored texts of each conversation in commit order.
func (s *Sink) Conversations() map[string][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string][]string{}
	for _, in := range s.stored {
		out[conversation(in)] = append(out[conversation(in)], in.Text)
	}
	return out
}

// WaitStored waits until n messages are stored.
func (s *Sink) WaitStored(t testing.TB, n int) {
	t.Helper()
	deadline := time.Now().Add(hangGuard)
	for {
		s.mu.Lock()
		got := len(s.stored)
		s.mu.Unlock()
		if got >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("channeltest: %d of %d messages stored before the hang guard ran out; stored %q", got, n, s.Texts())
		}
		time.Sleep(2 * time.Millisecond)
	}
}
