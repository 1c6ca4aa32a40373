package main

import (
	"context"
	"strings"
	"time"

	"huiliu/cmd/huiliu/internal/services"
)

// reportZone is the configured zone of the reports (validated with the
// configuration; UTC if it cannot load).
func reportZone(cfg Config) *time.Location {
	z, err := time.LoadLocation(cfg.ReportsTimezone)
	if err != nil {
		return time.UTC
	}
	return z
}

// How often each node heals the roll-ups and looks whether the weekly
// summary is due.
const (
	reportsHealEvery   = 5 * time.Minute
	reportsWeeklyCheck = 10 * time.Minute
)

// reportServices heals the KPI roll-ups (tickets whose after-commit sync
// was lost) and sends the weekly summary to supervisors, by email when a
// mailbox is configured, else into the mail-codes file like email codes.
func (a *app) reportServices() []services.Service {
	return []services.Service{
		{Name: "kpi-heal", Run: func(ctx context.Context) error { a.kpi.Run(ctx, reportsHealEvery); return nil }},
		{Name: "kpi-weekly", Run: func(ctx context.Context) error { a.weeklyLoop(ctx); return nil }},
	}
}

func (a *app) weeklyLoop(ctx context.Context) {
	send := func(ctx context.Context, to, subject, body string) error {
		return a.mailCodes.SendMailCode(ctx, to, subject, body, "")
	}
	link := ""
	if a.cfg.PublicURL != "" {
		link = strings.TrimRight(a.cfg.PublicURL, "/") + "/supervisor/reports?period=week"
	}
	t := time.NewTicker(reportsWeeklyCheck)
	defer t.Stop()
	for {
		if sent, err := a.kpi.WeeklySummary(ctx, send, link); err != nil && ctx.Err() == nil {
			a.log.Warn("reports: weekly summary", "err", err)
		} else if sent {
			a.log.Info("reports: weekly summary sent")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
