package desk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"huiliu/desk/sla"
	"huiliu/queue"
)

// SLA worker settings.
const (
	slaTickInterval      = 250 * time.Millisecond
	slaReconcileInterval = 30 * time.Second
	// slaSweepGrace is how long past its instant a ticket waits for its
	// timer before the SQL sweep acts on it instead (a lost timer).
	slaSweepGrace  = 10 * time.Second
	slaClaimBatch  = 100
	slaPageSize    = 500
	slaMaxPending  = 100_000
	slaRetryDelay  = 5 * time.Second
	atRiskPercent  = 80
	slaMessagePage = 500
)

// SLAEventData says which target of which ticket escalated and who is to be
// told.
type SLAEventData struct {
	Ticket     Ticket   `json:"ticket"`
	Target     string   `json:"target"`
	Step       int      `json:"step"`
	Cycle      int      `json:"cycle"`
	Recipients []string `json:"recipients"`
}

// SLAWorker keeps tickets' SLA rows and timers in step with SQL. Changes
// reach it after their commit through a per-node coalescing queue (Touched),
// so the hot paths pay one map insert; everything it writes is recomputed
// from the ticket, its timeline and its policy, so a lost job or a crash is
// healed by the periodic reconcile of stale rows, and a lost timer by the
// sweep of overdue rows and the rebuild of an emptied timer set.
type SLAWorker struct {
	s      *Service
	timers queue.Timers
	log    *slog.Logger

	mu      sync.Mutex
	pending map[string]struct{}
	cals    map[string]cachedCalendar
	wake    chan struct{}
	// noPolicySince is when this node last saw that no policy exists
	// (zero: not known); see unconcerned.
	noPolicySince time.Time
}

// noPolicyTTL is how long "no policy exists" is believed without asking
// SQL again. A policy made on another node meanwhile reaches the tickets
// this node skipped at the next reconcile, which finds their rows missing.
const noPolicyTTL = 2 * time.Second

type cachedCalendar struct {
	updated time.Time
	cal     *sla.Calendar
}

// NewSLAWorker builds an SLA worker. List it in Options.Observers: the
// service it is bound to queues a recompute after every committed change.
// Run it (or call its steps) to work them.
func NewSLAWorker(timers queue.Timers) *SLAWorker {
	return &SLAWorker{timers: timers, pending: map[string]struct{}{},
		cals: map[string]cachedCalendar{}, wake: make(chan struct{}, 1)}
}

func (w *SLAWorker) bindService(s *Service) { w.s, w.log, s.sla = s, s.log, w }

// AfterCommit queues the changed ticket's recompute.
func (w *SLAWorker) AfterCommit(_ context.Context, c Change) error {
	w.Touched(c.Ticket.ID)
	return nil
}

// Touched queues a recompute of ticket id; repeated calls before the worker
// gets to it coalesce into one.
func (w *SLAWorker) Touched(id string) {
	w.mu.Lock()
	if len(w.pending) < slaMaxPending {
		w.pending[id] = struct{}{}
	}
	// Beyond the cap the reconcile finds the ticket's row stale.
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run works the queue, claims due timers and reconciles until ctx ends.
func (w *SLAWorker) Run(ctx context.Context) {
	if err := w.Reconcile(ctx); err != nil && ctx.Err() == nil {
		w.log.Warn("desk: sla reconcile", "err", err)
	}
	if err := w.RebuildTimers(ctx); err != nil && ctx.Err() == nil {
		w.log.Warn("desk: sla rebuild timers", "err", err)
	}
	tick := time.NewTicker(slaTickInterval)
	defer tick.Stop()
	rec := time.NewTicker(slaReconcileInterval)
	defer rec.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
			w.Flush(ctx)
		case <-tick.C:
			if err := w.Tick(ctx); err != nil && ctx.Err() == nil {
				w.log.Warn("desk: sla timers", "err", err)
			}
		case <-rec.C:
			if err := w.Reconcile(ctx); err != nil && ctx.Err() == nil {
				w.log.Warn("desk: sla reconcile", "err", err)
			}
		}
	}
}

