package phone

import (
	"context"
	"sync"
	"testing"

	"huiliu/channels"
)

const testSecret = "0123456789abcdef-line-secret"

func testLine(t testing.TB, preset string) Line {
	t.Helper()
	l := Line{Name: "hotline", Secret: testSecret, Mapping: Mapping{Preset: preset}, RecordingHosts: []string{"rec.example.com"}}
	if err := l.Prepare(); err != nil {
		t.Fatal(err)
	}
	return l
}

// recordingSink keeps what the handler hands over.
type recordingSink struct {
	mu    sync.Mutex
	calls []channels.Call
	err   error
}

func (s *recordingSink) RecordCall(_ context.Context, c channels.Call) (channels.CallReceipt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return channels.CallReceipt{}, s.err
	}
	s.calls = append(s.calls, c)
	return channels.CallReceipt{TicketID: "t1", MessageID: "m1", State: c.State}, nil
}
