package channels

import "time"

// Call states a call-centre platform reports, in the order a call moves
// through them. Ended, missed and voicemail are final.
const (
	CallRinging   = "ringing"
	CallAnswered  = "answered"
	CallEnded     = "ended"
	CallMissed    = "missed"
	CallVoicemail = "voicemail"
)

// CallStateRank orders states so that events arriving out of order merge
// into the right final state: a later rank wins, 0 is not a state.
func CallStateRank(state string) int {
	switch state {
	case CallRinging:
		return 1
	case CallAnswered:
		return 2
	case CallEnded, CallMissed, CallVoicemail:
		return 3
	}
	return 0
}

// Call is one event of a telephone call as the phone channel read it from
// a call platform's callback, a call-detail record or an agent's log.
// Numbers are normalised (E.164 where the number is valid).
type Call struct {
	// Line is the configured line ([[phone_line]] name) the call belongs to;
	// CallID the platform's id of the call, unique within the line.
	Line   string `json:"line"`
	CallID string `json:"call_id"`
	// Direction is "in" (the customer called) or "out" (we called them).
	Direction string `json:"direction"`
	// Customer is the customer's number, Ours the number of ours they
	// called or were called from.
	Customer string `json:"customer"`
	Ours     string `json:"ours,omitempty"`
	// Agent is the agent's extension or employee number, as the platform
	// knows them; empty while the call is queued.
	Agent string `json:"agent,omitempty"`
	State string `json:"state"`
	// At is when this event happened; StartedAt, AnsweredAt and EndedAt
	// are filled when the event says them.
	At         time.Time `json:"at"`
	StartedAt  time.Time `json:"started_at,omitzero"`
	AnsweredAt time.Time `json:"answered_at,omitzero"`
	EndedAt    time.Time `json:"ended_at,omitzero"`
	// Talk is the talk time the platform measured; when zero, the desk
	// takes EndedAt − AnsweredAt.
	Talk         time.Duration `json:"talk,omitempty"`
	Queue        string        `json:"queue,omitempty"`
	RecordingURL string        `json:"recording_url,omitempty"`
	Disposition  string        `json:"disposition,omitempty"`
	// Notes is an agent's summary (wrap-up or a call logged by hand).
	Notes string `json:"notes,omitempty"`
	// Source says how the event came: webhook, import or manual.
	Source string `json:"source"`
}

// CallReceipt is what the desk answers once a call event is committed.
type CallReceipt struct {
	TicketID  string `json:"ticket_id"`
	MessageID string `json:"message_id"`
	// State is the call's state after the merge, which is not this
	// event's when a later one arrived first.
	State string `json:"state"`
	// Duplicate: this (line, call id, state) had been stored before.
	Duplicate bool `json:"duplicate"`
}
