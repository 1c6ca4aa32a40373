package web_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"huiliu/desk"
)

// fakeClock is the service's clock in SLA page tests; it moves only when
// told, so states are exact without waiting.
type fakeClock struct{ ns atomic.Int64 }

func newFakeClock() *fakeClock {
	c := &fakeClock{}
	c.ns.Store(time.Now().UTC().Truncate(time.Minute).UnixNano())
	return c
}
func (c *fakeClock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *fakeClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// slaSetup gives the harness an always-open calendar and a policy (first
// response 1h, resolution 10h) that applies to every ticket.
func slaSetup(t *testing.T, h *harness, policyName string) {
	t.Helper()
	if r := h.call("POST", "/api/v1/sla/calendars", h.admin, map[string]any{"name": "24x7", "timezone": "UTC", "always_open": true}, nil); r.StatusCode != http.StatusCreated {
		t.Fatalf("calendar: %d", r.StatusCode)
	}
	var e apiError
	if r := h.call("POST", "/api/v1/sla/policies", h.admin, map[string]any{"name": policyName, "calendar_id": "24x7",
		"first_response": "1h", "resolution": "10h"}, &e); r.StatusCode != http.StatusCreated {
		t.Fatalf("policy: %d %+v", r.StatusCode, e)
	}
}

func reconcileSLA(t *testing.T, h *harness) {
	t.Helper()
	if err := h.slaWorker().Reconcile(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestTicketSLAPanelStatesAndEscaping(t *testing.T) {
	clk := newFakeClock()
	h := newHarnessAt(t, clk.Now)
	slaSetup(t, h, "<b>fast</b>")
	tk := h.inbound("p1", "cust-p", "help")
	reconcileSLA(t, h)
	c := h.signIn("admin@example.com")
	en := []string{"Accept-Language", "en"}

	_, body := h.page(c, "/tickets/"+tk.ID, en...)
	wantContains(t, body, `data-hl="sla-panel"`, "Policy: &lt;b&gt;fast&lt;/b&gt;", "First response", "Resolution",
		`data-state="running"`, "1 h left (business time)", `data-hl="followup-form"`)
	wantLacks(t, body, "<b>fast</b>", `data-at-risk="true"`)

	clk.Advance(50 * time.Minute) // 83 % of first response used
	_, body = h.page(c, "/tickets/"+tk.ID+"?fragment=sla", en...)
	wantContains(t, body, `data-at-risk="true"`, "sla-risk", "At risk", "10 min left")
	wantLacks(t, body, `data-hl="timeline"`) // the fragment is the panel alone

	var f desk.Followup
	if r := h.call("POST", "/api/v1/tickets/"+tk.ID+"/followups", h.admin, map[string]any{
		"due_at": clk.Now().Add(time.Hour).Format(time.RFC3339), "note": "<i>call back</i>"}, &f); r.StatusCode != http.StatusCreated {
		t.Fatalf("follow-up: %d", r.StatusCode)
	}
	_, body = h.page(c, "/tickets/"+tk.ID+"?fragment=sla", en...)
	wantContains(t, body, "Promised follow-up", "&lt;i&gt;call back&lt;/i&gt;", `data-followup-id="`+f.ID+`"`)
	wantLacks(t, body, "<i>call back</i>")

	clk.Advance(80 * time.Minute)
	_, body = h.page(c, "/tickets/"+tk.ID+"?fragment=sla", en...)
	wantContains(t, body, `class="sla-target sla-breached"`, "Breached", "1 h 10 min overdue", "20 min overdue")

	// The reply meets first response; done follow-ups lose their button.
	if r := h.call("POST", "/api/v1/tickets/"+tk.ID+"/messages", h.admin, map[string]string{"text": "hi"}, nil); r.StatusCode != http.StatusCreated {
		t.Fatalf("reply: %d", r.StatusCode)
	}
	if r := h.call("DELETE", "/api/v1/tickets/"+tk.ID+"/followups/"+f.ID, h.admin, nil, nil); r.StatusCode != http.StatusNoContent {
		t.Fatalf("finish: %d", r.StatusCode)
	}
	reconcileSLA(t, h)
	_, body = h.page(c, "/tickets/"+tk.ID+"?fragment=sla", "Accept-Language", "zh-CN")
	wantContains(t, body, "首次响应", "已超时", "达成于", "已达成")
	wantLacks(t, body, `data-hl="followup-done"`)
}

func TestSLAViewsAndCountsRespectVisibility(t *testing.T) {
	clk := newFakeClock()
	h := newHarnessAt(t, clk.Now)
	slaSetup(t, h, "std")
	early := h.inbound("v1", "cust-1", "early A")
	clk.Advance(30 * time.Minute)
	late := h.inbound("v2", "cust-2", "late A")
	other := h.inbound("v3", "cust-3", "early B secret")
	h.moveToTeam(early.ID, "A")
	h.moveToTeam(late.ID, "A")
	h.moveToTeam(other.ID, "B")
	reconcileSLA(t, h)

	agent := h.signIn("li@example.com")
	clk.Advance(20 * time.Minute) // early: 50 of 60 min used; late and other: 20
	_, body := h.page(agent, "/inbox?view=at_risk")
	wantContains(t, body, `data-ticket-id="`+early.ID+`"`, `data-hl="count-at_risk">1<`, `data-hl="count-breached">0<`)
	wantLacks(t, body, `data-ticket-id="`+late.ID+`"`, other.ID)

	clk.Advance(45 * time.Minute) // early overrun; late and other at 65 of 60 min
	_, body = h.page(agent, "/inbox?view=breached")
	wantContains(t, body, `data-ticket-id="`+early.ID+`"`, `data-ticket-id="`+late.ID+`"`, `data-hl="count-breached">2<`)
	wantLacks(t, body, other.ID, "early B secret")
	var n desk.InboxCounts
	h.call("GET", "/api/v1/tickets/counts", h.agent, nil, &n)
	if n.Breached != 2 || n.AtRisk != 0 {
		t.Fatalf("agent counts: %+v", n)
	}
	h.call("GET", "/api/v1/tickets/counts", h.admin, nil, &n)
	if n.Breached != 3 {
		t.Fatalf("admin counts: %+v", n)
	}
	// A met target is not breached any more (late's resolution still runs).
	if r := h.call("POST", "/api/v1/tickets/"+late.ID+"/messages", h.agent, map[string]string{"text": "sorry"}, nil); r.StatusCode != http.StatusCreated {
		t.Fatalf("reply: %d", r.StatusCode)
	}
	reconcileSLA(t, h)
	_, body = h.page(agent, "/inbox?view=breached&fragment=rows")
	wantContains(t, body, `data-ticket-id="`+early.ID+`"`)
	wantLacks(t, body, late.ID)
	if !strings.Contains(body, `data-hl="inbox-rows"`) {
		t.Fatal("the live fragment lacks its rows")
	}
}
