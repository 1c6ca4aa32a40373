package desk

import "time"

// Status is where a ticket stands in its life.
type Status string

const (
	StatusBot      Status = "bot"      // the bot is handling it
	StatusOpen     Status = "open"     // waiting on the desk
	StatusPending  Status = "pending"  // waiting on the customer; SLA paused
	StatusResolved Status = "resolved" // answered; reopens on a new customer message within the window
	StatusClosed   Status = "closed"   // final; a new message opens a new ticket
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusBot, StatusOpen, StatusPending, StatusResolved, StatusClosed:
		return true
	}
	return false
}

// Priority orders work; higher is more urgent.
type Priority string

const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Valid reports whether p is a known priority.
func (p Priority) Valid() bool {
	switch p {
	case PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent:
		return true
	}
	return false
}

// Ticket is one customer request and its whole timeline.
type Ticket struct {
	ID        string `json:"id"`
	Number    int64  `json:"number"` // public, human-friendly
	ContactID string `json:"contact_id"`
	Channel   string `json:"channel"`    // channel of first contact
	ThreadKey string `json:"thread_key"` // the conversation within the channel
	// IdentityID is the identity the conversation is with; replies go to it.
	IdentityID string   `json:"identity_id"`
	Status     Status   `json:"status"`
	Priority   Priority `json:"priority"`
	Subject    string   `json:"subject"`
	TeamID     string   `json:"team_id,omitempty"`
	// OwnerID is the first-contact owner (首问负责人); AssigneeID works it now.
	OwnerID    string `json:"owner_id,omitempty"`
	AssigneeID string `json:"assignee_id,omitempty"`
	// Handoff: a transfer, another team or another agent than the owner
	// worked the ticket, so resolving it needs the owner's confirmation
	// that the customer was told the outcome (desk/ownership.go).
	Handoff bool `json:"handoff"`
	// ConfirmationRequired: the owner (or a supervisor) must still confirm.
	ConfirmationRequired bool       `json:"confirmation_required"`
	ConfirmedBy          string     `json:"confirmed_by,omitempty"`
	ConfirmedAt          *time.Time `json:"confirmed_at,omitempty"`
	// Tags are short labels agents put on a ticket (lower case, no commas).
	Tags []string `json:"tags"`
	// Category classifies the request (e.g. repayment, complaint); routing
	// rules and SLA policies match on it.
	Category string `json:"category"`
	// Language is the customer's language as a BCP 47 tag (zh, en), when
	// known.
	Language string `json:"language"`
	// LastSeq is the Seq of the ticket's newest message.
	LastSeq int64 `json:"last_seq"`
	// Preview is the start of the last message, as an inbox shows it.
	Preview       string    `json:"preview"`
	LastMessageAt time.Time `json:"last_message_at"`
	// WaitingSince is when the first customer message the desk has not
	// answered yet came; zero when the desk spoke last.
	WaitingSince time.Time `json:"waiting_since,omitzero"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// TicketTouch is what a new message changes on its ticket. It changes only
// these columns (and takes the next message Seq, returned as LastSeq), so
// concurrent edits of other fields are kept.
type TicketTouch struct {
	// Preview, when not empty, becomes the preview and At the time of the
	// last message.
	Preview string
	// At is the time of the change (updated_at).
	At time.Time
	// Reopen turns a pending or resolved ticket open again.
	Reopen bool
	// ClaimFor, an agent id, becomes the owner and the assignee where those
	// are still empty: the first public reply (首问负责制).
	ClaimFor string
}

// TicketFilter selects tickets for an inbox view. Empty fields match all.
type TicketFilter struct {
	Status []Status
	// Visible restricts the result to what an agent may see; nil means all.
	Visible    *Visibility
	Team       string
	AssigneeID string
	// Unassigned keeps only tickets nobody works yet.
	Unassigned bool
	// Tag keeps tickets carrying this tag.
	Tag      string
	OwnerID  string
	Channel  string
	Category string
	// ContactID keeps the tickets of one contact.
	ContactID string
	Query     string // text in subject or any message
	// Sort orders the page (SortActivity when empty).
	Sort TicketSort
	// Cursor is opaque; it continues a previous page of the same sort.
	Cursor string
	Limit  int
}

// TicketSort is an inbox order.
type TicketSort string

const (
	// SortActivity: the latest activity first.
	SortActivity TicketSort = "activity"
	// SortWaiting: the customer waiting longest first (open and bot
	// tickets whose customer wrote last), then the rest by id.
	SortWaiting TicketSort = "waiting"
	// SortDeadline: the nearest (or most overdue) running SLA deadline
	// first, then tickets without one by id.
	SortDeadline TicketSort = "deadline"
)

// Valid reports whether s is a known order ("" is the default).
func (s TicketSort) Valid() bool {
	switch s {
	case "", SortActivity, SortWaiting, SortDeadline:
		return true
	}
	return false
}

// Visibility is what an agent (role agent) may see: tickets of their teams,
// tickets not yet routed to any team, and tickets they own or are assigned.
type Visibility struct {
	AgentID string
	TeamIDs []string
}

// TicketPage is one page of an inbox; Next is empty on the last page.
type TicketPage struct {
	Tickets []Ticket `json:"tickets"`
	Next    string   `json:"next_cursor,omitempty"`
}

// Limits of the inbox pages.
const (
	DefaultPageSize = 50
	MaxPageSize     = 200
)

// ReopenWindow is how long after resolution a customer message reopens the
// ticket instead of opening a new one.
const ReopenWindow = 7 * 24 * time.Hour

// PreviewLen is how many runes of the last message a ticket keeps as preview.
const PreviewLen = 140
