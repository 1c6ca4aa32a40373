package main

import (
	"context"
	"sync"
	"time"

	"huiliu/desk"
	"huiliu/queue"
)

// startRouting attaches the router before the server takes requests, so
// every new ticket meets the rules, and works the queues until ctx ends.
// Every node runs one; the routing lease lets one of them assign at a time.
func (a *app) startRouting(ctx context.Context, wg *sync.WaitGroup) {
	r := a.svc.NewRouter(desk.RouterOptions{Presence: a.queue.Presence(), Leases: a.queue.Leases()})
	wg.Add(2)
	go func() {
		defer wg.Done()
		r.Run(ctx)
	}()
	go func() {
		defer wg.Done()
		a.nudgeOnDeskEvents(ctx)
	}()
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
