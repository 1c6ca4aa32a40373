package desk

import (
	"encoding/json"
	"time"
)

// Event types published after a commit.
const (
	// EventTicketCreated: a customer message opened a ticket (data:
	// MessageEventData).
	EventTicketCreated = "ticket.created"
	// EventMessageCreated: a message joined an existing ticket (data:
	// MessageEventData).
	EventMessageCreated = "message.created"
	// EventMessageUpdated: a message's delivery state changed.
	EventMessageUpdated = "message.updated"
	// EventTicketUpdated: the ticket or its contact changed without a
	// customer or agent message (identities verified, contacts merged).
	EventTicketUpdated = "ticket.updated"
	// EventSLAWarning: a ticket's SLA target reached a warning step of its
	// ladder (data: SLAEventData).
	EventSLAWarning = "sla.warning"
	// EventSLABreached: a ticket's SLA target was missed (data:
	// SLAEventData).
	EventSLABreached = "sla.breached"
	// EventCSATLowScore: a customer gave a low satisfaction score (data:
	// CSATEventData; Recipients are the team's supervisors).
	EventCSATLowScore = "csat.low_score"
	// EventCallRinging: a call rings for an agent's extension (data:
	// CallRingingData); their desk pops the caller's context.
	EventCallRinging = "call.ringing"
	// EventCallEnded: a call an agent had ended (data: CallEndedData);
	// their desk offers the wrap-up.
	EventCallEnded = "call.ended"
)

// eventTypes are all the types published on StreamDesk; live views switch
// on them, so publish refuses any other (event_test.go checks every Event*
// constant is here).
var eventTypes = map[string]bool{
	EventTicketCreated:  true,
	EventMessageCreated: true,
	EventMessageUpdated: true,
	EventTicketUpdated:  true,
	EventSLAWarning:     true,
	EventSLABreached:    true,
	EventCSATLowScore:   true,
	EventCallRinging:    true,
	EventCallEnded:      true,
}

// StreamDesk is the stream every agent desk follows, filtering by what its
// agent may see.
const StreamDesk = "desk"

// Event is something that happened, in the order it was published on its
// stream. Seq is assigned by the bus; a reconnecting client resumes after the
// last Seq it saw.
type Event struct {
	Seq       int64  `json:"seq"`
	Type      string `json:"type"`
	TicketID  string `json:"ticket_id,omitempty"`
	MessageID string `json:"message_id,omitempty"`
	// MessageSeq is that message's Seq on its ticket, so a live view that
	// already has every message before it can skip a read.
	MessageSeq int64 `json:"message_seq,omitempty"`
	// TeamID, OwnerID and AssigneeID let a live view decide whether its
	// agent may see the event without a query.
	TeamID     string          `json:"team_id,omitempty"`
	OwnerID    string          `json:"owner_id,omitempty"`
	AssigneeID string          `json:"assignee_id,omitempty"`
	At         time.Time       `json:"at"`
	Data       json.RawMessage `json:"data,omitempty"`
}
