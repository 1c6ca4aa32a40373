package webchat

import (
	"context"
	"time"
)

// Message is one customer-visible entry of a conversation.
type Message struct {
	ID          string `json:"id"`
	TicketID    string `json:"ticket_id"`
	Seq         int64  `json:"seq"`  // 1,2,3… per ticket in commit order; notes/system entries take numbers too, so visible seqs may skip
	From        string `json:"from"` // "customer", "agent" or "bot"
	Text        string `json:"text"`
	AgentName   string `json:"agent_name,omitempty"`
	EmployeeNo  string `json:"employee_no,omitempty"`   // public employee number, so customers can check an agent is genuine
	ClientMsgID string `json:"client_msg_id,omitempty"` // for the customer's own messages, when known
	Files       []File `json:"files,omitempty"`         // an agent's attachments
	// Kind is "verify_request" for an agent's request to verify, which
	// the widget shows with its verify card.
	Kind string    `json:"kind,omitempty"`
	At   time.Time `json:"at"`
	// Survey is the token of a satisfaction survey (kind csat_request),
	// which the widget shows as its rating card.
	Survey string `json:"survey,omitempty"`
}

// History reads the customer-visible timeline from the record (SQL).
type History interface {
	// ActiveTicket is the id of the visitor's ticket on the site that is not closed; "" when none.
	ActiveTicket(ctx context.Context, siteKey, visitorID string) (string, error)
	// Messages lists ticket's customer-visible messages with Seq > after, oldest first, at most limit.
	Messages(ctx context.Context, ticketID string, after int64, limit int) ([]Message, error)
}
