package desk_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"

	"huiliu/desk"
)

type mailbox struct {
	mu   sync.Mutex
	to   []string
	subj []string
	body []string
	fail bool
}

func (m *mailbox) send(_ context.Context, to, subject, body string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail {
		return errors.New("smtp down")
	}
	m.to, m.subj, m.body = append(m.to, to), append(m.subj, subject), append(m.body, body)
	return nil
}

// TestWeeklySummaryOncePerWeekAcrossNodes: nothing before Monday 09:00;
// then last week's figures go to every supervisor and admin (not agents)
// once, whichever node asks; a failed send is retried an hour later.
func TestWeeklySummaryOncePerWeekAcrossNodes(t *testing.T) {
	ctx := context.Background()
	d := newKPIDesk(t)
	mkAgent(t, d.svc, "sup@example.com", "组长", desk.RoleSupervisor, "Support")
	d.customer(t, "2026-09-29 09:00", "a", "怎么还款")
	// A second node: its own KPI over the same record and clock.
	other := desk.NewKPI(d.db, cstZone)
	desk.NewService(desk.Options{Store: d.db, Now: d.clock.Now, Observers: []desk.Observer{other}})

	m := &mailbox{fail: true}
	d.at("2026-10-05 08:59")
	if sent, err := d.kpi.WeeklySummary(ctx, m.send, ""); sent || err != nil {
		t.Fatalf("before 09:00: %v %v", sent, err)
	}
	d.at("2026-10-05 09:00")
	if sent, err := d.kpi.WeeklySummary(ctx, m.send, "https://desk.example.com/supervisor/reports"); sent || err == nil {
		t.Fatalf("with the mail down: %v %v", sent, err)
	}
	m.fail = false
	d.at("2026-10-05 09:30")
	if sent, _ := other.WeeklySummary(ctx, m.send, ""); sent {
		t.Fatal("retried before the claim went stale")
	}
	d.at("2026-10-05 10:01")
	if sent, err := other.WeeklySummary(ctx, m.send, "https://desk.example.com/supervisor/reports"); !sent || err != nil {
		t.Fatalf("retry: %v %v", sent, err)
	}
	if sent, err := d.kpi.WeeklySummary(ctx, m.send, ""); sent || err != nil {
		t.Fatalf("second node, same week: %v %v", sent, err)
	}
	slices.Sort(m.to)
	if !slices.Equal(m.to, []string{"boss@example.com", "sup@example.com"}) {
		t.Fatalf("sent to %v, want the admin and the supervisor", m.to)
	}
	if !strings.Contains(m.subj[0], "2026-09-28") || !strings.Contains(m.subj[0], "2026-10-04") {
		t.Fatalf("subject %q", m.subj[0])
	}
	for _, want := range []string{"及时率", "新建工单：1（0）", "Timeliness rate", "Tickets created: 1 (0)", "https://desk.example.com/supervisor/reports"} {
		if !strings.Contains(m.body[0], want) {
			t.Fatalf("body lacks %q:\n%s", want, m.body[0])
		}
	}
	// The next week, with a ticket of its own, is due again the next Monday.
	d.customer(t, "2026-10-06 10:00", "b", "押金什么时候退")
	d.at("2026-10-12 09:05")
	if sent, err := d.kpi.WeeklySummary(ctx, m.send, ""); !sent || err != nil {
		t.Fatalf("next week: %v %v", sent, err)
	}
}

// A week without a ticket created or resolved mails nothing (a new
// install does not send an empty week, even with a ticket open since) and
// is not tried again.
func TestWeeklySummarySkipsAnEmptyDesk(t *testing.T) {
	ctx := context.Background()
	d := newKPIDesk(t)
	mkAgent(t, d.svc, "sup@example.com", "组长", desk.RoleSupervisor, "Support")
	m := &mailbox{}
	d.customer(t, "2026-10-05 08:00", "a", "怎么还款")
	d.at("2026-10-05 09:00")
	for range 2 {
		if sent, err := d.kpi.WeeklySummary(ctx, m.send, ""); sent || err != nil {
			t.Fatalf("empty desk: %v %v", sent, err)
		}
	}
	if len(m.to) != 0 {
		t.Fatalf("mailed %v about an empty week", m.to)
	}
}
