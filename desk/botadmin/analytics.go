package botadmin

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"huiliu/bot"
	"huiliu/desk"
	"huiliu/desk/pii"
)

// Limits of the analytics.
const (
	// MaxPeriodDays is the longest period one report covers.
	MaxPeriodDays = 366
	// MaxUnanswered is how many unanswered questions a report lists.
	MaxUnanswered = 100
)

// Period selects the decisions a report counts: created in [From, To),
// of Channel ("" every channel), grouped by day in Zone (nil: UTC).
type Period struct {
	From, To time.Time
	Channel  string
	Zone     *time.Location
}

// Count is one bar of a breakdown.
type Count struct {
	Key string `json:"key"`
	N   int    `json:"n"`
}

// Containment counts the bot's tickets of one group (a day, a channel,
// a day and channel, or the whole period). A ticket belongs to the day and
// channel of its first decision in the period; it is contained when it is
// resolved or closed and no decision handed it off.
type Containment struct {
	Day       string `json:"day,omitempty"`
	Channel   string `json:"channel,omitempty"`
	Tickets   int    `json:"tickets"`
	Contained int    `json:"contained"`
	HandedOff int    `json:"handed_off"`
	Decisions int    `json:"decisions"`
}

// Rate is Contained / Tickets (0 without tickets).
func (c Containment) Rate() float64 {
	if c.Tickets == 0 {
		return 0
	}
	return float64(c.Contained) / float64(c.Tickets)
}

// Percent is Rate as a whole percentage, for tables and bars.
func (c Containment) Percent() int { return int(c.Rate()*100 + 0.5) }

// Question is a customer question the bot could not answer: a hand-off
// for reason unknown or a clarifying question for want of understanding. Text is the customer's
// words with personal data masked, grouped case- and space-insensitively.
type Question struct {
	Text    string    `json:"text"`
	N       int       `json:"n"`
	Lang    string    `json:"lang"`
	Channel string    `json:"channel"`
	Kind    bot.Kind  `json:"kind"`
	Last    time.Time `json:"last"`
}

// Report is the bot's analytics for a period.
type Report struct {
	From    time.Time   `json:"from"`
	To      time.Time   `json:"to"`
	Channel string      `json:"channel"`
	Total   Containment `json:"total"`
	// Days and Channels total each group; Rows is every (day, channel).
	Days     []Containment `json:"days"`
	Channels []Containment `json:"channels"`
	Rows     []Containment `json:"rows"`
	// Kinds counts decisions by kind (every kind, zeros included);
	// HandoffReasons and Refusals count those decisions by reason.
	Kinds          []Count    `json:"kinds"`
	HandoffReasons []Count    `json:"handoff_reasons"`
	Refusals       []Count    `json:"refusals"`
	Unanswered     []Question `json:"unanswered"`
}

