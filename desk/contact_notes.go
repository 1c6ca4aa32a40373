package desk

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"huiliu/desk/pii"
)

// MaxContactNoteBytes bounds a note about a customer.
const MaxContactNoteBytes = 4000

// Audit actions of notes about customers.
const (
	AuditContactNoteAdd    = "contact.note.add"
	AuditContactNoteEdit   = "contact.note.edit"
	AuditContactNoteDelete = "contact.note.delete"
)

func checkNoteText(text string) (string, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return "", Errorf(CodeInvalid, "text is required").Say("err.text_required")
	case len(text) > MaxContactNoteBytes:
		return "", Errorf(CodeTooLarge, "text is longer than %d bytes", MaxContactNoteBytes).Say("err.text_too_long", "max", strconv.Itoa(MaxContactNoteBytes))
	case !ValidText(text):
		return "", Errorf(CodeInvalid, "text must be valid UTF-8 without NUL characters")
	}
	return text, nil
}

func maskNote(n ContactNote) ContactNote {
	n.Text = pii.Mask(n.Text)
	return n
}

// ContactNotes lists the notes about a contact the agent may see, masked.
func (s *Service) ContactNotes(ctx context.Context, a Agent, contactID string) ([]ContactNote, error) {
	if _, err := s.visibleContact(ctx, a, contactID); err != nil {
		return nil, err
	}
	ns, err := s.store.ContactNotes(ctx, contactID)
	if err != nil {
		return nil, fmt.Errorf("desk: notes of contact %s: %w", contactID, err)
	}
	for i := range ns {
		ns[i] = maskNote(ns[i])
	}
	return ns, nil
}

// AddContactNote writes a note about a contact the agent may see.
func (s *Service) AddContactNote(ctx context.Context, actor Actor, contactID, text string) (ContactNote, error) {
	if actor.Agent == nil {
		return ContactNote{}, Errorf(CodeForbidden, "only an agent writes notes about customers")
	}
	c, err := s.visibleContact(ctx, *actor.Agent, contactID)
	if err != nil {
		return ContactNote{}, err
	}
	if c.MergedInto != "" {
		return ContactNote{}, Errorf(CodeConflict, "this customer was merged into another").Say("err.contact_merged_away")
	}
	if text, err = checkNoteText(text); err != nil {
		return ContactNote{}, err
	}
	now := s.now().UTC()
	n := ContactNote{ID: NewID(), ContactID: contactID, AuthorID: actor.Agent.ID, Text: text, CreatedAt: now, UpdatedAt: now}
	err = s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.InsertContactNote(ctx, n); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, AuditContactNoteAdd, "contact:"+contactID, "note "+n.ID)
	})
	if err != nil {
		return ContactNote{}, fmt.Errorf("desk: add note to contact %s: %w", contactID, err)
	}
	return maskNote(n), nil
}

// ownNote loads a note on a contact the agent may see and requires that the
// agent wrote it.
func (s *Service) ownNote(ctx context.Context, actor Actor, id string) (ContactNote, error) {
	if actor.Agent == nil {
		return ContactNote{}, Errorf(CodeForbidden, "only an agent changes notes about customers")
	}
	n, err := found(s.store.ContactNote(ctx, id))("note", id)
	if err != nil {
		return ContactNote{}, err
	}
	if _, err := s.visibleContact(ctx, *actor.Agent, n.ContactID); err != nil {
		return ContactNote{}, hidden("note", id, err)
	}
	if n.AuthorID != actor.Agent.ID {
		return ContactNote{}, Errorf(CodeForbidden, "only the note's author may change it").Say("err.note_not_yours")
	}
	return n, nil
}

// EditContactNote replaces the text of the agent's own note. The editor
// shows the note masked, so a masked number left as it was keeps the
// number it stands for rather than becoming stars.
func (s *Service) EditContactNote(ctx context.Context, actor Actor, id, text string) (ContactNote, error) {
	n, err := s.ownNote(ctx, actor, id)
	if err != nil {
		return ContactNote{}, err
	}
	if text, err = checkNoteText(text); err != nil {
		return ContactNote{}, err
	}
	n.Text, n.UpdatedAt = unmaskKept(n.Text, text), s.now().UTC()
	err = s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.UpdateContactNote(ctx, n.ID, n.Text, n.UpdatedAt); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, AuditContactNoteEdit, "contact:"+n.ContactID, "note "+n.ID)
	})
	if err != nil {
		return ContactNote{}, fmt.Errorf("desk: edit contact note %s: %w", id, err)
	}
	return maskNote(n), nil
}

// DeleteContactNote removes the agent's own note.
func (s *Service) DeleteContactNote(ctx context.Context, actor Actor, id string) error {
	n, err := s.ownNote(ctx, actor, id)
	if err != nil {
		return err
	}
	err = s.store.Tx(ctx, func(tx Tx) error {
		if err := tx.DeleteContactNote(ctx, n.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, actor, AuditContactNoteDelete, "contact:"+n.ContactID, "note "+n.ID)
	})
	if err != nil {
		return fmt.Errorf("desk: delete contact note %s: %w", id, err)
	}
	return nil
}

// unmaskKept puts back into edited each piece of personal data of old
// whose masked form edited still holds.
func unmaskKept(old, edited string) string {
	for _, m := range pii.Find(old) {
		raw := old[m.Start:m.End]
		if masked := pii.Mask(raw); masked != raw {
			edited = strings.Replace(edited, masked, raw, 1)
		}
	}
	return edited
}
