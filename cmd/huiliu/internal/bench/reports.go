package bench

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"huiliu/desk"
)

// HistoryLoader bulk-loads synthetic history (store.DB implements it).
type HistoryLoader interface {
	BulkLoadHistory(ctx context.Context, contacts []string, tickets []desk.Ticket, rollups desk.Contribution) error
}

// reportsChunk is how many tickets one bulk load carries, so a million
// never sit in memory at once.
const reportsChunk = 50000

var (
	benchChannels   = []string{"webchat", "webchat", "webchat", "telegram", "email", "email", "api"}
	benchCategories = []string{"repayment", "deposit", "overdue", "device", "invoice", "complaint"}
)

// runBenchReports is "huiliu bench reports": a year of synthetic tickets
// with the roll-ups the KPI observer would have kept for them, then the
// dashboard's report (week, month, day; a quarter of them for one team)
// timed over and over.
func runBenchReports(ctx context.Context, o Options, args []string, stdout, stderr io.Writer) error {
	var tickets, requests, teams, perTeam int
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	d, closeDesk, err := o.OpenDesk(ctx, "bench reports", args, stderr, func(fs *flag.FlagSet) {
		fs.IntVar(&tickets, "tickets", 1000000, "tickets of synthetic history, spread over the last year")
		fs.IntVar(&requests, "requests", 200, "dashboard reports to time")
		fs.IntVar(&teams, "teams", 5, "teams")
		fs.IntVar(&perTeam, "agents", 8, "agents per team")
	}, func() error {
		if tickets < 1 || requests < 1 || teams < 1 || perTeam < 1 {
			return usagef("--tickets, --requests, --teams and --agents must be positive")
		}
		return nil
	}, log)
	if err != nil {
		return err
	}
	defer closeDesk()
	if d.KPI == nil || d.History == nil {
		return fmt.Errorf("bench reports: the desk keeps no KPI roll-ups")
	}
	zone := d.KPI.Zone()
	now := time.Now()
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Now()
	rows := 0
	for done := 0; done < tickets; done += reportsChunk {
		n := min(reportsChunk, tickets-done)
		contacts, ts, roll := synthHistory(rng, done, n, now, zone, teams, perTeam)
		rows += len(roll)
		if err := d.History.BulkLoadHistory(ctx, contacts, ts, roll); err != nil {
			return fmt.Errorf("bench reports: load: %w", err)
		}
	}
	load := time.Since(start)
	fmt.Fprintf(stderr, "bench reports: %d tickets and their roll-ups loaded in %s\n", tickets, load.Round(time.Millisecond))

	boss := desk.Agent{ID: "bench-admin", Role: desk.RoleAdmin}
	periods := []string{desk.PeriodWeek, desk.PeriodWeek, desk.PeriodMonth, desk.PeriodDay}
	lat := make([]time.Duration, 0, requests)
	for i := range requests {
		q := desk.ReportQuery{Period: periods[i%len(periods)], At: now.AddDate(0, 0, -rng.IntN(330))}
		if i%4 == 3 {
			q.Filter.TeamID = "team-" + strconv.Itoa(rng.IntN(teams))
		}
		t0 := time.Now()
		if _, err := d.KPI.Report(ctx, boss, q); err != nil {
			return fmt.Errorf("bench reports: report: %w", err)
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		i := int(math.Ceil(p*float64(len(lat)))) - 1
		return float64(lat[max(i, 0)].Microseconds()) / 1000
	}
	fmt.Fprintf(stdout, "reports: dashboard p99 %.1f ms, p50 %.1f ms over %d reports; %d tickets, %d roll-up row updates, loaded in %s\n",
		pct(0.99), pct(0.5), requests, tickets, rows, load.Round(time.Second))
	return nil
}

// synthHistory makes n tickets numbered from first+1, created at random
// over the year before now, and the roll-ups the observer would have kept:
// response and resolution times drawn from exponential distributions,
// SLA targets of 30 minutes and 8 hours, some transfers and reopens, and
// the last days' tickets partly still open.
func synthHistory(rng *rand.Rand, first, n int, now time.Time, zone *time.Location, teams, perTeam int) ([]string, []desk.Ticket, desk.Contribution) {
	contacts := make([]string, 0, n/3+1)
	ts := make([]desk.Ticket, 0, n)
	roll := desk.Contribution{}
	year := 365 * 24 * time.Hour
	for i := range n {
		num := int64(first + i + 1)
		if i%3 == 0 {
			contacts = append(contacts, "bc-"+strconv.FormatInt(num, 10))
		}
		team := rng.IntN(teams)
		t := desk.Ticket{
			ID: "bt-" + strconv.FormatInt(num, 10), Number: num, ContactID: contacts[len(contacts)-1],
			Channel: benchChannels[rng.IntN(len(benchChannels))], ThreadKey: "b" + strconv.FormatInt(num, 10),
			Status: desk.StatusClosed, Priority: desk.PriorityNormal,
			TeamID:   "team-" + strconv.Itoa(team),
			OwnerID:  "agent-" + strconv.Itoa(team*perTeam+rng.IntN(perTeam)),
			Category: benchCategories[rng.IntN(len(benchCategories))],
		}
		t.AssigneeID = t.OwnerID
		t.CreatedAt = now.Add(-time.Duration(rng.Int64N(int64(year))))
		fr := time.Duration(rng.ExpFloat64() * float64(12*time.Minute))
		res := fr + time.Duration(rng.ExpFloat64()*float64(5*time.Hour))
		open := now.Sub(t.CreatedAt) < res
		if open {
			t.Status = desk.StatusOpen
		}
		t.LastMessageAt, t.UpdatedAt = t.CreatedAt.Add(fr), t.CreatedAt.Add(fr)
		ts = append(ts, t)

		key := func(at time.Time) desk.KPIKey {
			return desk.KPIKey{Day: desk.DayOf(at, zone), AgentID: t.OwnerID, TeamID: t.TeamID, Channel: t.Channel, Category: t.Category}
		}
		c := key(t.CreatedAt)
		roll.Add(c, desk.MCreated, 1)
		roll.Add(c, desk.MHour+t.CreatedAt.In(zone).Hour(), 1)
		fk := key(t.CreatedAt.Add(fr))
		roll.Add(fk, desk.MFRN, 1)
		roll.Add(fk, desk.MFRSum, fr.Milliseconds())
		roll.Add(fk, desk.MFRHist+desk.HistBucket(fr), 1)
		roll.Add(fk, desk.MFRSLAN, 1)
		if fr < 30*time.Minute {
			roll.Add(fk, desk.MFRSLAMet, 1)
		}
		if open {
			continue
		}
		rk := key(t.CreatedAt.Add(res))
		transfer, reopen := rng.IntN(100) < 8, rng.IntN(100) < 5
		roll.Add(rk, desk.MResolved, 1)
		roll.Add(rk, desk.MResSum, res.Milliseconds())
		roll.Add(rk, desk.MResHist+desk.HistBucket(res), 1)
		roll.Add(rk, desk.MResSLAN, 1)
		if res < 8*time.Hour {
			roll.Add(rk, desk.MResSLAMet, 1)
		}
		if transfer {
			roll.Add(rk, desk.MTransfers, 1)
		}
		if reopen {
			roll.Add(rk, desk.MReopens, 1)
			nr := time.Duration(rng.ExpFloat64() * float64(20*time.Minute))
			roll.Add(rk, desk.MNRN, 1)
			roll.Add(rk, desk.MNRSum, nr.Milliseconds())
			roll.Add(rk, desk.MNRHist+desk.HistBucket(nr), 1)
		}
		if !transfer && !reopen {
			roll.Add(rk, desk.MFCR, 1)
		}
	}
	return contacts, ts, roll
}
