package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"huiliu/channels/telegram"
	"huiliu/desk"
	"huiliu/desk/web"
	"huiliu/queue"
)

var (
	rateLimitRefusals = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "huiliu_rate_limit_refusals_total",
		Help: "Attempts refused by a rate limit, by limit (login:ip, login:acct, webchat:msg, telegram:send, ...).",
	}, []string{"limit"})
	limiterFallbacks = promauto.NewCounter(prometheus.CounterOpts{
		Name: "huiliu_rate_limiter_fallbacks_total",
		Help: "Rate-limit checks counted on this node because the shared (Redis) limiter failed.",
	})
)

// readyChecks are what /readyz reports: without the database the node can
// commit nothing (503); without Redis or a Telegram bot it still serves,
// degraded.
func (a *app) readyChecks(tg *telegram.Channel) []web.Check {
	checks := []web.Check{
		{Name: "database", Ping: a.db.Ping},
		{Name: "queue", Ping: a.queue.Ping, Optional: true},
		{Name: "sla_calendars", Ping: a.calendarCheck, Optional: true},
	}
	if tg == nil {
		return checks
	}
	for _, st := range tg.Status() {
		name := st.Name
		checks = append(checks, web.Check{Name: "telegram:" + name, Optional: true, Ping: func(context.Context) error {
			for _, s := range tg.Status() {
				if s.Name == name {
					return s.Problem
				}
			}
			return nil
		}})
	}
	return checks
}

// calendarCheck fails while an SLA calendar in use lacks a year's public
// holidays, so /readyz and the log say so next to the desk's banner.
func (a *app) calendarCheck(ctx context.Context) error {
	gaps, err := a.svc.CalendarGaps(ctx)
	if err != nil || len(gaps) == 0 {
		return err
	}
	var b strings.Builder
	for i, g := range gaps {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "calendar %q has no public-holiday schedule for %v (only weekends are days off)", g.Name, g.Missing)
	}
	b.WriteString("; import the State Council notice on /admin/sla")
	return errors.New(b.String())
}

// countedBackend counts the refusals of its rate limiter by limit.
type countedBackend struct{ queue.Backend }

func (b countedBackend) Limiter() queue.Limiter { return countedLimiter{b.Backend.Limiter()} }

type countedLimiter struct{ queue.Limiter }

func (l countedLimiter) Allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration, error) {
	ok, retry, err := l.Limiter.Allow(ctx, key, limit, window)
	if err == nil && !ok {
		rateLimitRefusals.WithLabelValues(limitName(key)).Inc()
	}
	return ok, retry, err
}

// limitName is a key's first two parts ("login:ip" of "login:ip:1.2.3.4"):
// the kind of limit, never the client, so the series stay few.
func limitName(key string) string {
	parts := strings.SplitN(key, ":", 3)
	if len(parts) < 2 {
		return parts[0]
	}
	return parts[0] + ":" + parts[1]
}

// loginLimiter is the desk service's limiter: with Redis, its counts are
// shared by every node, and while Redis fails this node counts alone, so
// agents can still sign in during an outage.
func loginLimiter(shared, local queue.Backend, log *slog.Logger) queue.Limiter {
	if shared == local {
		return shared.Limiter()
	}
	return queue.FallbackLimiter(shared.Limiter(), local.Limiter(), func(err error) {
		limiterFallbacks.Inc()
		log.Warn("rate limiter: Redis failed; counting on this node", "err", err)
	})
}

// metricsCacheTTL bounds how often a scrape runs the SQL behind the desk
// gauges; scrapes in between get the figures of the last one.
const metricsCacheTTL = 15 * time.Second

// metricsAgent reads the overview as an admin: the metrics cover every team.
var metricsAgent = desk.Agent{ID: "metrics", Name: "metrics", Role: desk.RoleAdmin}

// deskCollector turns the supervisor overview, the outbox and the Telegram
// bots' standing into gauges at scrape time.
type deskCollector struct {
	a  *app
	tg *telegram.Channel

	mu      sync.Mutex
	at      time.Time
	metrics []prometheus.Metric
}

