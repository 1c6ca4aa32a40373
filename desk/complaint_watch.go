package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"huiliu/desk/complaintscan"
)

// ComplaintWatcher is the after-commit step of complaints (list it in
// Options.Observers). On a complaint ticket it keeps the register's row in
// step with the ticket: the first public agent reply after filing is the
// first response, resolving or closing resolves it, a reopening customer
// message takes it back, a transfer moves its team. On any other ticket it
// reads customer messages with complaintscan and, when one looks like a
// complaint, tags the ticket complaint-suspected with a timeline entry for
// an agent to confirm or dismiss — it never files a complaint itself.
type ComplaintWatcher struct {
	s *Service
}

// NewComplaintWatcher builds the step; NewService binds it.
func NewComplaintWatcher() *ComplaintWatcher { return &ComplaintWatcher{} }

func (w *ComplaintWatcher) bindService(s *Service) { w.s = s }

// AfterCommit follows one change.
func (w *ComplaintWatcher) AfterCommit(ctx context.Context, c Change) error {
	if w.s == nil {
		return nil
	}
	if c.Ticket.Category == CategoryComplaint {
		return w.track(ctx, c)
	}
	if c.Kind == ChangeIngested && c.Message != nil && c.Message.Direction == DirIn {
		return w.detect(ctx, c)
	}
	return nil
}

// track moves the complaint's row after a change of its ticket. A read
// outside a transaction skips the common case, a change that moves nothing
// (a note, a tag); a move is re-read and written in one transaction.
func (w *ComplaintWatcher) track(ctx context.Context, c Change) error {
	s := w.s
	moved := func(r Reader) (Complaint, bool, error) {
		cp, err := r.Complaint(ctx, c.Ticket.ID)
		if errors.Is(err, ErrNotFound) {
			return cp, false, nil
		}
		if err != nil || cp.Status == ComplaintWithdrawn {
			return cp, false, err
		}
		t, err := r.Ticket(ctx, c.Ticket.ID)
		if err != nil {
			return cp, false, err
		}
		next := progress(cp, t, c, s.now().UTC())
		return next, !sameProgress(cp, next), nil
	}
	_, ok, err := moved(s.store)
	if err == nil && ok {
		err = s.store.Tx(ctx, func(tx Tx) error {
			cp, ok, err := moved(tx)
			if err != nil || !ok {
				return err
			}
			return tx.PutComplaint(ctx, cp)
		})
	}
	if err != nil {
		return fmt.Errorf("desk: complaint of ticket %s: %w", c.Ticket.ID, err)
	}
	return nil
}

// progress is cp after change c of its ticket t (as now stored): the first
// public agent reply after filing is the first response, a resolved or
// closed ticket resolves it and any other status takes that back, and the
// team is the ticket's.
func progress(cp Complaint, t Ticket, c Change, now time.Time) Complaint {
	if m := c.Message; c.Kind == ChangePosted && m != nil && m.Direction == DirOut && m.AuthorKind == AuthorAgent &&
		cp.FirstResponseAt == nil && !m.CreatedAt.Before(cp.CreatedAt) {
		at := m.CreatedAt.UTC()
		cp.FirstResponseAt = &at
	}
	switch t.Status {
	case StatusResolved, StatusClosed:
		if cp.ResolvedAt == nil {
			cp.ResolvedAt = &now
		}
	default:
		cp.ResolvedAt = nil
	}
	cp.TeamID = t.TeamID
	switch {
	case cp.ResolvedAt != nil:
		cp.Status = ComplaintResolved
	case cp.FirstResponseAt != nil:
		cp.Status = ComplaintResponded
	default:
		cp.Status = ComplaintOpen
	}
	cp.UpdatedAt = now
	return cp
}

func sameProgress(a, b Complaint) bool {
	eq := func(x, y *time.Time) bool { return (x == nil) == (y == nil) && (x == nil || x.Equal(*y)) }
	return a.Status == b.Status && a.TeamID == b.TeamID && eq(a.FirstResponseAt, b.FirstResponseAt) && eq(a.ResolvedAt, b.ResolvedAt)
}

// detect flags a ticket whose customer wrote like a complaint, once: a
// ticket flagged, dismissed or a complaint already is left alone.
func (w *ComplaintWatcher) detect(ctx context.Context, c Change) error {
	if slices.Contains(c.Ticket.Tags, TagComplaintSuspected) || slices.Contains(c.Ticket.Tags, TagComplaintDismissed) ||
		slices.Contains(c.Ticket.Tags, TagComplaint) {
		return nil
	}
	f := complaintscan.Scan(c.Message.Text)
	if !f.Suspected() {
		return nil
	}
	s := w.s
	var t Ticket
	var m Message
	flagged := false
	err := s.store.Tx(ctx, func(tx Tx) error {
		flagged = false
		cur, err := tx.Ticket(ctx, c.Ticket.ID)
		if err != nil {
			return err
		}
		if cur.Status == StatusClosed || cur.Category == CategoryComplaint || slices.ContainsFunc(cur.Tags, func(tag string) bool {
			return tag == TagComplaintSuspected || tag == TagComplaintDismissed || tag == TagComplaint
		}) {
			return nil
		}
		if len(cur.Tags) >= MaxTags {
			return nil
		}
		tags := append(slices.Clone(cur.Tags), TagComplaintSuspected)
		now := s.now().UTC()
		if t, err = tx.SetTicketFields(ctx, cur.ID, TicketFields{Tags: &tags}, now); err != nil {
			return err
		}
		e := SystemEvent{Action: "complaint_suspected", Args: map[string]string{"terms": strings.Join(f.Terms, ", "), "source": f.Source}}
		m, err = s.recordEntry(ctx, tx, &t, SystemActor("complaints"), AuthorSystem, e, e.complaintText(), now)
		flagged = err == nil
		return err
	})
	if err != nil {
		return fmt.Errorf("desk: flag ticket %s as a possible complaint: %w", c.Ticket.ID, err)
	}
	if flagged {
		s.publish(ctx, messageEvent(EventMessageCreated, t, m))
		s.publish(ctx, ticketEvent(EventTicketUpdated, t, t))
	}
	return nil
}
