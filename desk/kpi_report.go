package desk

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// ReportQuery asks for a report: a period kind and a date in it (a custom
// period gives From and To, both inclusive dates), and the dimensions.
type ReportQuery struct {
	Period string
	At     time.Time // a day in the period; zero: today
	From   time.Time // custom only
	To     time.Time // custom only, inclusive
	Filter KPIFilter
}

// Report is what the dashboard and the API show.
type Report struct {
	Period   string    `json:"period"`
	Current  Span      `json:"current"`
	Previous Span      `json:"previous"`
	Filter   KPIFilter `json:"filter"`
	Cur      Figures   `json:"figures"`
	Prev     Figures   `json:"previous_figures"`
	// Trend is the last TrendPeriods periods, the current one last.
	Trend []TrendPoint `json:"trend"`
	// Days is the current period day by day.
	Days []DayPoint `json:"days"`
	// HourOfWeek counts tickets created per weekday (Monday first) and
	// hour of day in the current period.
	HourOfWeek [][]int64  `json:"hour_of_week"`
	ByChannel  []GroupRow `json:"by_channel"`
	ByCategory []GroupRow `json:"by_category"`
	ByTeam     []GroupRow `json:"by_team"`
	ByAgent    []GroupRow `json:"by_agent"`
	// Backlog is open and pending now, whatever the period.
	Open    int `json:"open"`
	Pending int `json:"pending"`
	// Zone is the zone days are counted in.
	Zone string `json:"zone"`
}

// TrendPoint is one period of the trend with the three seed KPIs.
type TrendPoint struct {
	Span
	Created           int64    `json:"created"`
	Timely            *float64 `json:"timely"`
	SatisfactionAvg   *float64 `json:"satisfaction_avg"`
	Satisfied         *float64 `json:"satisfied"`
	ComplaintsPer1000 *float64 `json:"complaints_per_1000_tickets"`
}

// DayPoint is one day's volume and timeliness.
type DayPoint struct {
	Day      time.Time `json:"day"`
	Created  int64     `json:"created"`
	Resolved int64     `json:"resolved"`
	Timely   *float64  `json:"timely"`
}

// GroupRow is one channel, category, team or agent of the period.
type GroupRow struct {
	Key                 string   `json:"key"`
	Name                string   `json:"name"`
	Created             int64    `json:"created"`
	Resolved            int64    `json:"resolved"`
	Timely              *float64 `json:"timely"`
	FirstResponseMedian *float64 `json:"first_response_median_s"`
	ResolutionMedian    *float64 `json:"resolution_median_s"`
	FirstContact        *float64 `json:"first_contact_resolution"`
	Transfers           int64    `json:"transfers"`
}

// Report computes the report q asks for, as agent a may see it: supervisors
// and admins see everyone, an agent only their own figures.
func (k *KPI) Report(ctx context.Context, a Agent, q ReportQuery) (Report, error) {
	if !a.Role.AtLeast(RoleSupervisor) {
		q.Filter.AgentID = a.ID
	}
	now := k.s.now()
	var cur Span
	switch q.Period {
	case "", PeriodWeek, PeriodDay, PeriodMonth:
		if q.Period == "" {
			q.Period = PeriodWeek
		}
		at := q.At
		if at.IsZero() {
			at = now
		}
		cur = PeriodSpan(q.Period, at, k.zone)
	case PeriodCustom:
		if q.From.IsZero() || q.To.IsZero() || q.To.Before(q.From) {
			return Report{}, Errorf(CodeInvalid, "a custom period needs from and to dates, from first").Say("kpi.err.range")
		}
		cur = Span{midnight(q.From, k.zone), midnight(q.To, k.zone).AddDate(0, 0, 1)}
		if cur.Days() > MaxReportDays {
			return Report{}, Errorf(CodeInvalid, "a custom period spans at most %d days", MaxReportDays).
				Say("kpi.err.too_long", "days", strconv.Itoa(MaxReportDays))
		}
	default:
		return Report{}, Errorf(CodeInvalid, "unknown period %q (day, week, month or custom)", q.Period).Say("kpi.err.period")
	}
	r := Report{Period: q.Period, Current: cur, Previous: previous(q.Period, cur), Filter: q.Filter, Zone: k.zone.String(),
		HourOfWeek: make([][]int64, 7)}
	for i := range r.HourOfWeek {
		r.HourOfWeek[i] = make([]int64, 24)
	}

	spans := make([]Span, TrendPeriods)
	spans[TrendPeriods-1] = cur
	for i := TrendPeriods - 2; i >= 0; i-- {
		spans[i] = previous(q.Period, spans[i+1])
	}
	from, to := Span{spans[0].From, cur.To}.dayKeys(k.zone)
	days, err := k.store.KPISums(ctx, q.Filter, from, to, "day")
	if err != nil {
		return r, fmt.Errorf("desk: report: %w", err)
	}
	byDay := make(map[int]*Counts, len(days))
	for i := range days {
		d, err := strconv.Atoi(days[i].Key)
		if err != nil {
			return r, fmt.Errorf("desk: report: day %q: %w", days[i].Key, err)
		}
		byDay[d] = &days[i].Counts
	}
	sum := func(s Span) Counts {
		var c Counts
		for d := s.From; d.Before(s.To); d = d.AddDate(0, 0, 1) {
			if v := byDay[DayOf(d, k.zone)]; v != nil {
				c.Add(v)
			}
		}
		return c
	}
	customers, err := k.customerCount(ctx)
	if err != nil {
		return r, err
	}
	extras, err := k.store.KPIExtras(ctx, q.Filter, spans)
	if err != nil {
		return r, fmt.Errorf("desk: report: %w", err)
	}
	for i, s := range spans {
		c := sum(s)
		f := figures(&c, extras[i], customers)
		r.Trend = append(r.Trend, TrendPoint{Span: s, Created: f.Created, Timely: f.Timely,
			SatisfactionAvg: f.SatisfactionAvg, Satisfied: f.Satisfied, ComplaintsPer1000: f.ComplaintsPer1000})
		switch i {
		case TrendPeriods - 1:
			r.Cur = f
		case TrendPeriods - 2:
			r.Prev = f
		}
	}
	for d := cur.From; d.Before(cur.To); d = d.AddDate(0, 0, 1) {
		var c Counts
		if v := byDay[DayOf(d, k.zone)]; v != nil {
			c = *v
		}
		r.Days = append(r.Days, DayPoint{Day: d, Created: c[MCreated], Resolved: c[MResolved],
			Timely: ratio(c[MFRSLAMet]+c[MResSLAMet], c[MFRSLAN]+c[MResSLAN], 1)})
		wd := (int(d.Weekday()) + 6) % 7
		for h := range 24 {
			r.HourOfWeek[wd][h] += c[MHour+h]
		}
	}
	cf, ct := cur.dayKeys(k.zone)
	for _, g := range []struct {
		col string
		dst *[]GroupRow
	}{{"channel", &r.ByChannel}, {"category", &r.ByCategory}, {"team_id", &r.ByTeam}, {"agent_id", &r.ByAgent}} {
		rows, err := k.store.KPISums(ctx, q.Filter, cf, ct, g.col)
		if err != nil {
			return r, fmt.Errorf("desk: report: %w", err)
		}
		*g.dst = groupRows(rows)
	}
	if err := k.name(ctx, r.ByTeam, r.ByAgent); err != nil {
		return r, err
	}
	r.Open, r.Pending, err = k.store.KPIBacklog(ctx, q.Filter)
	if err != nil {
		return r, fmt.Errorf("desk: report: %w", err)
	}
	return r, nil
}

