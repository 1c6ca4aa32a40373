package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"huiliu/desk"
)

func TestSLACalendarImportErrorsNameTheLine(t *testing.T) {
	h := newHarness(t)
	var e apiError
	resp := h.call("POST", "/api/v1/sla/calendars", h.admin, map[string]any{
		"name": "cn-2027", "timezone": "Asia/Shanghai", "base": "cn-mainland",
		"hours":    map[string]string{"mon": "09:00-12:00,13:30-18:00"},
		"schedule": "year 2027\nholiday 2027-01-01 2027-01-03 元旦\nworkday 2027-13-01 bad\n",
	}, &e)
	if resp.StatusCode != http.StatusBadRequest || !strings.Contains(e.Error.Message, "line 3") {
		t.Fatalf("bad schedule: %d %+v", resp.StatusCode, e)
	}
	var cal desk.SLACalendar
	resp = h.call("POST", "/api/v1/sla/calendars", h.admin, map[string]any{
		"name": "cn-2027", "timezone": "Asia/Shanghai", "base": "cn-mainland",
		"hours":    map[string]string{"mon": "09:00-12:00,13:30-18:00"},
		"schedule": "year 2027\nholiday 2027-01-01 2027-01-03 元旦\n",
	}, &cal)
	if resp.StatusCode != http.StatusCreated || cal.ID == "" {
		t.Fatalf("create calendar: %d %+v", resp.StatusCode, cal)
	}
	if resp := h.call("POST", "/api/v1/sla/calendars", h.agent, map[string]any{"name": "x", "timezone": "UTC"}, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("an agent created a calendar: %d", resp.StatusCode)
	}
	var list struct {
		Calendars []desk.SLACalendar `json:"calendars"`
	}
	h.call("GET", "/api/v1/sla/calendars", h.admin, nil, &list)
	if len(list.Calendars) != 2 { // the built-in cn-mainland and ours
		t.Fatalf("calendars: %+v", list)
	}
}

func TestSLAPolicyAndTicketSLAOverHTTP(t *testing.T) {
	h := newHarness(t)
	var e apiError
	resp := h.call("POST", "/api/v1/sla/policies", h.admin, map[string]any{
		"name": "fast", "calendar_id": "cn-mainland", "first_response": "2 hours"}, &e)
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad duration: %d %+v", resp.StatusCode, e)
	}
	var p desk.SLAPolicy
	resp = h.call("POST", "/api/v1/sla/policies", h.admin, map[string]any{
		"name": "fast", "calendar_id": "cn-mainland", "first_response": "2h", "resolution": "16h",
		"ladder": []map[string]any{{"target": "first_response", "percent": 80, "notify": []string{"owner"}}}}, &p)
	if resp.StatusCode != http.StatusCreated || time.Duration(p.FirstResponse) != 2*time.Hour || len(p.Ladder) != 1 {
		t.Fatalf("create policy: %d %+v", resp.StatusCode, p)
	}
	tk := h.inbound("sla-1", "cust-sla", "我的账单")
	w := h.slaWorker()
	if err := w.Reconcile(context.Background()); err != nil {
		t.Fatal(err)
	}
	var v desk.SLAView
	if resp := h.call("GET", "/api/v1/tickets/"+tk.ID+"/sla", h.admin, nil, &v); resp.StatusCode != http.StatusOK {
		t.Fatalf("ticket sla: %d", resp.StatusCode)
	}
	if v.PolicyName != "fast" || len(v.Targets) != 2 || v.Targets[0].Target != desk.TargetFirstResponse {
		t.Fatalf("sla view: %+v", v)
	}
	var f desk.Followup
	resp = h.call("POST", "/api/v1/tickets/"+tk.ID+"/followups", h.admin, map[string]any{
		"due_at": time.Now().Add(time.Hour).Format(time.RFC3339), "note": "15:00 回电"}, &f)
	if resp.StatusCode != http.StatusCreated || f.ID == "" {
		t.Fatalf("follow-up: %d %+v", resp.StatusCode, f)
	}
	if resp := h.call("POST", "/api/v1/tickets/"+tk.ID+"/followups", h.admin, map[string]any{"due_at": "2020-01-01T00:00:00Z"}, nil); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("follow-up in the past: %d", resp.StatusCode)
	}
	if resp := h.call("DELETE", "/api/v1/tickets/"+tk.ID+"/followups/"+f.ID, h.admin, nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("finish follow-up: %d", resp.StatusCode)
	}
	if resp := h.call("DELETE", "/api/v1/tickets/"+tk.ID+"/followups/"+f.ID, h.admin, nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("finish twice: %d", resp.StatusCode)
	}
	if resp := h.call("DELETE", "/api/v1/sla/policies/"+p.ID, h.admin, nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete policy: %d", resp.StatusCode)
	}
}
