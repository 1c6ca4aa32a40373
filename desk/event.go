package desk

import (
	"encoding/json"
	"time"
)

// Event types published after a commit.
const (
	EventMessageCreated = "message.created"
	EventMessageUpdated = "message.updated" // delivery status changed
	EventTicketCreated  = "ticket.created"
	EventTicketUpdated  = "ticket.updated"
)

// Streams events are published on. Every agent desk follows StreamDesk and
// filters by what it may see; a ticket page may follow the ticket's own.
const StreamDesk = "desk"

// StreamTicket is the stream of one ticket's events.
func StreamTicket(id string) string { return "ticket:" + id }

// Event is something that happened, in the order it was published on its
// stream. Seq is assigned by the bus; a reconnecting client resumes after the
// last Seq it saw.
type Event struct {
	Seq       int64  `json:"seq"`
	Type      string `json:"type"`
	TicketID  string `json:"ticket_id,omitempty"`
	MessageID string `json:"message_id,omitempty"`
	// TeamID, OwnerID and AssigneeID let a live view decide whether its
	// agent may see the event without a query.
	TeamID     string          `json:"team_id,omitempty"`
	OwnerID    string          `json:"owner_id,omitempty"`
	AssigneeID string          `json:"assignee_id,omitempty"`
	At         time.Time       `json:"at"`
	Data       json.RawMessage `json:"data,omitempty"`
}
