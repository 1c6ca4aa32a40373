package desk

import (
	"context"
	"errors"
	"fmt"
)

// Audit actions of merges by hand.
const (
	AuditContactMerge     = "contact.merge"
	AuditContactMergeUndo = "contact.merge.undo"
)

// MergePreview shows two contacts side by side before an agent merges From
// into Into: both masked, how many tickets of each the agent sees, and
// Refusal, the reason the merge would be refused (nil: it may go ahead).
type MergePreview struct {
	Into        Contact `json:"into"`
	From        Contact `json:"from"`
	IntoTickets int     `json:"into_tickets"`
	FromTickets int     `json:"from_tickets"`
	Refusal     *Error  `json:"-"`
}

// checkMerge applies the rule of merges by hand: identities merge only on
// proof, so each side must hold an identity someone verified, and two
// verified customer numbers that differ prove two different people.
func checkMerge(into, from Contact) *Error {
	switch {
	case into.ID == from.ID:
		return Errorf(CodeInvalid, "a customer cannot be merged with itself").Say("err.merge_self")
	case into.MergedInto != "" || from.MergedInto != "":
		return Errorf(CodeConflict, "a customer merged into another cannot be merged again").Say("err.contact_merged_away")
	case !hasVerified(into):
		return Errorf(CodeConflict, "this customer has no verified identity").Say("err.merge_unverified_this")
	case !hasVerified(from):
		return Errorf(CodeConflict, "the other customer has no verified identity").Say("err.merge_unverified_other")
	}
	a, b := verifiedValue(into, IdentityCustomerNo), verifiedValue(from, IdentityCustomerNo)
	if a != "" && b != "" && a != b {
		return Errorf(CodeConflict, "the two customers have different verified customer numbers").Say("err.merge_two_customers", "this", a, "other", b)
	}
	return nil
}

func hasVerified(c Contact) bool {
	for _, id := range c.Identities {
		if id.VerifiedAt != nil {
			return true
		}
	}
	return false
}

func verifiedValue(c Contact, kind string) string {
	for _, id := range c.Identities {
		if id.Kind == kind && id.VerifiedAt != nil {
			return id.Value
		}
	}
	return ""
}

// mergePair loads both contacts of a merge the agent may see.
func (s *Service) mergePair(ctx context.Context, a Agent, intoID, fromID string) (into, from Contact, err error) {
	if into, err = s.visibleContact(ctx, a, intoID); err != nil {
		return Contact{}, Contact{}, err
	}
	if fromID == "" {
		return Contact{}, Contact{}, Errorf(CodeInvalid, "name the customer to merge into this one").Say("err.merge_from_missing")
	}
	if from, err = s.visibleContact(ctx, a, fromID); err != nil {
		return Contact{}, Contact{}, err
	}
	return into, from, nil
}

// PreviewMerge shows contact fromID beside contact intoID and whether the
// agent may merge them.
func (s *Service) PreviewMerge(ctx context.Context, a Agent, intoID, fromID string) (MergePreview, error) {
	into, from, err := s.mergePair(ctx, a, intoID, fromID)
	if err != nil {
		return MergePreview{}, err
	}
	p := MergePreview{Into: maskContact(into), From: maskContact(from), Refusal: checkMerge(into, from)}
	for _, c := range []struct {
		id string
		n  *int
	}{{intoID, &p.IntoTickets}, {fromID, &p.FromTickets}} {
		if *c.n, err = s.store.CountTickets(ctx, TicketFilter{ContactID: c.id, Visible: VisibilityOf(a)}); err != nil {
			return MergePreview{}, fmt.Errorf("desk: tickets of contact %s: %w", c.id, err)
		}
	}
	return p, nil
}

// MergeContactsByHand merges contact fromID into contact intoID for an
// agent who may see both, when checkMerge allows it; what moved is recorded
// for UndoContactMerge and the merge is audited.
func (s *Service) MergeContactsByHand(ctx context.Context, actor Actor, intoID, fromID string) (ContactMerge, error) {
	if actor.Agent == nil {
		return ContactMerge{}, Errorf(CodeForbidden, "only an agent merges customers")
	}
	if _, _, err := s.mergePair(ctx, *actor.Agent, intoID, fromID); err != nil {
		return ContactMerge{}, err
	}
	var m ContactMerge
	err := s.store.Tx(ctx, func(tx Tx) error {
		// Checked again inside the transaction: either side may have
		// changed since the preview.
		into, err := tx.Contact(ctx, intoID)
		if err != nil {
			return err
		}
		from, err := tx.Contact(ctx, fromID)
		if err != nil {
			return err
		}
		if r := checkMerge(into, from); r != nil {
			return r
		}
		m = ContactMerge{ID: NewID(), FromID: fromID, IntoID: intoID, AgentID: actor.Agent.ID, CreatedAt: s.now().UTC()}
		if err := tx.MergeContactsRecorded(ctx, m); err != nil {
			return err
		}
		if m, err = tx.ContactMerge(ctx, m.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, AuditContactMerge, "contact:"+intoID, fmt.Sprintf("merge %s: contact %s into %s (%s)", m.ID, fromID, intoID, movedSummary(m)))
	})
	if err != nil {
		var de *Error
		if errors.As(err, &de) && de.Key != "" {
			return ContactMerge{}, de
		}
		return ContactMerge{}, fmt.Errorf("desk: merge contact %s into %s: %w", fromID, intoID, err)
	}
	return m, nil
}