var (
	descTickets    = prometheus.NewDesc("huiliu_tickets", "Active tickets by team and status (open, pending, unassigned: open with nobody on it).", []string{"team", "status"}, nil)
	descOldest     = prometheus.NewDesc("huiliu_oldest_waiting_seconds", "Age of the team's oldest open ticket nobody works; 0 when none waits.", []string{"team"}, nil)
	descSLA        = prometheus.NewDesc("huiliu_sla_tickets", "Active tickets whose SLA is at risk or breached, by team.", []string{"team", "state"}, nil)
	descOutbox     = prometheus.NewDesc("huiliu_outbox_pending", "Replies waiting to be delivered, by channel.", []string{"channel"}, nil)
	descOutboxFail = prometheus.NewDesc("huiliu_outbox_failing", "Replies whose last delivery attempt failed and that wait for a retry, by channel.", []string{"channel"}, nil)
	descOutboxAge  = prometheus.NewDesc("huiliu_outbox_oldest_seconds", "Age of the oldest undelivered reply, by channel.", []string{"channel"}, nil)
	descSQLUp      = prometheus.NewDesc("huiliu_desk_metrics_up", "1 when the last reading of the desk gauges from SQL succeeded.", nil, nil)
	descBotErrors  = prometheus.NewDesc("huiliu_telegram_api_errors_total", "Failed Bot API calls, by bot.", []string{"bot"}, nil)
	descBotUp      = prometheus.NewDesc("huiliu_telegram_bot_up", "0 while the Bot API refuses the bot's token or cannot be reached.", []string{"bot"}, nil)
	descBuild      = prometheus.NewDesc("huiliu_build_info", "The running build; always 1.", []string{"version", "go"}, nil)
)

// Describe sends nothing: the collector is unchecked, its series depend on
// the teams and channels present.
func (c *deskCollector) Describe(chan<- *prometheus.Desc) {}

func (c *deskCollector) Collect(ch chan<- prometheus.Metric) {
	for _, m := range c.deskMetrics() {
		ch <- m
	}
	if c.tg != nil {
		for _, st := range c.tg.Status() {
			up := 1.0
			if st.Problem != nil {
				up = 0
			}
			ch <- prometheus.MustNewConstMetric(descBotErrors, prometheus.CounterValue, float64(st.Errors), st.Name)
			ch <- prometheus.MustNewConstMetric(descBotUp, prometheus.GaugeValue, up, st.Name)
		}
	}
	ch <- prometheus.MustNewConstMetric(descBuild, prometheus.GaugeValue, 1, version, runtime.Version())
}

// deskMetrics are the SQL-backed gauges, read at most once per
// metricsCacheTTL with bounded queries (the overview's own limits).
func (c *deskCollector) deskMetrics() []prometheus.Metric {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	if c.metrics != nil && now.Sub(c.at) < metricsCacheTTL {
		return c.metrics
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	out, err := c.read(ctx, now)
	up := 1.0
	if err != nil {
		c.a.log.Warn("metrics: reading the desk gauges", "err", err)
		out, up = nil, 0
	}
	c.metrics = append(out, prometheus.MustNewConstMetric(descSQLUp, prometheus.GaugeValue, up))
	c.at = now
	return c.metrics
}

func (c *deskCollector) read(ctx context.Context, now time.Time) ([]prometheus.Metric, error) {
	rows, err := c.a.svc.SupervisorOverview(ctx, metricsAgent)
	if err != nil {
		return nil, err
	}
	var out []prometheus.Metric
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		out = append(out, prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...))
	}
	for _, r := range rows {
		team := r.Name
		if r.TeamID == "" {
			team = "(none)"
		}
		gauge(descTickets, float64(r.Open), team, "open")
		gauge(descTickets, float64(r.Pending), team, "pending")
		gauge(descTickets, float64(r.Unassigned), team, "unassigned")
		gauge(descSLA, float64(r.AtRisk), team, "at_risk")
		gauge(descSLA, float64(r.Breached), team, "breached")
		oldest := 0.0
		if !r.OldestWaiting.IsZero() {
			oldest = now.Sub(r.OldestWaiting).Seconds()
		}
		gauge(descOldest, oldest, team)
	}
	backlogs, err := c.a.db.OutboxBacklogs(ctx)
	if err != nil {
		return nil, err
	}
	for _, b := range backlogs {
		gauge(descOutbox, float64(b.Pending), b.Channel)
		gauge(descOutboxFail, float64(b.Failing), b.Channel)
		gauge(descOutboxAge, now.Sub(b.Oldest).Seconds(), b.Channel)
	}
	return out, nil
}

// metricsGatherer is what /metrics shows: the process-wide series (HTTP,
// rate limits, Go runtime) and this app's desk gauges.
func (a *app) metricsGatherer(tg *telegram.Channel) prometheus.Gatherer {
	reg := prometheus.NewRegistry()
	reg.MustRegister(&deskCollector{a: a, tg: tg})
	return prometheus.Gatherers{prometheus.DefaultGatherer, reg}
}

// serveMetrics serves /metrics without a token on its own listener, for
// a scraper on a private network; never the public address.
func serveMetrics(addr string, g prometheus.Gatherer, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: readHeaderTimeout}
	log.Info("metrics listening", "addr", addr)
	if err := srv.ListenAndServe(); err != nil {
		log.Error("metrics listener stopped", "err", err)
	}
}
