package webchat

import "context"

// Notice tells the chat server that something happened on a ticket.
type Notice struct {
	TicketID  string
	Typing    bool   // an agent is typing; otherwise the ticket's timeline changed: pull it
	AgentName string // with Typing
	// MessageID and Seq name the message that changed the timeline, when
	// the notice is for one; a connection that sent it itself and has
	// everything before it skips reading it back. Empty and 0 mean
	// unknown: connections pull.
	MessageID string
	Seq       int64
}

// Feed carries notices from the desk (on any node) and the customers' typing to it.
type Feed interface {
	// Notices delivers notices until ctx ends. When the returned channel closes before ctx ends,
	// notices may have been lost: the server re-pulls every connection and calls Notices again (with backoff).
	Notices(ctx context.Context) (<-chan Notice, error)
	// CustomerTyping tells the agents that the customer on ticket is typing.
	CustomerTyping(ctx context.Context, ticketID string) error
}