func groupRows(gs []KPIGroup) []GroupRow {
	out := make([]GroupRow, 0, len(gs))
	for i := range gs {
		c := &gs[i].Counts
		if c.zero() {
			// Every ticket of it moved elsewhere.
			continue
		}
		row := GroupRow{Key: gs[i].Key, Name: gs[i].Key, Created: c[MCreated], Resolved: c[MResolved],
			Timely:       ratio(c[MFRSLAMet]+c[MResSLAMet], c[MFRSLAN]+c[MResSLAN], 1),
			FirstContact: ratio(c[MFCR], c[MResolved], 1), Transfers: c[MTransfers]}
		row.FirstResponseMedian = seconds(c.Percentile(MFRHist, 0.5))
		row.ResolutionMedian = seconds(c.Percentile(MResHist, 0.5))
		out = append(out, row)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Created > out[j].Created })
	return out
}

// name puts team and agent names on their rows.
func (k *KPI) name(ctx context.Context, teams, agents []GroupRow) error {
	ts, err := k.s.store.Teams(ctx)
	if err != nil {
		return fmt.Errorf("desk: report: %w", err)
	}
	tn := make(map[string]string, len(ts))
	for _, t := range ts {
		tn[t.ID] = t.Name
	}
	for i := range teams {
		if n, ok := tn[teams[i].Key]; ok {
			teams[i].Name = n
		}
	}
	as, err := k.s.store.Agents(ctx)
	if err != nil {
		return fmt.Errorf("desk: report: %w", err)
	}
	an := make(map[string]string, len(as))
	for _, a := range as {
		an[a.ID] = a.Name
	}
	for i := range agents {
		if n, ok := an[agents[i].Key]; ok {
			agents[i].Name = n
		}
	}
	return nil
}

// Agents lists the agents a supervisor may pick in the report's filter.
func (k *KPI) Agents(ctx context.Context, a Agent) ([]Agent, error) {
	if !a.Role.AtLeast(RoleSupervisor) {
		return nil, Errorf(CodeForbidden, "only supervisors pick among agents")
	}
	as, err := k.s.store.Agents(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: report agents: %w", err)
	}
	return as, nil
}

func (k *KPI) customerCount(ctx context.Context) (int, error) {
	now := time.Now()
	k.mu.Lock()
	n, at := k.customers, k.customersAt
	k.mu.Unlock()
	if !at.IsZero() && now.Sub(at) < customersTTL {
		return n, nil
	}
	n, err := k.store.CountContacts(ctx)
	if err != nil {
		return 0, fmt.Errorf("desk: report: %w", err)
	}
	k.mu.Lock()
	k.customers, k.customersAt = n, now
	k.mu.Unlock()
	return n, nil
}