// Flush recomputes every queued ticket.
func (w *SLAWorker) Flush(ctx context.Context) {
	w.mu.Lock()
	ids := make([]string, 0, len(w.pending))
	for id := range w.pending {
		ids = append(ids, id)
	}
	clear(w.pending)
	w.mu.Unlock()
	for _, id := range ids {
		if err := w.Sync(ctx, id); err != nil && ctx.Err() == nil {
			w.log.Warn("desk: sla recompute", "ticket", id, "err", err)
		}
	}
}

// Tick claims the timers due now and acts on their tickets. A claimed
// timer whose ticket cannot be synced is put back a little later.
func (w *SLAWorker) Tick(ctx context.Context) error {
	due, err := w.timers.ClaimDue(ctx, w.s.now(), slaClaimBatch)
	if err != nil {
		return fmt.Errorf("desk: sla claim timers: %w", err)
	}
	for _, t := range due {
		if err := w.Sync(ctx, t.Key); err != nil {
			w.log.Warn("desk: sla timer", "ticket", t.Key, "err", err)
			_ = w.timers.Schedule(ctx, t.Key, w.s.now().Add(slaRetryDelay))
		}
	}
	return nil
}

// unconcerned reports, from the read pool, a ticket no SLA concerns: no
// policy exists, and it has neither a row nor an open follow-up. A desk
// without policies then pays three reads per change and no write on
// SQLite's single writer (where every message already waits its turn).
func (w *SLAWorker) unconcerned(ctx context.Context, id string) (bool, error) {
	if none, err := w.noPolicies(ctx); err != nil || !none {
		return false, err
	}
	if _, err := w.s.store.TicketSLA(ctx, id); !errors.Is(err, ErrNotFound) {
		return false, err
	}
	fs, err := w.s.store.Followups(ctx, id)
	if err != nil {
		return false, err
	}
	return !slices.ContainsFunc(fs, func(f Followup) bool { return f.DoneAt.IsZero() }), nil
}

