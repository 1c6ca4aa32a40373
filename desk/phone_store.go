package desk

import (
	"context"
	"time"
)

// PhoneReader holds the reads of the phone channel; store.DB and its
// transactions implement it (migration 00039).
type PhoneReader interface {
	// CallByCallID is the call record of (line, callID) (ErrNotFound: none).
	CallByCallID(ctx context.Context, line, callID string) (CallRecord, error)
	// CallByID is the call record id (ErrNotFound: none).
	CallByID(ctx context.Context, id string) (CallRecord, error)
	// CallEventSeen is the call record of (line, callID) and whether its
	// event state was stored (ErrNotFound: no event of the call yet).
	CallEventSeen(ctx context.Context, line, callID, state string) (CallRecord, bool, error)
	// TicketCalls lists a ticket's calls, oldest first.
	TicketCalls(ctx context.Context, ticketID string) ([]CallRecord, error)
	// OpenCallbacks lists the active tickets vis may see (nil: all) with a
	// callback not yet made, the earliest deadline first; at most limit.
	OpenCallbacks(ctx context.Context, vis *Visibility, limit int) ([]CallbackTicket, error)
	// AgentExtension is agent id's extension ("" when none is set).
	AgentExtension(ctx context.Context, agentID string) (string, error)
	// AgentIDByExtension is the active agent whose extension or employee
	// number is ext (ErrNotFound: none).
	AgentIDByExtension(ctx context.Context, ext string) (string, error)
}

// PhoneWriter holds the writes, inside Store.Tx.
type PhoneWriter interface {
	PhoneReader
	// InsertCallEvent records (line, callID, state) once; false when it
	// was there already (a redelivery).
	InsertCallEvent(ctx context.Context, line, callID, state string, at, now time.Time) (bool, error)
	// MergeCall inserts c or merges it into the stored record of its
	// (line, call id): the state of the higher rank wins, times and
	// durations already known stay, newer non-empty texts replace older
	// ones. It returns the merged record.
	MergeCall(ctx context.Context, c CallRecord) (CallRecord, error)
	// SetCallCallback links the callback follow-up made for a call.
	SetCallCallback(ctx context.Context, id, followupID string) error
	// SetCallWrapUp stores an agent's notes and disposition.
	SetCallWrapUp(ctx context.Context, id, notes, disposition string, at time.Time) error
	// SetMessageEvent rewrites the text and event of a message (the call
	// entry of a timeline, as the call moves on).
	SetMessageEvent(ctx context.Context, messageID, text string, ev SystemEvent) error
	// SetAgentExtension sets an agent's phone extension ("" clears it);
	// ErrConflict when another agent has it.
	SetAgentExtension(ctx context.Context, agentID, ext string) error
}

// CallbackTicket is a ticket with a callback to make, and its earliest
// deadline.
type CallbackTicket struct {
	Ticket Ticket
	DueAt  time.Time
}
