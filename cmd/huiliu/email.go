package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"huiliu/channels/email"
	"huiliu/cmd/huiliu/internal/services"
	"huiliu/desk"
	"huiliu/desk/web"
	"huiliu/store"
)

// mailboxRefresh is how often a node re-reads the admin's mailboxes, so a
// mailbox saved on another node starts within this time (on the saving
// node at once).
const mailboxRefresh = 15 * time.Second

// emailChannel builds the email channel for the mailboxes in force: the
// configuration file's and the admin's enabled ones. It may have none yet.
func (a *app) emailChannel(ctx context.Context) (*email.Channel, error) {
	boxes, err := a.activeMailboxes(ctx)
	if err != nil {
		return nil, err
	}
	return email.New(boxes, a.emailDeps())
}

// activeMailboxes are the configuration file's mailboxes followed by the
// admin's enabled ones.
func (a *app) activeMailboxes(ctx context.Context) ([]email.Mailbox, error) {
	stored, err := mailboxDirectory{db: a.db, log: a.log}.enabledStored(ctx)
	if err != nil {
		return nil, fmt.Errorf("stored mailboxes: %w", err)
	}
	return append(slices.Clip(a.cfg.Mailboxes), stored...), nil
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

// emailReadyCheck reports the mailboxes in force on /readyz from their
// state in SQL, which the node polling each keeps: a failing mailbox
// degrades the node, it does not stop it.
func (a *app) emailReadyCheck(em *email.Channel) web.Check {
	return web.Check{Name: "email", Optional: true, Ping: func(ctx context.Context) error {
		var failing []error
		for _, mb := range em.Mailboxes() {
			st, err := a.db.MailboxState(ctx, mb.Name)
			if err != nil {
				return err
			}
			if st.State == desk.MailboxFailing {
				failing = append(failing, fmt.Errorf("mailbox %s: %s", mb.Name, st.Error))
			}
		}
		return errors.Join(failing...)
	}}
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

// Blocked reports a bounce that still blocks mail to address.
func (b emailBounces) Blocked(ctx context.Context, address string) (string, time.Time, bool, error) {
	bn, err := b.db.EmailBounce(ctx, address)
	if errors.Is(err, desk.ErrNotFound) {
		return "", time.Time{}, false, nil
	}
	if err != nil {
		return "", time.Time{}, false, err
	}
	return bn.Reason, bn.At, bn.Blocks(time.Now()), nil
}

// emailServices runs the mailboxes' pollers and follows the admin's
// changes to the mailboxes (non-essential: a failing mailbox leaves the
// node serving). They start after the HTTP server and stop before it.
func (a *app) emailServices(em *email.Channel) []services.Service {
	return []services.Service{
		{Name: "email", Run: func(ctx context.Context) error { return em.Run(ctx, a.svc) }},
		{Name: "email-mailboxes", Run: func(ctx context.Context) error { return a.followMailboxes(ctx, em, mailboxRefresh) }},
	}
}

// followMailboxes gives the channel the mailboxes in force whenever this
// node saved one and every interval (another node's change).
func (a *app) followMailboxes(ctx context.Context, em *email.Channel, every time.Duration) error {
	return follow(ctx, a.log, "email: mailboxes", every, a.mailboxesChanged, a.activeMailboxes, em.Replace)
}
