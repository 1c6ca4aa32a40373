package desk

import (
	"context"
	"fmt"
)

// ChangeKind says what kind of commit an observer hears about.
type ChangeKind string

const (
	ChangeIngested ChangeKind = "ingested" // a customer message was stored (Ingest)
	ChangePosted   ChangeKind = "posted"   // a reply, note or bot/system message was stored (Post)
	ChangeChanged  ChangeKind = "changed"  // the ticket's fields changed (ChangeTicket, HandOff, follow-ups)
)

// Change is a committed change of one ticket.
type Change struct {
	Kind ChangeKind
	// Ticket is the ticket as the commit left it.
	Ticket Ticket
	// Message is the stored message of ChangeIngested and ChangePosted,
	// and the system entry of a hand-off; nil otherwise.
	Message *Message
	// NewTicket: the message opened the ticket. Reopened: it moved a
	// pending or resolved ticket open.
	NewTicket bool
	Reopened  bool
	// Actor is who posted or changed; zero for a customer's message.
	Actor Actor
}

// Observer is a step that follows a commit: routing, SLA recomputes, and
// later the bot, satisfaction surveys and quality sampling. Observers run
// after the commit, in the order of Options.Observers, on the request's
// goroutine; a slow step should queue its work. They are best-effort: the
// change is committed whatever they do, so an error (or a panic) is logged
// and the next observer still runs.
type Observer interface {
	AfterCommit(ctx context.Context, c Change) error
}

// ObserverFunc adapts a function to Observer.
type ObserverFunc func(ctx context.Context, c Change) error

func (f ObserverFunc) AfterCommit(ctx context.Context, c Change) error { return f(ctx, c) }

// serviceBound is an observer that also works on the service: the router
// and the SLA worker are built before the service (so they can be listed in
// Options.Observers) and NewService hands itself to them, once. This is
// the one place the construction cycle is closed, at wiring time; nothing
// writes into a running service.
type serviceBound interface {
	bindService(s *Service)
}

// notify tells every observer about c. The request may hang up now: the
// commit happened, so the steps run without its cancellation.
func (s *Service) notify(ctx context.Context, c Change) {
	ctx = context.WithoutCancel(ctx)
	for i, o := range s.observers {
		if err := s.observe(ctx, o, c); err != nil {
			s.log.Error("desk: after-commit step failed", "observer", i, "type", fmt.Sprintf("%T", o),
				"change", c.Kind, "ticket", c.Ticket.ID, "err", err)
		}
	}
}

func (s *Service) observe(ctx context.Context, o Observer, c Change) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	return o.AfterCommit(ctx, c)
}

// ownerReturn is the built-in first observer: a customer message on a
// ticket with an owner and nobody working it goes back to the owner when
// they are at the desk (desk/owner_return.go).
type ownerReturn struct{ s *Service }

func (o ownerReturn) AfterCommit(ctx context.Context, c Change) error {
	if c.Kind == ChangeIngested && c.Ticket.OwnerID != "" && c.Ticket.AssigneeID == "" {
		o.s.returnToOwner(ctx, c.Ticket, c.Reopened)
	}
	return nil
}
