package main

import (
	"context"
	"time"

	"huiliu/cmd/huiliu/internal/services"
	"huiliu/desk"
)

// routingServices attach the router at once, before the server takes
// requests, so every new ticket meets the rules; the services work the
// queues and wake the router on desk events. Every node runs one; the
// routing lease lets one of them assign at a time.
func (a *app) routingServices() []services.Service {
	r := a.svc.NewRouter(desk.RouterOptions{Presence: a.queue.Presence(), Leases: a.queue.Leases()})
	return []services.Service{
		{Name: "routing", Run: func(ctx context.Context) error { r.Run(ctx); return nil }},
		{Name: "routing-nudge", Run: func(ctx context.Context) error { a.nudgeOnDeskEvents(ctx); return nil }},
	}
}

// nudgeOnDeskEvents wakes this node's router on every desk event of any
// node: a ticket resolved on node B frees a slot that the lease holder on
// node A should fill now rather than at its next tick.
func (a *app) nudgeOnDeskEvents(ctx context.Context) {
	for ctx.Err() == nil {
		entries, err := a.queue.Bus().Subscribe(ctx, desk.StreamDesk, -1)
		if err != nil {
			a.log.Warn("routing: subscribe to desk events", "err", err)
			select {
			case <-ctx.Done():
			case <-time.After(5 * time.Second):
			}
			continue
		}
		for range entries {
			a.svc.NudgeRouting()
		}
	}
}
