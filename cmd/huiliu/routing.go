package main

import (
	"context"
	"time"

	"huiliu/cmd/huiliu/internal/services"
	"huiliu/desk"
	"huiliu/queue"
)

// routingServices work the queues and wake the router on desk events (the
// router was bound to the service in openApp, so every new ticket meets the
// rules). Every node runs one; the routing lease lets one of them assign at
// a time.
func (a *app) routingServices() []services.Service {
	return []services.Service{
		{Name: "routing", Run: func(ctx context.Context) error { a.router.Run(ctx); return nil }},
		{Name: "routing-nudge", Run: func(ctx context.Context) error { a.nudgeOnDeskEvents(ctx); return nil }},
	}
}

// nudgeOnDeskEvents wakes this node's router on every desk event of any
// node: a ticket resolved on node B frees a slot that the lease holder on
// node A should fill now rather than at its next tick.
func (a *app) nudgeOnDeskEvents(ctx context.Context) {
	for ctx.Err() == nil {
		entries, err := a.queue.Bus().Subscribe(ctx, desk.StreamDesk, queue.Live)
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
