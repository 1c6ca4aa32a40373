package desk

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// PurgeMarker replaces purged texts, subjects, previews and contact names.
const PurgeMarker = "[purged]"

// purgeBatch is how many candidate tickets one read of the purge takes.
const purgeBatch = 200

// PersonalDataPurger removes what another part of the desk keeps about a
// contact (the customer facts cache) once the retention purge has let the
// contact go: every ticket of it purged, its identities unlinked. It gets
// the identities as they were, and returns how many rows it removed. It
// runs after the contact's transaction commits; an error is reported and
// the purge goes on.
type PersonalDataPurger interface {
	PurgeContact(ctx context.Context, contactID string, identities []Identity, dryRun bool) (int, error)
}

// RetentionReport counts what a purge removed (or, dry, would remove).
type RetentionReport struct {
	Before      time.Time `json:"before"`
	DryRun      bool      `json:"dry_run"`
	Tickets     int       `json:"tickets"`
	Messages    int       `json:"messages"`
	Attachments int       `json:"attachments"`
	Contacts    int       `json:"contacts"`
	Identities  int       `json:"identities"`
	// Other counts what Options.Purgers removed (facts cache rows).
	Other int `json:"other"`
}

func (r RetentionReport) String() string {
	return fmt.Sprintf("tickets=%d messages=%d attachments=%d contacts=%d identities=%d other=%d",
		r.Tickets, r.Messages, r.Attachments, r.Contacts, r.Identities, r.Other)
}

// errDryRun rolls a dry run's transaction back after it counted.
var errDryRun = errors.New("dry run")

// PurgeClosed purges the personal data of tickets closed more than days
// days ago: message texts and HTML become PurgeMarker, attachments are
// deleted; a contact whose every ticket is purged loses its identities and
// name. Ticket rows, numbers, times, system entries (the SLA history) and
// the audit log stay. A dry run runs the same statements and rolls each
// transaction back, so its counts are exact and nothing changes. Only an
// admin or the system may purge; a real purge is audited.
func (s *Service) PurgeClosed(ctx context.Context, actor Actor, days int, dryRun bool) (RetentionReport, error) {
	if err := requireRole(actor, RoleAdmin); err != nil {
		return RetentionReport{}, err
	}
	if days < 1 {
		return RetentionReport{}, Errorf(CodeInvalid, "retention needs a number of days of at least 1")
	}
	now := s.now().UTC()
	rep := RetentionReport{Before: now.Add(-time.Duration(days) * 24 * time.Hour), DryRun: dryRun}
	after := ""
	for {
		batch, err := s.store.PurgeCandidates(ctx, rep.Before, after, purgeBatch)
		if err != nil {
			return rep, fmt.Errorf("desk: retention: %w", err)
		}
		if len(batch) == 0 {
			break
		}
		after = batch[len(batch)-1].TicketID
		// One transaction per contact, so a contact is let go in the same
		// transaction as its last ticket, dry or not.
		byContact := map[string][]string{}
		var order []string
		for _, c := range batch {
			if _, ok := byContact[c.ContactID]; !ok {
				order = append(order, c.ContactID)
			}
			byContact[c.ContactID] = append(byContact[c.ContactID], c.TicketID)
		}
		for _, contactID := range order {
			if err := s.purgeContactTickets(ctx, contactID, byContact[contactID], now, &rep); err != nil {
				return rep, err
			}
		}
	}
	if !dryRun {
		err := s.store.Tx(ctx, func(tx Tx) error {
			return s.audit(ctx, tx, actor, "retention.purge", "", fmt.Sprintf("closed before %s: %s", rep.Before.Format(time.RFC3339), rep))
		})
		if err != nil {
			return rep, fmt.Errorf("desk: retention: audit: %w", err)
		}
	}
	return rep, nil
}

func (s *Service) purgeContactTickets(ctx context.Context, contactID string, tickets []string, now time.Time, rep *RetentionReport) error {
	var part RetentionReport
	var gone []Identity
	var done bool
	err := s.store.Tx(ctx, func(tx Tx) error {
		part, gone, done = RetentionReport{}, nil, false
		for _, id := range tickets {
			n, err := tx.PurgeTicket(ctx, id, PurgeMarker, now)
			if err != nil {
				return err
			}
			part.Tickets++
			part.Messages += n.Messages
			part.Attachments += n.Attachments
		}
		var err error
		if gone, done, err = tx.PurgeContact(ctx, contactID, PurgeMarker); err != nil {
			return err
		}
		if rep.DryRun {
			return errDryRun
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return fmt.Errorf("desk: retention: contact %s: %w", contactID, err)
	}
	rep.Tickets += part.Tickets
	rep.Messages += part.Messages
	rep.Attachments += part.Attachments
	if done {
		rep.Contacts++
		rep.Identities += len(gone)
		for _, p := range s.purgers {
			n, err := p.PurgeContact(ctx, contactID, gone, rep.DryRun)
			if err != nil {
				s.log.Error("desk: retention: purger", "contact", contactID, "err", err)
				continue
			}
			rep.Other += n
		}
	}
	return nil
}
