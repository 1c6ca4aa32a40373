package main

import (
	"context"
	"sync"
)

// startSLA attaches the SLA worker before the server takes requests, so
// every committed change queues its ticket's recompute, and runs it until
// ctx ends. Each node runs one; timers are claimed atomically across them.
func (a *app) startSLA(ctx context.Context, wg *sync.WaitGroup) {
	w := a.svc.NewSLAWorker(a.queue.Timers("sla"))
	wg.Add(1)
	go func() {
		defer wg.Done()
		w.Run(ctx)
	}()
}
