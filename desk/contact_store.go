package desk

import (
	"context"
	"time"
)

// ContactNote is what an agent wrote down about a customer: shown to agents
// on the contact panel, never to the customer. Only its author edits or
// deletes it.
type ContactNote struct {
	ID        string    `json:"id"`
	ContactID string    `json:"contact_id"`
	AuthorID  string    `json:"author_id"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ContactMerge is a merge of contact From into contact Into that an agent
// made by hand. Moves records what it moved, so an undo puts back exactly
// that.
type ContactMerge struct {
	ID        string      `json:"id"`
	FromID    string      `json:"from_id"`
	IntoID    string      `json:"into_id"`
	AgentID   string      `json:"agent_id"`
	CreatedAt time.Time   `json:"created_at"`
	UndoneAt  *time.Time  `json:"undone_at,omitempty"`
	UndoneBy  string      `json:"undone_by,omitempty"`
	Moves     []MergeMove `json:"-"`
}

// What a merge moved (MergeMove.Kind).
const (
	MovedIdentity = "identity"
	MovedTicket   = "ticket"
	MovedNote     = "note"
	// MovedClosed is a ticket the merge closed because the kept contact had
	// an open one on the same conversation; Prior is its status before.
	MovedClosed = "closed"
)

// MergeMove is one object a merge moved.
type MergeMove struct {
	Kind     string
	ObjectID string
	Prior    string
}

// ContactReader holds the contact panel's queries.
type ContactReader interface {
	// ContactNotes lists a contact's notes oldest first.
	ContactNotes(ctx context.Context, contactID string) ([]ContactNote, error)
	ContactNote(ctx context.Context, id string) (ContactNote, error)
	// ContactMerge is one merge by hand with its moves.
	ContactMerge(ctx context.Context, id string) (ContactMerge, error)
	// ContactMerges lists the merges by hand that kept or removed
	// contactID, newest first, without their moves.
	ContactMerges(ctx context.Context, contactID string) ([]ContactMerge, error)
	// SearchContacts lists contacts not merged away whose name or an
	// identity's value contains q (case-insensitive), newest first; with
	// v, only those with a ticket v may see.
	SearchContacts(ctx context.Context, q string, v *Visibility, limit int) ([]Contact, error)
}

// ContactWriter holds the contact panel's writes.
type ContactWriter interface {
	InsertContactNote(ctx context.Context, n ContactNote) error
	// UpdateContactNote sets the text of note id.
	UpdateContactNote(ctx context.Context, id, text string, at time.Time) error
	DeleteContactNote(ctx context.Context, id string) error
	// MergeContactsRecorded is MergeContacts(m.FromID, m.IntoID) that first
	// stores m and what the merge is about to move.
	MergeContactsRecorded(ctx context.Context, m ContactMerge) error
	// UndoContactMerge moves back what merge m moved and still sits on
	// m.IntoID (with the tickets that came in since on a moved identity),
	// reopens the tickets it closed where that collides with nothing, and
	// marks m undone. ErrNotFound when m was undone before or m.FromID is
	// no longer merged into m.IntoID.
	UndoContactMerge(ctx context.Context, m ContactMerge, at time.Time, by string) error
}