// Analytics counts the bot's decisions of a period, for supervisors and
// admins.
func (s *Service) Analytics(ctx context.Context, a desk.Agent, p Period) (Report, error) {
	if err := requireSupervisor(a, "read the bot's analytics"); err != nil {
		return Report{}, err
	}
	if p.Zone == nil {
		p.Zone = time.UTC
	}
	if !p.From.Before(p.To) {
		return Report{}, desk.Errorf(desk.CodeInvalid, "the period must end after it starts")
	}
	if p.To.Sub(p.From) > MaxPeriodDays*24*time.Hour {
		return Report{}, desk.Errorf(desk.CodeInvalid, "a period covers at most %d days", MaxPeriodDays)
	}
	statuses, err := s.store.BotTicketStatuses(ctx, p.From, p.To, p.Channel)
	if err != nil {
		return Report{}, fmt.Errorf("botadmin: analytics: %w", err)
	}
	type ticketInfo struct {
		day, channel string
		handedOff    bool
	}
	tickets := map[string]*ticketInfo{}
	var order []string
	kinds, reasons, refusals := map[string]int{}, map[string]int{}, map[string]int{}
	decisions := map[[2]string]int{}
	questions := map[string]*Question{}
	err = s.store.EachBotDecision(ctx, p.From, p.To, p.Channel, func(d DecisionRow) error {
		if d.Kind == bot.KindSuggest {
			// An email's suggested reply: the agent answered, so the
			// ticket is no bot conversation to contain; only counted.
			kinds[string(d.Kind)]++
			return nil
		}
		day := d.CreatedAt.In(p.Zone).Format(time.DateOnly)
		t := tickets[d.TicketID]
		if t == nil {
			t = &ticketInfo{day: day, channel: d.Channel}
			tickets[d.TicketID] = t
			order = append(order, d.TicketID)
		}
		decisions[[2]string{t.day, t.channel}]++
		kinds[string(d.Kind)]++
		switch d.Kind {
		case bot.KindHandoff:
			t.handedOff = true
			reasons[orUnknown(d.Detail.Reason)]++
		case bot.KindRefuse:
			refusals[orUnknown(d.Detail.Reason)]++
		}
		if unanswered(d) {
			key := strings.Join(strings.Fields(strings.ToLower(d.Text)), " ")
			if key == "" {
				return nil
			}
			q := questions[key]
			if q == nil {
				q = &Question{Text: pii.Mask(strings.TrimSpace(d.Text))}
				questions[key] = q
			}
			q.N++
			q.Lang, q.Channel, q.Kind, q.Last = d.Lang, d.Channel, d.Kind, d.CreatedAt
		}
		return nil
	})
	if err != nil {
		return Report{}, fmt.Errorf("botadmin: analytics: %w", err)
	}
	r := Report{From: p.From, To: p.To, Channel: p.Channel}
	rows := map[[2]string]*Containment{}
	days, chans := map[string]*Containment{}, map[string]*Containment{}
	for _, id := range order {
		t := tickets[id]
		k := [2]string{t.day, t.channel}
		if rows[k] == nil {
			rows[k] = &Containment{Day: t.day, Channel: t.channel}
		}
		if days[t.day] == nil {
			days[t.day] = &Containment{Day: t.day}
		}
		if chans[t.channel] == nil {
			chans[t.channel] = &Containment{Channel: t.channel}
		}
		contained := !t.handedOff && (statuses[id] == string(desk.StatusResolved) || statuses[id] == string(desk.StatusClosed))
		for _, c := range []*Containment{rows[k], days[t.day], chans[t.channel], &r.Total} {
			c.Tickets++
			if t.handedOff {
				c.HandedOff++
			}
			if contained {
				c.Contained++
			}
		}
	}
	for k, n := range decisions {
		rows[k].Decisions += n
		days[k[0]].Decisions += n
		chans[k[1]].Decisions += n
		r.Total.Decisions += n
	}
	r.Rows = sortedGroups(rows, func(c Containment) string { return c.Day + "\x00" + c.Channel })
	r.Days = sortedGroups(days, func(c Containment) string { return c.Day })
	r.Channels = sortedGroups(chans, func(c Containment) string { return c.Channel })
	for _, k := range slices.Concat(bot.Kinds, []bot.Kind{bot.KindSuggest}) {
		r.Kinds = append(r.Kinds, Count{Key: string(k), N: kinds[string(k)]})
	}
	r.HandoffReasons, r.Refusals = byCount(reasons), byCount(refusals)
	for _, q := range questions {
		r.Unanswered = append(r.Unanswered, *q)
	}
	slices.SortFunc(r.Unanswered, func(x, y Question) int {
		if x.N != y.N {
			return y.N - x.N
		}
		return y.Last.Compare(x.Last)
	})
	if len(r.Unanswered) > MaxUnanswered {
		r.Unanswered = r.Unanswered[:MaxUnanswered]
	}
	if r.Unanswered == nil {
		r.Unanswered = []Question{}
	}
	return r, nil
}

// clarifyNotUnderstood is the reason of the engine's low-confidence
// clarifying question ("could you say it another way?"); its other
// clarifications (which article, a bad choice in a flow) had an answer
// in sight.
const clarifyNotUnderstood = "not_understood"

// unanswered says whether a decision marks a question the knowledge base
// did not answer.
func unanswered(d DecisionRow) bool {
	return (d.Kind == bot.KindHandoff && d.Detail.Reason == bot.ReasonUnknown) ||
		(d.Kind == bot.KindClarify && d.Detail.Reason == clarifyNotUnderstood)
}

func orUnknown(reason string) string {
	if reason == "" {
		return "unknown"
	}
	return reason
}

func sortedGroups[K comparable](m map[K]*Containment, key func(Containment) string) []Containment {
	out := make([]Containment, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Containment) int { return strings.Compare(key(a), key(b)) })
	return out
}

// byCount lists m's counts largest first (ties by key).
func byCount(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{Key: k, N: n})
	}
	slices.SortFunc(out, func(a, b Count) int {
		if a.N != b.N {
			return b.N - a.N
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}
