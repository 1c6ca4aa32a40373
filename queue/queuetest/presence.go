package queuetest

import (
	"maps"
	"testing"

	"huiliu/queue"
)

func (s *suite) presence(t *testing.T) {
	t.Run("Connections", s.presenceConns)
	t.Run("Expiry", s.presenceExpiry)
}

func (s *suite) presenceConns(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	p := in.Backend.Presence()
	ttl := 100 * s.unit
	state := func(agent, want string) {
		t.Helper()
		if got, err := p.State(ctx, agent); err != nil || got != want {
			t.Fatalf("State(%s) = %q, %v; want %q", agent, got, err, want)
		}
	}
	all := func(want map[string]string) {
		t.Helper()
		got, err := p.All(ctx)
		if err != nil || !maps.Equal(got, want) {
			t.Fatalf("All = %v, %v; want %v", got, err, want)
		}
	}
	state("ann", queue.Offline)
	all(map[string]string{})
	if err := p.Heartbeat(ctx, "ann", "tab1", queue.Online, ttl); err != nil {
		t.Fatal(err)
	}
	if err := p.Heartbeat(ctx, "ann", "tab2", queue.Away, ttl); err != nil {
		t.Fatal(err)
	}
	state("ann", queue.Online) // online beats away
	if err := p.Heartbeat(ctx, "bob", "phone", queue.Away, ttl); err != nil {
		t.Fatal(err)
	}
	all(map[string]string{"ann": queue.Online, "bob": queue.Away})
	if err := p.Leave(ctx, "ann", "tab1"); err != nil {
		t.Fatal(err)
	}
	state("ann", queue.Away)
	if err := p.Leave(ctx, "ann", "tab2"); err != nil {
		t.Fatal(err)
	}
	state("ann", queue.Offline)
	if err := p.Leave(ctx, "ann", "never"); err != nil {
		t.Fatalf("Leave of an unknown conn: %v", err)
	}
	all(map[string]string{"bob": queue.Away})
	// A heartbeat changes the state of an existing connection.
	if err := p.Heartbeat(ctx, "bob", "phone", queue.Online, ttl); err != nil {
		t.Fatal(err)
	}
	state("bob", queue.Online)
	if err := p.Heartbeat(ctx, "bob", "phone", "busy", ttl); err == nil {
		t.Fatal("unknown state accepted")
	}
	if err := p.Heartbeat(ctx, "bob", "phone", queue.Offline, ttl); err == nil {
		t.Fatal("Offline heartbeat accepted (Leave is how a conn goes away)")
	}
	if err := p.Heartbeat(ctx, "bob", "phone", queue.Online, 0); err == nil {
		t.Fatal("zero ttl accepted")
	}
}

func (s *suite) presenceExpiry(t *testing.T) {
	t.Parallel()
	in := s.fresh(t)
	ctx := ctxFor(t)
	p := in.Backend.Presence()
	short, long := 2*s.unit, 6*s.unit
	if err := p.Heartbeat(ctx, "ann", "desk", queue.Online, short); err != nil {
		t.Fatal(err)
	}
	if err := p.Heartbeat(ctx, "ann", "phone", queue.Away, long); err != nil {
		t.Fatal(err)
	}
	if err := p.Heartbeat(ctx, "bob", "desk", queue.Online, short); err != nil {
		t.Fatal(err)
	}
	in.Advance(short + s.unit/2)
	if got, err := p.State(ctx, "ann"); err != nil || got != queue.Away {
		t.Fatalf("after the online conn expired State = %q, %v; want away", got, err)
	}
	if got, err := p.State(ctx, "bob"); err != nil || got != queue.Offline {
		t.Fatalf("bob State = %q, %v; want offline", got, err)
	}
	if got, err := p.All(ctx); err != nil || !maps.Equal(got, map[string]string{"ann": queue.Away}) {
		t.Fatalf("All = %v, %v", got, err)
	}
	// A new heartbeat revives a conn, with its own ttl.
	if err := p.Heartbeat(ctx, "bob", "desk", queue.Online, long); err != nil {
		t.Fatal(err)
	}
	in.Advance(long - short)
	if got, err := p.All(ctx); err != nil || !maps.Equal(got, map[string]string{"bob": queue.Online}) {
		t.Fatalf("All = %v, %v; want only bob", got, err)
	}
}
