package web_test

import (
	"net/http"
	"strings"
	"testing"

	"huiliu/desk"
)

// TestAgentsChooseTheirTimeZone: an agent sets their own zone, an admin
// sets anyone's, a wrong zone is refused in the reader's language with
// nothing changed, and the pages then show times in that zone, labelled.
func TestAgentsChooseTheirTimeZone(t *testing.T) {
	h := newHarness(t)
	tk := h.inbound("tz-1", "cust-tz", "几点了？")

	var me struct{ Agent desk.Agent }
	if resp := h.call("PATCH", "/api/v1/me", h.agent, map[string]any{"time_zone": "America/New_York"}, &me); resp.StatusCode != http.StatusOK || me.Agent.TimeZone != "America/New_York" {
		t.Fatalf("own zone: %d %+v", resp.StatusCode, me.Agent)
	}
	var e apiError
	resp := h.call("PATCH", "/api/v1/me", h.agent, map[string]any{"time_zone": "Mars/Olympus"}, &e, "Accept-Language", "zh-CN")
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(e.Error.Message, "Mars/Olympus") || !strings.Contains(e.Error.Message, "时区") {
		t.Errorf("bad zone: %d %q", resp.StatusCode, e.Error.Message)
	}
	if a, _ := h.db.Agent(t.Context(), h.agentA.ID); a.TimeZone != "America/New_York" {
		t.Errorf("a refused zone changed the setting to %q", a.TimeZone)
	}

	c := h.signIn("li@example.com")
	_, body := h.page(c, "/tickets/"+tk.ID)
	label := "UTC-5"
	if at := tk.CreatedAt; at.Month() >= 4 && at.Month() <= 10 {
		label = "UTC-4" // New York's summer time; the exact edges do not matter for a ticket made now
	}
	for _, want := range []string{`data-zone="America/New_York"`, label} {
		if !strings.Contains(body, want) {
			t.Errorf("ticket page lacks %q", want)
		}
	}

	var a desk.Agent
	if resp := h.call("PATCH", "/api/v1/agents/"+h.agentA.ID, h.admin, map[string]any{"time_zone": "Asia/Shanghai"}, &a); resp.StatusCode != http.StatusOK || a.TimeZone != "Asia/Shanghai" {
		t.Fatalf("admin sets zone: %d %+v", resp.StatusCode, a)
	}
	_, body = h.page(c, "/tickets/"+tk.ID)
	// html/template writes "+" as "&#43;"; the browser shows UTC+8.
	if !strings.Contains(body, `data-zone="Asia/Shanghai"`) || !strings.Contains(body, "UTC&#43;8") {
		t.Error("the admin's change does not show on the agent's pages")
	}
	_, body = h.page(h.signIn("admin@example.com"), "/admin/agents", "Accept-Language", "en")
	if !strings.Contains(body, `data-hl="agent-zone"`) || !strings.Contains(body, `<option value="Asia/Shanghai" selected>Shanghai (Beijing time) · UTC&#43;8</option>`) {
		t.Error("the agents page does not show the agent's zone as chosen")
	}
	if resp := h.call("PATCH", "/api/v1/agents/"+h.agentA.ID, h.admin, map[string]any{"time_zone": ""}, &a); resp.StatusCode != http.StatusOK || a.TimeZone != "" {
		t.Fatalf("back to the desk's zone: %d %+v", resp.StatusCode, a)
	}
	_, body = h.page(c, "/tickets/"+tk.ID)
	if !strings.Contains(body, `data-zone="UTC"`) {
		t.Error("an agent without a zone does not get the desk's")
	}
}