// movedSummary counts what a merge moved, for the audit log.
func movedSummary(m ContactMerge) string {
	n := map[string]int{}
	for _, mv := range m.Moves {
		n[mv.Kind]++
	}
	return fmt.Sprintf("%d identities, %d tickets, %d notes; %d tickets closed", n[MovedIdentity], n[MovedTicket], n[MovedNote], n[MovedClosed])
}

// UndoContactMerge undoes a merge by hand: the identities, tickets and
// notes it moved go back, with the tickets that came in since on a moved
// identity, and the tickets it closed reopen. It is refused, with the
// reason, when it could no longer be exact: undone before, or the kept
// contact merged again since, or a moved identity no longer on it. The
// agent who merged, or a supervisor, may undo.
func (s *Service) UndoContactMerge(ctx context.Context, actor Actor, mergeID string) (ContactMerge, error) {
	if actor.Agent == nil {
		return ContactMerge{}, Errorf(CodeForbidden, "only an agent undoes a merge")
	}
	a := *actor.Agent
	m, err := found(s.store.ContactMerge(ctx, mergeID))("merge", mergeID)
	if err != nil {
		return ContactMerge{}, err
	}
	if _, err := s.visibleContact(ctx, a, m.IntoID); err != nil {
		return ContactMerge{}, hidden("merge", mergeID, err)
	}
	if m.AgentID != a.ID && !a.Role.AtLeast(RoleSupervisor) {
		return ContactMerge{}, Errorf(CodeForbidden, "only the agent who merged or a supervisor may undo a merge").Say("err.merge_undo_not_yours")
	}
	err = s.store.Tx(ctx, func(tx Tx) error {
		if m, err = tx.ContactMerge(ctx, mergeID); err != nil {
			return err
		}
		if r := s.checkUndo(ctx, tx, m); r != nil {
			return r
		}
		now := s.now().UTC()
		if err := tx.UndoContactMerge(ctx, m, now, a.ID); err != nil {
			return err
		}
		m.UndoneAt, m.UndoneBy = &now, a.ID
		return s.audit(ctx, tx, actor, AuditContactMergeUndo, "contact:"+m.IntoID, fmt.Sprintf("undo merge %s: contact %s out of %s", m.ID, m.FromID, m.IntoID))
	})
	if err != nil {
		var de *Error
		if errors.As(err, &de) && de.Key != "" {
			return ContactMerge{}, de
		}
		return ContactMerge{}, fmt.Errorf("desk: undo merge %s: %w", mergeID, err)
	}
	return m, nil
}

// checkUndo tells why merge m can no longer be undone exactly (nil: it can).
func (s *Service) checkUndo(ctx context.Context, tx Tx, m ContactMerge) error {
	if m.UndoneAt != nil {
		return Errorf(CodeConflict, "this merge was undone before").Say("err.merge_undone_before")
	}
	into, err := tx.Contact(ctx, m.IntoID)
	if err != nil {
		return err
	}
	if into.MergedInto != "" {
		return Errorf(CodeConflict, "the kept customer was merged into another since; undo that first").Say("err.merge_undo_merged_again")
	}
	from, err := tx.Contact(ctx, m.FromID)
	if err != nil {
		return err
	}
	if from.MergedInto != m.IntoID {
		return Errorf(CodeConflict, "the merged customer is no longer part of this one").Say("err.merge_undo_moved")
	}
	held := map[string]bool{}
	for _, id := range into.Identities {
		held[id.ID] = true
	}
	for _, mv := range m.Moves {
		if mv.Kind == MovedIdentity && !held[mv.ObjectID] {
			return Errorf(CodeConflict, "an identity the merge moved is no longer on the kept customer").Say("err.merge_undo_moved")
		}
	}
	return nil
}

// ContactMerges lists the merges by hand of a contact the agent may see,
// newest first.
func (s *Service) ContactMerges(ctx context.Context, a Agent, contactID string) ([]ContactMerge, error) {
	if _, err := s.visibleContact(ctx, a, contactID); err != nil {
		return nil, err
	}
	ms, err := s.store.ContactMerges(ctx, contactID)
	if err != nil {
		return nil, fmt.Errorf("desk: merges of contact %s: %w", contactID, err)
	}
	return ms, nil
}
