package main

import (
	"context"
	"sync"

	"huiliu/desk"
)

// startRouting attaches the router before the server takes requests, so
// every new ticket meets the rules, and works the queues until ctx ends.
// Every node runs one; the routing lease lets one of them assign at a time.
func (a *app) startRouting(ctx context.Context, wg *sync.WaitGroup) {
	r := a.svc.NewRouter(desk.RouterOptions{Presence: a.queue.Presence(), Leases: a.queue.Leases()})
	wg.Add(1)
	go func() {
		defer wg.Done()
		r.Run(ctx)
	}()
}
