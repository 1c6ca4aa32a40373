package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"huiliu/cmd/huiliu/internal/services"
	"huiliu/desk"
	"huiliu/queue"
)

// runRetention is `huiliu retention purge [--dry-run] [--days N]`.
func runRetention(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "purge" {
		return usagef("usage: huiliu retention purge [--dry-run] [--days N]")
	}
	var dry bool
	var days int
	cfg, err := adminFlags("retention purge", args[1:], stderr, func(fs *flag.FlagSet) {
		fs.BoolVar(&dry, "dry-run", false, "count what would be purged and change nothing")
		fs.IntVar(&days, "days", 0, "purge tickets closed longer ago than this many days (default: retention_days)")
	})
	if err != nil {
		return err
	}
	if days == 0 {
		days = cfg.RetentionDays
	}
	if days < 1 {
		return usagef("retention is off: give --days N or set retention_days")
	}
	return withApp(ctx, cfg, stderr, func(a *app) error {
		rep, err := a.svc.PurgeClosed(ctx, desk.Actor{}, days, dry)
		if err != nil {
			return userError(err)
		}
		verb := "purged"
		if dry {
			verb = "would purge (dry run, nothing changed)"
		}
		fmt.Fprintf(stdout, "%s personal data of tickets closed before %s:\n", verb, rep.Before.Format(time.RFC3339))
		fmt.Fprintf(stdout, "  tickets      %d\n  messages     %d\n  attachments  %d\n  contacts     %d (identities %d)\n  facts        %d\n",
			rep.Tickets, rep.Messages, rep.Attachments, rep.Contacts, rep.Identities, rep.Other)
		return nil
	})
}

// retentionCheck is how often each node asks for the daily purge.
const retentionCheck = time.Hour

// retentionLease is held for a day by whichever node purged: the lease is
// the "done today" token, so the purge runs once a day across nodes.
const (
	retentionLease = "retention:purge"
	retentionEvery = 24 * time.Hour
)

// retentionServices runs the daily purge when retention_days is set.
func (a *app) retentionServices() []services.Service {
	if a.cfg.RetentionDays < 1 {
		return nil
	}
	return []services.Service{{Name: "retention", Run: func(ctx context.Context) error {
		retentionLoop(ctx, a.svc, a.queue.Leases(), a.cfg.RetentionDays, retentionCheck, a.log)
		return nil
	}}}
}

// retentionLoop asks every check for the lease under a holder name of its
// own; only a free lease (none taken in the last day) is granted, and it
// is never released, so each day one node purges.
func retentionLoop(ctx context.Context, svc *desk.Service, leases queue.Leases, days int, check time.Duration, log *slog.Logger) {
	t := time.NewTicker(check)
	defer t.Stop()
	for {
		holder := make([]byte, 8)
		_, _ = rand.Read(holder)
		ok, err := leases.Acquire(ctx, retentionLease, hex.EncodeToString(holder), retentionEvery)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Warn("retention: lease", "err", err)
		case ok:
			rep, err := svc.PurgeClosed(ctx, desk.Actor{}, days, false)
			if err != nil {
				log.Error("retention: purge", "err", err)
			} else {
				log.Info("retention: purged", "days", days, "tickets", rep.Tickets, "messages", rep.Messages,
					"attachments", rep.Attachments, "contacts", rep.Contacts, "identities", rep.Identities, "other", rep.Other)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
