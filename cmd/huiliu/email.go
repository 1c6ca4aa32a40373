package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"huiliu/channels/email"
	"huiliu/cmd/huiliu/internal/services"
	"huiliu/desk"
	"huiliu/desk/web"
	"huiliu/store"
)

// emailChannel builds the email channel for the configured mailboxes, or
// nil when there are none.
func (a *app) emailChannel() (*email.Channel, error) {
	if len(a.cfg.Mailboxes) == 0 {
		return nil, nil
	}
	return email.New(a.cfg.Mailboxes, a.emailDeps())
}

func (a *app) emailDeps() email.Deps {
	return email.Deps{
		Leases:  a.queue.Leases(),
		Threads: emailThreads{db: a.db},
		State:   emailState{db: a.db},
		Bounces: emailBounces{db: a.db, svc: a.svc},
		Logger:  a.log,
	}
}

// emailReadyChecks report each mailbox on /readyz from its state in SQL,
// which the node polling it keeps: a failing mailbox degrades the node,
// it does not stop it.
func (a *app) emailReadyChecks(em *email.Channel) []web.Check {
	if em == nil {
		return nil
	}
	var out []web.Check
	for _, mb := range em.Mailboxes() {
		name := mb.Name
		out = append(out, web.Check{Name: "email:" + name, Optional: true, Ping: func(ctx context.Context) error {
			st, err := a.db.MailboxState(ctx, name)
			if err != nil {
				return err
			}
			if st.State == desk.MailboxFailing {
				return fmt.Errorf("mailbox %s: %s", name, st.Error)
			}
			return nil
		}})
	}
	return out
}

// emailThreads is the channel's threading lookup over the store.
type emailThreads struct{ db *store.DB }

func (t emailThreads) Token(ctx context.Context, ticketID string) (string, error) {
	return t.db.EmailThreadToken(ctx, ticketID)
}

func (t emailThreads) TicketByToken(ctx context.Context, token string) (string, error) {
	return notFoundEmpty(t.db.TicketByEmailToken(ctx, token))
}

func (t emailThreads) TicketByNumber(ctx context.Context, n int64) (string, error) {
	return notFoundEmpty(t.db.TicketIDByNumber(ctx, n))
}

func (t emailThreads) Participant(ctx context.Context, ticketID, address string) (bool, error) {
	return t.db.EmailParticipant(ctx, ticketID, address)
}

// notFoundEmpty turns the store's not-found into the channel's "".
func notFoundEmpty(id string, err error) (string, error) {
	if errors.Is(err, desk.ErrNotFound) {
		return "", nil
	}
	return id, err
}

// emailState keeps the mailboxes' positions and health in SQL.
type emailState struct{ db *store.DB }

func (s emailState) Position(ctx context.Context, mailbox string) (int64, int64, error) {
	st, err := s.db.MailboxState(ctx, mailbox)
	return st.UIDValidity, st.LastUID, err
}

func (s emailState) SetPosition(ctx context.Context, mailbox string, validity, uid int64, at time.Time) error {
	return s.db.SetMailboxPosition(ctx, mailbox, validity, uid, at)
}

func (s emailState) SetHealth(ctx context.Context, mailbox, state, errText string) error {
	return s.db.SetMailboxHealth(ctx, mailbox, state, errText)
}

// emailBounces records bounces: the address as bouncing, and the reply
// the bounce names as failed on its ticket.
type emailBounces struct {
	db  *store.DB
	svc *desk.Service
}

func (b emailBounces) Bounced(ctx context.Context, bn email.Bounce) error {
	if bn.Address != "" {
		if err := b.db.RecordEmailBounce(ctx, desk.EmailBounce{Address: bn.Address, Reason: bn.Reason, At: time.Now()}); err != nil {
			return err
		}
	}
	if bn.MessageID == "" {
		return nil
	}
	reason := bn.Reason
	if bn.Address != "" {
		reason = bn.Address + ": " + reason
	}
	err := b.svc.MarkUndelivered(ctx, bn.TicketID, bn.MessageID, reason)
	if errors.Is(err, desk.ErrNotFound) {
		return nil // a report about a message we no longer have, or a forged one
	}
	return err
}

// emailServices runs the mailboxes' pollers (non-essential: a failing
// mailbox leaves the node serving). They start after the HTTP server and
// stop before it.
func (a *app) emailServices(em *email.Channel) []services.Service {
	if em == nil {
		return nil
	}
	return []services.Service{{Name: "email", Run: func(ctx context.Context) error { return em.Run(ctx, a.svc) }}}
}
