package desk

import (
	"context"
	"fmt"
)

// InboxCounts are the numbers an agent's inbox shows beside its views.
type InboxCounts struct {
	Mine       int `json:"mine"`       // assigned to me, open or pending
	Unassigned int `json:"unassigned"` // open, nobody works it, visible to me
	Owned      int `json:"owned"`      // I am the first-contact owner, not yet resolved
	All        int `json:"all"`        // everything visible to me that is not resolved
	Open       int `json:"open"`
	Pending    int `json:"pending"`
	// AtRisk and Breached count active tickets whose SLA is at risk or
	// overrun and not met (SLAAlerts).
	AtRisk   int `json:"at_risk"`
	Breached int `json:"breached"`
	// Callbacks counts active tickets with a callback not yet made, up to
	// MaxCallbacksView.
	Callbacks int `json:"callbacks"`
}

// MaxCallbacksView bounds the "open callbacks" view and its count.
const MaxCallbacksView = 200

// InboxCounts counts the inbox views of agent a.
func (s *Service) InboxCounts(ctx context.Context, a Agent) (InboxCounts, error) {
	vis := VisibilityOf(a)
	active := []Status{StatusOpen, StatusPending}
	var c InboxCounts
	for _, q := range []struct {
		n *int
		f TicketFilter
	}{
		{&c.Mine, TicketFilter{AssigneeID: a.ID, Status: active}},
		{&c.Unassigned, TicketFilter{Visible: vis, Unassigned: true, Status: []Status{StatusOpen}}},
		{&c.Owned, TicketFilter{OwnerID: a.ID, Status: active}},
		{&c.All, TicketFilter{Visible: vis, Status: []Status{StatusBot, StatusOpen, StatusPending}}},
		{&c.Open, TicketFilter{Visible: vis, Status: []Status{StatusOpen}}},
		{&c.Pending, TicketFilter{Visible: vis, Status: []Status{StatusPending}}},
	} {
		n, err := s.store.CountTickets(ctx, q.f)
		if err != nil {
			return InboxCounts{}, fmt.Errorf("desk: inbox counts of %s: %w", a.ID, err)
		}
		*q.n = n
	}
	al, err := s.SLAAlerts(ctx, a)
	if err != nil {
		return InboxCounts{}, err
	}
	c.AtRisk, c.Breached = len(al.AtRisk), len(al.Breached)
	cb, err := s.OpenCallbacks(ctx, a, MaxCallbacksView)
	if err != nil {
		return InboxCounts{}, err
	}
	c.Callbacks = len(cb)
	return c, nil
}
