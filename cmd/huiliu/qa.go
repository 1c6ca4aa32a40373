package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"time"

	"huiliu/cmd/huiliu/internal/services"
	"huiliu/desk"
	"huiliu/queue"
)

// qaCheck is how often a node asks to run the weekly quality sampling, and
// how long the lease it gets holds: one node an hour tries, and each plan's
// week is sampled once whatever runs (qa_runs), so the hourly retries only
// pick up a week a failed or late run left.
const (
	qaCheck = time.Hour
	qaLease = "qa:sample"
)

// qaServices runs the sampling plans for the week before, on one node.
func (a *app) qaServices() []services.Service {
	return []services.Service{{Name: "qa", Run: func(ctx context.Context) error {
		qaLoop(ctx, a.svc, a.queue.Leases(), qaCheck, a.log)
		return nil
	}}}
}

func qaLoop(ctx context.Context, svc *desk.Service, leases queue.Leases, check time.Duration, log *slog.Logger) {
	t := time.NewTicker(check)
	defer t.Stop()
	for {
		holder := make([]byte, 8)
		_, _ = rand.Read(holder)
		ok, err := leases.Acquire(ctx, qaLease, hex.EncodeToString(holder), check)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("qa: lease", "err", err)
		case ok:
			n, err := svc.RunQAPlans(ctx)
			if err != nil && ctx.Err() == nil {
				log.Error("qa: sampling", "err", err)
			}
			if n > 0 {
				log.Info("qa: sampled", "reviews", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
