package botadmin

import (
	"context"
	"fmt"
	"slices"

	"huiliu/bot"
	"huiliu/desk"
	"huiliu/desk/pii"
)

// maxPanelDecisions bounds the decisions the ticket page shows.
const maxPanelDecisions = 500

// Field is one answer a flow collected from the customer.
type Field struct {
	Flow  string `json:"flow"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Panel is what the ticket page shows of the bot's part in a ticket: its
// decisions, oldest first, and the latest value of every field its flows
// collected. Customers' words are masked like the timeline.
type Panel struct {
	Decisions []bot.Decision `json:"decisions"`
	Fields    []Field        `json:"fields"`
}

// TicketPanel reads the bot's decisions on a ticket the agent may see
// (anyone else: not found, as for the ticket itself).
func (s *Service) TicketPanel(ctx context.Context, a desk.Agent, ticketID string) (Panel, error) {
	if _, err := s.desk.VisibleTicket(ctx, a, ticketID); err != nil {
		return Panel{}, err
	}
	ds, err := s.store.BotDecisions(ctx, bot.DecisionFilter{TicketID: ticketID, Limit: maxPanelDecisions})
	if err != nil {
		return Panel{}, fmt.Errorf("botadmin: decisions of ticket %s: %w", ticketID, err)
	}
	p := Panel{Decisions: make([]bot.Decision, 0, len(ds)), Fields: []Field{}}
	at := map[[2]string]int{}
	for _, d := range ds {
		d.Text = pii.Mask(d.Text)
		if len(d.Detail.Fields) > 0 {
			masked := make(map[string]string, len(d.Detail.Fields))
			names := make([]string, 0, len(d.Detail.Fields))
			for k, v := range d.Detail.Fields {
				masked[k] = pii.Mask(v)
				names = append(names, k)
			}
			d.Detail.Fields = masked
			slices.Sort(names)
			for _, k := range names {
				key := [2]string{d.Detail.Flow, k}
				if i, ok := at[key]; ok {
					p.Fields[i].Value = masked[k]
					continue
				}
				at[key] = len(p.Fields)
				p.Fields = append(p.Fields, Field{Flow: d.Detail.Flow, Name: k, Value: masked[k]})
			}
		}
		p.Decisions = append(p.Decisions, d)
	}
	return p, nil
}
