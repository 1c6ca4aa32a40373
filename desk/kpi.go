package desk

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"huiliu/desk/sla"
)

// KPI keeps the report roll-ups with the tickets and answers the reports.
// As an observer it re-syncs a ticket after every commit that touched it:
// in one transaction it locks the ticket's stored contribution, replays
// the timeline into the new one and adds only the difference to kpi_daily.
// A sync is therefore idempotent and may run on any node any number of
// times; a sync lost to a crash between commit and observer is healed by
// Heal, which re-syncs the tickets changed since its last pass.
type KPI struct {
	store KPIStore
	zone  *time.Location
	s     *Service
	log   *slog.Logger

	mu   sync.Mutex
	cals map[string]cachedCalendar
	// healed is where the next Heal pass starts.
	healed time.Time
	// customers is the count of customers on record as of customersAt:
	// a denominator that moves slowly, counted at most every
	// customersTTL rather than on every report.
	customers   int
	customersAt time.Time
}

// customersTTL is how long a count of the customers on record is used.
const customersTTL = 10 * time.Minute

// NewKPI makes the roll-up keeper; zone is the desk's zone, in which days
// and hours are counted. List it in Options.Observers.
func NewKPI(store KPIStore, zone *time.Location) *KPI {
	if zone == nil {
		zone = time.UTC
	}
	return &KPI{store: store, zone: zone, cals: map[string]cachedCalendar{}}
}

func (k *KPI) bindService(s *Service) { k.s, k.log = s, s.log }

// Zone is the zone days are counted in.
func (k *KPI) Zone() *time.Location { return k.zone }

// AfterCommit re-syncs the changed ticket.
func (k *KPI) AfterCommit(ctx context.Context, c Change) error {
	return k.Sync(ctx, c.Ticket.ID)
}

// Sync brings ticket id's contribution to the roll-ups up to date.
func (k *KPI) Sync(ctx context.Context, id string) error {
	err := k.store.KPITx(ctx, func(tx KPITx) error {
		stored, err := tx.LockKPITicket(ctx, id)
		if err != nil {
			return err
		}
		old, err := UnmarshalContribution(stored)
		if err != nil {
			// A damaged row cannot be subtracted; start it afresh.
			k.log.Error("desk: kpi contribution unreadable", "ticket", id, "err", err)
			old = Contribution{}
		}
		now := k.s.now().UTC()
		t, err := tx.Ticket(ctx, id)
		if errors.Is(err, ErrNotFound) {
			return k.apply(ctx, tx, id, Contribution{}, old, time.Time{}, now)
		}
		if err != nil {
			return err
		}
		msgs, err := timeline(ctx, tx, id)
		if err != nil {
			return err
		}
		clocks, cal, err := k.clocks(ctx, tx, t, msgs)
		if err != nil {
			return err
		}
		return k.apply(ctx, tx, id, contribution(t, msgs, clocks, cal, now, k.zone), old, t.UpdatedAt, now)
	})
	if err != nil {
		return fmt.Errorf("desk: kpi of ticket %s: %w", id, err)
	}
	return nil
}

func (k *KPI) apply(ctx context.Context, tx KPITx, id string, cur, old Contribution, updated, now time.Time) error {
	for key, d := range cur.Delta(old) {
		if err := tx.AddKPICounts(ctx, key, d); err != nil {
			return err
		}
	}
	enc, err := MarshalContribution(cur)
	if err != nil {
		return err
	}
	return tx.PutKPITicket(ctx, id, enc, updated, now)
}

// clocks replays the SLA policy matching t, as the SLA worker would, so
// the timeliness counts do not wait for its queue.
func (k *KPI) clocks(ctx context.Context, r Reader, t Ticket, msgs []Message) ([]SLAClock, *sla.Calendar, error) {
	policies, err := r.SLAPolicies(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range policies {
		if !p.Matches(t) {
			continue
		}
		cal, err := k.calendar(ctx, r, p.CalendarID)
		if err != nil {
			return nil, nil, err
		}
		clocks, err := replaySLA(p, cal, t, msgs)
		if err != nil {
			return nil, nil, fmt.Errorf("policy %s: %w", p.Name, err)
		}
		return clocks, cal, nil
	}
	return nil, nil, nil
}

func (k *KPI) calendar(ctx context.Context, r Reader, id string) (*sla.Calendar, error) {
	c, err := r.SLACalendar(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("calendar %s: %w", id, err)
	}
	k.mu.Lock()
	cc, ok := k.cals[id]
	k.mu.Unlock()
	if ok && cc.updated.Equal(c.UpdatedAt) {
		return cc.cal, nil
	}
	cal, err := c.Build()
	if err != nil {
		return nil, fmt.Errorf("calendar %s: %w", c.Name, err)
	}
	k.mu.Lock()
	k.cals[id] = cachedCalendar{updated: c.UpdatedAt, cal: cal}
	k.mu.Unlock()
	return cal, nil
}

// healBatch bounds one page of a Heal pass.
const healBatch = 500

// Heal re-syncs every ticket changed since the last pass (the first pass
// of a process looks back the given window). Syncs are idempotent, so
// several nodes healing at once only repeat work. A target that ran out
// with no change since counts as breached at the ticket's next change (an
// escalation step on the timeline is one).
func (k *KPI) Heal(ctx context.Context, window time.Duration) (int, error) {
	k.mu.Lock()
	since := k.healed
	k.mu.Unlock()
	now := k.s.now().UTC()
	if since.IsZero() {
		since = now.Add(-window)
	}
	n := 0
	for {
		ids, last, err := k.store.TicketsUpdatedSince(ctx, since, healBatch)
		if err != nil {
			return n, fmt.Errorf("desk: kpi heal: %w", err)
		}
		for _, id := range ids {
			if err := k.Sync(ctx, id); err != nil {
				return n, err
			}
			n++
		}
		if len(ids) < healBatch || !last.After(since) {
			break
		}
		since = last
	}
	k.mu.Lock()
	// Overlap a little: a commit stamped just before now may land after.
	k.healed = now.Add(-time.Minute)
	k.mu.Unlock()
	return n, nil
}

// Run heals every interval until ctx ends.
func (k *KPI) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if n, err := k.Heal(ctx, 2*interval); err != nil {
			k.log.Warn("desk: kpi heal", "err", err)
		} else if n > 0 {
			k.log.Debug("desk: kpi healed", "tickets", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
