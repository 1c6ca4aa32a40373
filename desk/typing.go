package desk

import (
	"context"
	"encoding/json"
)

// StreamTyping carries typing indicators between nodes: who is typing on
// which ticket. They are fleeting, so nothing of them is stored in SQL.
const StreamTyping = "typing"

// Typing is one typing indicator. Who is TypingCustomer or TypingAgent.
type Typing struct {
	TicketID string `json:"ticket_id"`
	Who      string `json:"who"`
	AgentID  string `json:"agent_id,omitempty"`
	Name     string `json:"name,omitempty"`
}

// Who types.
const (
	TypingCustomer = "customer"
	TypingAgent    = "agent"
)

// PublishTyping fans a typing indicator out to every node. A failure only
// costs the indicator, so it is logged at debug level and not returned.
func (s *Service) PublishTyping(ctx context.Context, t Typing) {
	if s.events == nil || t.TicketID == "" {
		return
	}
	data, _ := json.Marshal(t)
	if _, err := s.events.Publish(ctx, StreamTyping, data); err != nil {
		s.log.Debug("desk: publish typing", "ticket", t.TicketID, "err", err)
	}
}