func (w *SLAWorker) noPolicies(ctx context.Context) (bool, error) {
	now := w.s.now()
	w.mu.Lock()
	since := w.noPolicySince
	w.mu.Unlock()
	if !since.IsZero() && now.Sub(since) < noPolicyTTL && !now.Before(since) {
		return true, nil
	}
	policies, err := w.s.store.SLAPolicies(ctx)
	if err != nil {
		return false, err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(policies) == 0 {
		w.noPolicySince = now
	} else {
		w.noPolicySince = time.Time{}
	}
	return len(policies) == 0, nil
}

// forgetPolicies drops what noPolicies believes, after a change on this
// node.
func (w *SLAWorker) forgetPolicies() {
	w.mu.Lock()
	w.noPolicySince = time.Time{}
	w.mu.Unlock()
}

// Reconcile recomputes stale rows (changes whose recompute was lost), acts
// on rows overdue past their timer's grace (timers lost), and rebuilds the
// timer set when it is empty although SQL has instants ahead.
func (w *SLAWorker) Reconcile(ctx context.Context) error {
	// One ticket that cannot be computed (say, its calendar no longer
	// builds) is logged and skipped, never allowed to stall the others;
	// pages continue only while they make progress, since failed tickets
	// stay stale and come back first. Without any policy no ticket is
	// kept fresh (see unconcerned), so there is nothing to heal.
	policies, err := w.s.store.SLAPolicies(ctx)
	if err != nil {
		return fmt.Errorf("desk: sla reconcile: %w", err)
	}
	for len(policies) > 0 {
		ids, err := w.s.store.StaleSLATickets(ctx, slaPageSize)
		if err != nil {
			return fmt.Errorf("desk: sla reconcile: %w", err)
		}
		if w.syncAll(ctx, ids, "reconcile") < len(ids) || len(ids) < slaPageSize {
			break
		}
	}
	ids, err := w.s.store.DueSLATickets(ctx, w.s.now().Add(-slaSweepGrace), slaPageSize)
	if err != nil {
		return fmt.Errorf("desk: sla sweep: %w", err)
	}
	w.syncAll(ctx, ids, "sweep")
	n, err := w.timers.Len(ctx)
	if err != nil {
		return fmt.Errorf("desk: sla timers: %w", err)
	}
	if n == 0 {
		if rows, err := w.s.store.CountSLATimers(ctx); err != nil {
			return fmt.Errorf("desk: sla timers: %w", err)
		} else if rows > 0 {
			w.log.Info("desk: sla timer set is empty; rebuilding from SQL", "tickets", rows)
			return w.RebuildTimers(ctx)
		}
	}
	return nil
}

// syncAll syncs each ticket, logging failures, and returns how many
// succeeded.
func (w *SLAWorker) syncAll(ctx context.Context, ids []string, why string) int {
	ok := 0
	for _, id := range ids {
		if err := w.Sync(ctx, id); err != nil {
			if ctx.Err() != nil {
				return ok
			}
			w.log.Warn("desk: sla "+why, "ticket", id, "err", err)
			continue
		}
		ok++
	}
	return ok
}

// RebuildTimers schedules every ticket's next instant from SQL.
func (w *SLAWorker) RebuildTimers(ctx context.Context) error {
	after := ""
	for {
		page, err := w.s.store.SLATimers(ctx, after, slaPageSize)
		if err != nil {
			return fmt.Errorf("desk: sla rebuild timers: %w", err)
		}
		for _, t := range page {
			if err := w.timers.Schedule(ctx, t.TicketID, t.At); err != nil {
				return fmt.Errorf("desk: sla rebuild timer %s: %w", t.TicketID, err)
			}
			after = t.TicketID
		}
		if len(page) < slaPageSize {
			return nil
		}
	}
}

// slaAction is what a step taken in a sync publishes after the commit.
type slaAction struct {
	typ  string
	data SLAEventData
}

// Sync recomputes ticket id's SLA from SQL, takes the escalation steps that
// are due (each exactly once across nodes: the step's row is inserted in
// the same transaction as its actions), stores the result and mirrors the
// next instant into the timers. A stale timer only leads here and finds
// nothing due.
func (w *SLAWorker) Sync(ctx context.Context, id string) error {
	if idle, err := w.unconcerned(ctx, id); err != nil {
		return fmt.Errorf("desk: sla of ticket %s: %w", id, err)
	} else if idle {
		return nil
	}
	var row TicketSLA
	var acts []slaAction
	var changed *Ticket
	var gone bool
	err := w.s.store.Tx(ctx, func(tx Tx) error {
		row, acts, changed, gone = TicketSLA{}, nil, nil, false
		now := w.s.now().UTC()
		t, err := tx.Ticket(ctx, id)
		if errors.Is(err, ErrNotFound) {
			gone = true
			return nil
		}
		if err != nil {
			return err
		}
		row = TicketSLA{TicketID: id, TicketUpdatedAt: t.UpdatedAt, ComputedAt: now, Clocks: []SLAClock{}}
		policies, err := tx.SLAPolicies(ctx)
		if err != nil {
			return err
		}
		var p SLAPolicy
		for _, c := range policies {
			if c.Matches(t) {
				p = c
				break
			}
		}
		fs, err := tx.Followups(ctx, id)
		if err != nil {
			return err
		}
		open := slices.ContainsFunc(fs, func(f Followup) bool { return f.DoneAt.IsZero() })
		if p.ID == "" && !open {
			return tx.PutTicketSLA(ctx, row)
		}
		msgs, err := timeline(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := finishAnsweredFollowups(ctx, tx, fs, msgs); err != nil {
			return err
		}
		var cal *sla.Calendar
		if p.ID != "" {
			if cal, err = w.calendar(ctx, tx, p.CalendarID); err != nil {
				return fmt.Errorf("policy %s: %w", p.Name, err)
			}
			if row.Clocks, err = replaySLA(p, cal, t, msgs); err != nil {
				return fmt.Errorf("policy %s: %w", p.Name, err)
			}
			row.PolicyID, row.CalendarID = p.ID, p.CalendarID
		}
		if t.Status == StatusClosed {
			fs = nil
		}
		keys, err := tx.Escalations(ctx, id)
		if err != nil {
			return err
		}
		taken := make(map[EscalationKey]bool, len(keys))
		for _, k := range keys {
			taken[k] = true
		}
		steps, err := pendingSteps(p, cal, id, row.Clocks, fs, taken)
		if err != nil {
			return err
		}
		slices.SortFunc(steps, func(a, b slaStep) int { return a.at.Compare(b.at) })
		e := escalation{w: w, tx: tx, t: t, now: now}
		for _, st := range steps {
			if st.at.After(now) {
				if row.NextAt.IsZero() {
					row.NextAt = st.at
				}
				continue
			}
			if err := e.take(ctx, st); err != nil {
				return err
			}
		}
		if e.fields != (TicketFields{}) {
			nt, err := tx.SetTicketFields(ctx, id, e.fields, now)
			if err != nil {
				return err
			}
			row.TicketUpdatedAt, changed = nt.UpdatedAt, &nt
		}
		if err := e.record(ctx); err != nil {
			return err
		}
		acts = e.acts
		return tx.PutTicketSLA(ctx, row)
	})
	if err != nil {
		return fmt.Errorf("desk: sla of ticket %s: %w", id, err)
	}
	if gone {
		return w.timers.Cancel(ctx, id)
	}
	for _, a := range acts {
		if changed != nil {
			a.data.Ticket = *changed
		}
		w.s.publish(ctx, ticketEvent(a.typ, a.data.Ticket, a.data))
	}
	if changed != nil {
		w.s.publish(ctx, ticketEvent(EventTicketUpdated, *changed, *changed))
	}
	if row.NextAt.IsZero() {
		err = w.timers.Cancel(ctx, id)
	} else {
		err = w.timers.Schedule(ctx, id, row.NextAt)
	}
	if err != nil {
		// SQL holds the instant; the sweep acts on it if the timer is lost.
		w.log.Warn("desk: sla timer", "ticket", id, "err", err)
	}
	return nil
}

// timeline reads a ticket's whole timeline in Seq order.
func timeline(ctx context.Context, r Reader, id string) ([]Message, error) {
	var out []Message
	var after int64
	for {
		page, err := r.MessagesAfterSeq(ctx, id, after, slaMessagePage)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if len(page) < slaMessagePage {
			return out, nil
		}
		after = page[len(page)-1].Seq
	}
}

// finishAnsweredFollowups marks open follow-ups done by the first public
// agent reply made after them.
func finishAnsweredFollowups(ctx context.Context, tx Tx, fs []Followup, msgs []Message) error {
	for i := range fs {
		f := &fs[i]
		if !f.DoneAt.IsZero() {
			continue
		}
		for _, m := range msgs {
			if m.Direction == DirOut && m.AuthorKind == AuthorAgent && !m.CreatedAt.Before(f.CreatedAt) {
				if err := tx.FinishFollowup(ctx, f.ID, m.CreatedAt, m.AuthorID); err != nil {
					return err
				}
				f.DoneAt, f.DoneBy = m.CreatedAt, m.AuthorID
				break
			}
		}
	}
	return nil
}

// calendar returns the built calendar of id, cached until it changes.
func (w *SLAWorker) calendar(ctx context.Context, r Reader, id string) (*sla.Calendar, error) {
	c, err := r.SLACalendar(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("calendar %s: %w", id, err)
	}
	w.mu.Lock()
	cc, ok := w.cals[id]
	w.mu.Unlock()
	if ok && cc.updated.Equal(c.UpdatedAt) {
		return cc.cal, nil
	}
	cal, err := c.Build()
	if err != nil {
		return nil, fmt.Errorf("calendar %s: %w", c.Name, err)
	}
	w.mu.Lock()
	w.cals[id] = cachedCalendar{updated: c.UpdatedAt, cal: cal}
	w.mu.Unlock()
	return cal, nil
}
