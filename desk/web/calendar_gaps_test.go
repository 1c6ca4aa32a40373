package web_test

import (
	"net/http"
	"strings"
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

// TestSLAAdminPageSpeaksTheAdminsLanguage: weekdays Monday first and
// translated, durations as people say them, a step "0 after the breach"
// accepted (as the breach itself).
func TestSLAAdminPageSpeaksTheAdminsLanguage(t *testing.T) {
	h := newHarness(t)
	var e apiError
	if r := h.call("POST", "/api/v1/sla/calendars", h.admin, map[string]any{"name": "office", "timezone": "Asia/Shanghai",
		"hours": map[string]string{"sat": "10:00-12:00", "mon": "09:00-18:00", "fri": "09:00-17:00"}}, &e); r.StatusCode != http.StatusCreated {
		t.Fatalf("calendar: %d %+v", r.StatusCode, e)
	}
	var p struct {
		Ladder []struct {
			Percent     int    `json:"percent"`
			AfterBreach string `json:"after_breach"`
		} `json:"ladder"`
	}
	if r := h.call("POST", "/api/v1/sla/policies", h.admin, map[string]any{"name": "std", "calendar_id": "office",
		"first_response": "90m", "resolution": "40h", "next_response": "45m",
		"ladder": []map[string]any{{"target": "first_response", "after_breach": "0", "notify": []string{"supervisors"}},
			{"target": "first_response", "after_breach": "30m"}}}, &p); r.StatusCode != http.StatusCreated {
		t.Fatalf("policy with a step 0 after the breach: %d", r.StatusCode)
	}
	if len(p.Ladder) != 2 || p.Ladder[0].Percent != 100 || p.Ladder[1].AfterBreach != "30m" || p.Ladder[1].Percent != 0 {
		t.Fatalf("ladder as stored: %+v", p.Ladder)
	}
	_, body := h.page(h.signIn("admin@example.com"), "/admin/sla", "Accept-Language", "zh-CN")
	wantContains(t, body, "1 小时 30 分钟", "40 小时", "45 分钟")
	wantLacks(t, body, "1h30m0s", "40h0m0s")
	mon, fri, sat := strings.Index(body, "周一 09:00-18:00"), strings.Index(body, "周五 09:00-17:00"), strings.Index(body, "周六 10:00-12:00")
	if mon < 0 || fri < mon || sat < fri {
		t.Fatalf("weekdays not in order or not translated: mon %d fri %d sat %d", mon, fri, sat)
	}
}
