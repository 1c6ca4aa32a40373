package webchat

import (
	"context"
	"errors"
	"time"
)

// Conversations tells the widget about a conversation beyond its messages
// and takes a callback request; cmd/huiliu implements it over the desk.
type Conversations interface {
	// State is the ticket's status, queue place and the desk's hours now.
	State(ctx context.Context, ticketID string) (State, error)
	// Callback records the customer's wish to be called back on phone.
	// ErrBadCallback (wrapped) for a name or number the desk cannot use.
	Callback(ctx context.Context, ticketID, name, phone string) error
}

// ErrBadCallback is a callback request with an unusable name or number.
var ErrBadCallback = errors.New("webchat: not a usable name and telephone number")

// State is what the widget tells the customer after their first message:
// the acknowledgement with the queue place, and out of hours when the
// desk opens again (with the option to leave a number).
type State struct {
	Status   string    `json:"status"`          // the ticket's: open, pending, resolved, …
	Queue    int       `json:"queue,omitempty"` // place in the queue, 1 is next; 0 when an agent or the bot has it
	Open     bool      `json:"open"`            // the desk works now
	NextOpen time.Time `json:"next_open,omitzero"`
}

// stateFrame carries a State for a ticket.
type stateFrame struct {
	Type     string `json:"type"`
	TicketID string `json:"ticket_id"`
	State
}

// callbackFrame answers a callback frame: Done, or Error (invalid: fix
// the number; unavailable: try again).
type callbackFrame struct {
	Type  string `json:"type"`
	Done  bool   `json:"done"`
	Error string `json:"error,omitempty"`
}

// Field limits of a callback frame (the desk checks the rest).
const (
	maxCallbackName  = 256
	maxCallbackPhone = 64
)

// state reads ticket's state for the widget; nil when there is no
// Conversations or the desk failed (the widget then shows no
// acknowledgement, which is no loss).
func (s *Server) state(ctx context.Context, ticket string) *stateFrame {
	if s.o.Conversations == nil || ticket == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	st, err := s.o.Conversations.State(ctx, ticket)
	if err != nil {
		s.log.Warn("webchat: reading a conversation's state", "ticket", ticket, "err", err)
		return nil
	}
	return &stateFrame{Type: frameState, TicketID: ticket, State: st}
}

// sendState tells the connection ticket's state: after the message that
// opened it.
func (c *conn) sendState(ticket string) {
	if f := c.s.state(&c.life, ticket); f != nil {
		c.push(encodeFrame(f))
	}
}

// handleCallback takes the customer's number for a callback on the
// connection's ticket.
func (c *conn) handleCallback(f clientFrame) {
	c.mu.Lock()
	ticket := c.ticket
	c.mu.Unlock()
	cv := c.s.o.Conversations
	if cv == nil || ticket == "" {
		c.push(encodeFrame(callbackFrame{Type: frameCallback, Error: CodeUnavailable}))
		return
	}
	ctx, cancel := context.WithTimeout(&c.life, 30*time.Second)
	defer cancel()
	err := cv.Callback(ctx, ticket, f.Name, f.Phone)
	switch {
	case errors.Is(err, ErrBadCallback):
		c.push(encodeFrame(callbackFrame{Type: frameCallback, Error: CodeInvalid}))
	case err != nil:
		if c.life.Err() == nil {
			c.logger().Error("webchat: storing a callback request", "ticket", ticket, "err", err)
			c.push(encodeFrame(callbackFrame{Type: frameCallback, Error: CodeUnavailable}))
		}
	default:
		c.push(encodeFrame(callbackFrame{Type: frameCallback, Done: true}))
	}
}
