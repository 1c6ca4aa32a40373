package botadmin

import (
	"context"
	"fmt"

	"huiliu/bot"
	"huiliu/desk"
)

// Suggester works out the bot's reply to a customer's email without
// sending it; *bot.Engine implements it.
type Suggester interface {
	Suggest(ctx context.Context, t desk.Ticket, m desk.Message) (bot.Suggestion, error)
}

// SuggestReply is the bot's suggested answer to the customer's latest
// mail on an email ticket the agent may see (anyone else: not found, as
// for the ticket). Nothing is sent: the agent inserts, edits and sends it.
func (s *Service) SuggestReply(ctx context.Context, a desk.Agent, ticketID string) (bot.Suggestion, error) {
	t, m, err := s.desk.LatestCustomerMessage(ctx, a, ticketID)
	if err != nil {
		return bot.Suggestion{}, err
	}
	if t.Channel != "email" {
		return bot.Suggestion{}, desk.Errorf(desk.CodeInvalid, "ticket %d is not an email ticket: the bot answers chats itself", t.Number).
			Say("botdesk.err.not_email")
	}
	sg, ok := s.engine.(Suggester)
	if !ok || !s.CanTry() {
		return bot.Suggestion{}, desk.Errorf(desk.CodeUnavailable, "the bot is not running on this node")
	}
	out, err := sg.Suggest(ctx, t, m)
	if err != nil {
		return bot.Suggestion{}, fmt.Errorf("botadmin: suggest a reply on %s: %w", ticketID, err)
	}
	return out, nil
}
