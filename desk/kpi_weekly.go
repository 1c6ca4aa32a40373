package desk

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"huiliu/i18n"
)

// WeeklyAt is when the weekly summary falls due: Monday 09:00 in the
// desk's zone, for the week before.
const WeeklyAt = 9 * time.Hour

// weeklyRetry is how long a node's claim on a week's summary holds before
// another node may take over a send that never finished.
const weeklyRetry = time.Hour

// MailFunc sends one automatic mail.
type MailFunc func(ctx context.Context, to, subject, body string) error

// WeeklySummary mails last week's seed KPIs to every active supervisor and
// admin with an address, once per ISO week across all nodes: the week's
// row in kpi_weekly_mail is the lease. It does nothing before Monday 09:00
// or once the week was sent, and sends nothing for a week without a
// ticket created or resolved (a new install does not mail an empty week).
// link is the dashboard's address ("" none).
func (k *KPI) WeeklySummary(ctx context.Context, send MailFunc, link string) (bool, error) {
	now := k.s.now().In(k.zone)
	this := PeriodSpan(PeriodWeek, now, k.zone)
	if now.Before(this.From.Add(WeeklyAt)) {
		return false, nil
	}
	y, w := this.From.ISOWeek()
	week := fmt.Sprintf("%d-W%02d", y, w)
	ok, err := k.store.ClaimWeeklySummary(ctx, week, now, now.Add(-weeklyRetry))
	if err != nil || !ok {
		return false, err
	}
	r, err := k.Report(ctx, Agent{Role: RoleAdmin}, ReportQuery{Period: PeriodWeek, At: this.From.AddDate(0, 0, -1)})
	if err != nil {
		return false, err
	}
	if r.Cur.Created == 0 && r.Cur.Resolved == 0 {
		return false, k.store.FinishWeeklySummary(ctx, week, now)
	}
	agents, err := k.s.store.Agents(ctx)
	if err != nil {
		return false, fmt.Errorf("desk: weekly summary: %w", err)
	}
	subject, body := weeklyText(i18n.Default, r, link)
	if i18n.Default != "en" {
		_, en := weeklyText("en", r, link)
		body += "\n\n" + en
	}
	var errs []error
	sent := 0
	for _, a := range agents {
		if !a.Active || !a.Role.AtLeast(RoleSupervisor) || a.Email == "" {
			continue
		}
		if err := send(ctx, a.Email, subject, body); err != nil {
			errs = append(errs, fmt.Errorf("to %s: %w", a.ID, err))
			continue
		}
		sent++
	}
	if sent == 0 && len(errs) > 0 {
		// Leave the week unsent: another pass retries after weeklyRetry.
		return false, fmt.Errorf("desk: weekly summary %s: %w", week, errors.Join(errs...))
	}
	if err := k.store.FinishWeeklySummary(ctx, week, now); err != nil {
		return true, err
	}
	if len(errs) > 0 {
		k.log.Warn("desk: weekly summary not delivered to some", "week", week, "err", errors.Join(errs...))
	}
	return true, nil
}

// weeklyText words the summary in lang.
func weeklyText(lang string, r Report, link string) (string, string) {
	from, to := r.Current.From.Format("2006-01-02"), r.Current.To.AddDate(0, 0, -1).Format("2006-01-02")
	num := func(v *float64, pct bool) string {
		switch {
		case v == nil:
			return "—"
		case pct:
			return strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
		}
		return strconv.FormatFloat(*v, 'f', 2, 64)
	}
	count := func(n int64) string { return strconv.FormatInt(n, 10) }
	lines := []string{i18n.T(lang, "kpi.mail.intro", "from", from, "to", to), ""}
	for _, l := range []struct{ key, cur, prev string }{
		{"kpi.seed.satisfaction", num(r.Cur.SatisfactionAvg, false), num(r.Prev.SatisfactionAvg, false)},
		{"kpi.seed.complaints", num(r.Cur.ComplaintsPer1000, false), num(r.Prev.ComplaintsPer1000, false)},
		{"kpi.seed.timely", num(r.Cur.Timely, true), num(r.Prev.Timely, true)},
		{"kpi.m.created", count(r.Cur.Created), count(r.Prev.Created)},
		{"kpi.m.resolved", count(r.Cur.Resolved), count(r.Prev.Resolved)},
		{"kpi.m.fcr", num(r.Cur.FirstContactResolution, true), num(r.Prev.FirstContactResolution, true)},
	} {
		lines = append(lines, "- "+i18n.T(lang, "kpi.mail.line", "name", i18n.T(lang, l.key), "cur", l.cur, "prev", l.prev))
	}
	lines = append(lines, "- "+i18n.T(lang, "kpi.m.backlog")+": "+
		i18n.T(lang, "kpi.backlog", "open", strconv.Itoa(r.Open), "pending", strconv.Itoa(r.Pending)))
	if link != "" {
		lines = append(lines, "", i18n.T(lang, "kpi.mail.link", "url", link))
	}
	return i18n.T(lang, "kpi.mail.subject", "from", from, "to", to), strings.Join(lines, "\n")
}
