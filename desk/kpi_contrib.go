package desk

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"

	"huiliu/desk/sla"
)

// KPIKey is one roll-up row: a day in the desk's zone (yyyymmdd) and the
// ticket's dimensions.
type KPIKey struct {
	Day      int    `json:"d"`
	AgentID  string `json:"a,omitempty"`
	TeamID   string `json:"t,omitempty"`
	Channel  string `json:"c,omitempty"`
	Category string `json:"k,omitempty"`
}

// Contribution is what one ticket adds to the roll-ups. It is recomputed
// from the ticket's timeline on every change; the difference to the stored
// one is what the roll-ups receive, so a replay adds nothing.
type Contribution map[KPIKey]*Counts

// DayOf is t's day in zone as yyyymmdd.
func DayOf(t time.Time, zone *time.Location) int {
	y, m, d := t.In(zone).Date()
	return y*10000 + int(m)*100 + d
}

// Add adds v to column m of row k.
func (c Contribution) Add(k KPIKey, m int, v int64) {
	n := c[k]
	if n == nil {
		n = &Counts{}
		c[k] = n
	}
	n[m] += v
}

// Delta is c minus old, without the rows that do not change.
func (c Contribution) Delta(old Contribution) Contribution {
	out := Contribution{}
	for k, v := range c {
		d := *v
		out[k] = &d
	}
	for k, v := range old {
		d := out[k]
		if d == nil {
			d = &Counts{}
			out[k] = d
		}
		d.Sub(v)
	}
	for k, v := range out {
		if v.zero() {
			delete(out, k)
		}
	}
	return out
}

// contribEntry is the stored form: the key and its non-zero columns.
type contribEntry struct {
	Key    KPIKey        `json:"k"`
	Values map[int]int64 `json:"v"`
}

// MarshalContribution encodes c for kpi_tickets.contrib, in key order.
func MarshalContribution(c Contribution) (string, error) {
	es := make([]contribEntry, 0, len(c))
	for k, v := range c {
		e := contribEntry{Key: k, Values: map[int]int64{}}
		for i, n := range v {
			if n != 0 {
				e.Values[i] = n
			}
		}
		es = append(es, e)
	}
	sort.Slice(es, func(i, j int) bool { return fmt.Sprint(es[i].Key) < fmt.Sprint(es[j].Key) })
	b, err := json.Marshal(es)
	return string(b), err
}

// UnmarshalContribution decodes what MarshalContribution made; "" is empty.
func UnmarshalContribution(s string) (Contribution, error) {
	c := Contribution{}
	if s == "" {
		return c, nil
	}
	var es []contribEntry
	if err := json.Unmarshal([]byte(s), &es); err != nil {
		return nil, fmt.Errorf("desk: kpi contribution: %w", err)
	}
	for _, e := range es {
		for i, n := range e.Values {
			if i < 0 || i >= MCount {
				return nil, fmt.Errorf("desk: kpi contribution: column %d", i)
			}
			c.Add(e.Key, i, n)
		}
	}
	return c, nil
}

// kpiAgent is whom a ticket's figures count for: its first-contact owner
// (首问负责人), who stays responsible through transfers, else whoever works
// it.
func kpiAgent(t Ticket) string {
	if t.OwnerID != "" {
		return t.OwnerID
	}
	return t.AssigneeID
}

// contribution replays ticket t's timeline (oldest first) into what it
// adds to the roll-ups. Each event counts on the day it happened: creation
// on the creation day, a first response on the day of the reply, a
// resolution on the day of the last resolve. clocks are the ticket's SLA
// clocks on cal (nil without a policy); a target not met counts as
// breached from its deadline on, as of now.
func contribution(t Ticket, msgs []Message, clocks []SLAClock, cal *sla.Calendar, now time.Time, zone *time.Location) Contribution {
	out := Contribution{}
	dims := KPIKey{AgentID: kpiAgent(t), TeamID: t.TeamID, Channel: t.Channel, Category: t.Category}
	add := func(at time.Time, m int, v int64) {
		k := dims
		k.Day = DayOf(at, zone)
		out.Add(k, m, v)
	}
	sample := func(at time.Time, n, sum, hist int, d time.Duration) {
		d = max(d, 0)
		add(at, n, 1)
		add(at, sum, d.Milliseconds())
		add(at, hist+HistBucket(d), 1)
	}
	add(t.CreatedAt, MCreated, 1)
	add(t.CreatedAt, MHour+t.CreatedAt.In(zone).Hour(), 1)

	done := func(s Status) bool { return s == StatusResolved || s == StatusClosed }
	status := initialStatus(t, msgs)
	var resolvedAt, waiting time.Time
	if done(status) {
		resolvedAt = t.CreatedAt
	}
	answered, reopens, transfers := false, 0, 0
	reopen := func(at time.Time) {
		reopens++
		resolvedAt = time.Time{}
		add(at, MReopens, 1)
	}
	for _, m := range msgs {
		at := m.CreatedAt
		switch {
		case m.Direction == DirOut && m.AuthorKind == AuthorAgent:
			if !answered {
				answered = true
				sample(at, MFRN, MFRSum, MFRHist, at.Sub(t.CreatedAt))
			} else if !waiting.IsZero() {
				sample(at, MNRN, MNRSum, MNRHist, at.Sub(waiting))
			}
			waiting = time.Time{}
		case m.Direction == DirIn:
			if done(status) {
				reopen(at)
			}
			if status == StatusPending || done(status) {
				status = StatusOpen
			}
			if answered && waiting.IsZero() {
				waiting = at
			}
		case m.Direction == DirSystem && m.Event != nil && m.Event.Action == "status":
			to := Status(m.Event.Args["status"])
			if !to.Valid() || to == status {
				continue
			}
			switch {
			case done(to) && !done(status):
				resolvedAt = at
			case !done(to) && done(status):
				reopen(at)
			}
			status = to
		case m.Direction == DirSystem && m.Event != nil && m.Event.Action == "transfer":
			transfers++
			add(at, MTransfers, 1)
		}
	}
	if done(t.Status) {
		if resolvedAt.IsZero() {
			// Resolved without a timeline entry: the last change is the
			// best instant there is.
			resolvedAt = t.UpdatedAt
		}
		sample(resolvedAt, MResolved, MResSum, MResHist, resolvedAt.Sub(t.CreatedAt))
		if reopens == 0 && transfers == 0 {
			add(resolvedAt, MFCR, 1)
		}
	}
	for _, c := range clocks {
		var n, met int
		switch c.Target {
		case TargetFirstResponse:
			n, met = MFRSLAN, MFRSLAMet
		case TargetResolution:
			n, met = MResSLAN, MResSLAMet
		default:
			continue
		}
		switch {
		case !c.MetAt.IsZero():
			add(c.MetAt, n, 1)
			if c.Clock.Spent < c.Clock.Target {
				add(c.MetAt, met, 1)
			}
		case cal != nil && c.Clock.Breached(cal, now):
			at, ok := c.Clock.Deadline()
			if !ok {
				at = c.Clock.PausedAt
			}
			add(at, n, 1)
		}
	}
	return out
}
