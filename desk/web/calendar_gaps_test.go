package web_test

import (
	"net/http"
	"testing"
	"time"
)

// TestCalendarGapBanner: from November, a calendar in use without next
// year's holidays is a banner for admins (with the way to the import) and
// supervisors, nothing for agents, and the SLA page says which years it
// knows and that the next one has weekends only.
func TestCalendarGapBanner(t *testing.T) {
	clk := newFakeClock() // sign in on today's date: the cookie jar drops cookies that expired in real time
	h := newHarnessAt(t, clk.Now)
	var e apiError
	if r := h.call("POST", "/api/v1/sla/policies", h.admin, map[string]any{"name": "std", "calendar_id": "cn-mainland",
		"first_response": "2h"}, &e); r.StatusCode != http.StatusCreated {
		t.Fatalf("policy: %d %+v", r.StatusCode, e)
	}
	en := []string{"Accept-Language", "en"}
	admin, agent := h.signIn("admin@example.com"), h.signIn("li@example.com")
	clk.ns.Store(time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC).UnixNano())
	_, body := h.page(admin, "/inbox", en...)
	wantContains(t, body, `data-hl="calendar-gaps"`, "Calendar “cn-mainland” has no public-holiday schedule for 2027", `href="/admin/sla"`)

	_, body = h.page(agent, "/inbox", en...)
	wantLacks(t, body, `data-hl="calendar-gaps"`)

	_, body = h.page(admin, "/admin/sla", []string{"Accept-Language", "zh-CN"}...)
	wantContains(t, body, `data-hl="calendar-years">2026`, "2027 年：尚无官方放假安排，只有周末算休息日。")

	// October: nothing to warn about yet, though the SLA page still says it.
	clk.ns.Store(time.Date(2026, 10, 20, 2, 0, 0, 0, time.UTC).UnixNano())
	_, body = h.page(admin, "/inbox", en...)
	wantLacks(t, body, `data-hl="calendar-gaps"`)
	_, body = h.page(admin, "/admin/sla", en...)
	wantContains(t, body, "2027: no official schedule yet — only weekends are days off.")
}
