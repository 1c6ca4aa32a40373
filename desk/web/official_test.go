package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"huiliu/desk"
)

func TestOfficialChannels(t *testing.T) {
	h := newHarness(t)
	body := map[string]any{"channels": []map[string]string{
		{"kind": "hotline", "value": "400-800-1234", "label": "7×24"},
		{"kind": "website", "value": "https://www.example.com"},
		{"kind": "telegram", "value": "huiliu_bot"},
		{"kind": "mail_domain", "value": "@Example.com"},
	}}
	if r := h.call("PUT", "/api/v1/official-channels", h.agent, body, nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("an agent set the official channels: %d", r.StatusCode)
	}
	for _, bad := range []map[string]string{{"kind": "fax", "value": "1"}, {"kind": "website", "value": "javascript:alert(1)"},
		{"kind": "hotline", "value": "call me"}, {"kind": "telegram", "value": "@bad name"}, {"kind": "hotline", "value": ""}} {
		var e apiError
		if r := h.call("PUT", "/api/v1/official-channels", h.admin, map[string]any{"channels": []map[string]string{bad}}, &e); r.StatusCode != http.StatusBadRequest || e.Error.Message == "" {
			t.Errorf("%v: %d %+v", bad, r.StatusCode, e)
		}
	}
	var set struct {
		Channels []desk.OfficialChannel `json:"channels"`
	}
	if r := h.call("PUT", "/api/v1/official-channels", h.admin, body, &set); r.StatusCode != http.StatusOK || len(set.Channels) != 4 {
		t.Fatalf("set: %d %+v", r.StatusCode, set)
	}
	var pub struct {
		Channels []desk.OfficialChannel `json:"channels"`
	}
	if r := h.call("GET", "/api/v1/public/official-channels", "", nil, &pub); r.StatusCode != http.StatusOK || len(pub.Channels) != 4 ||
		pub.Channels[2].Value != "@huiliu_bot" || pub.Channels[3].Value != "example.com" || pub.Channels[0].Label != "7×24" {
		t.Fatalf("public list: %d %+v", r.StatusCode, pub)
	}
	resp, page := h.page(pageClient(), "/verify-agent")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("verify page: %d", resp.StatusCode)
	}
	wantContains(t, page, `data-hl="official-channels"`, "400-800-1234", "https://www.example.com", "@huiliu_bot", "客服热线", `data-hl="report-open"`)
	// The admin page lists them for editing; the change is audited.
	_, admin := h.page(h.signIn("admin@example.com"), "/admin/official-channels")
	wantContains(t, admin, `data-hl="official-form"`, `value="400-800-1234"`, "/static/official_admin.js")
	var audit struct {
		Entries []desk.AuditEntry `json:"entries"`
	}
	h.call("GET", "/api/v1/audit", h.admin, nil, &audit)
	audited := false
	for _, e := range audit.Entries {
		audited = audited || e.Action == "official_channels.set" && strings.Contains(e.Detail, "hotline=400-800-1234")
	}
	if !audited {
		t.Errorf("not audited: %+v", audit.Entries)
	}
}

// A report from the public page opens a high-priority ticket tagged
// impostor-report, tells the customer what happens next, and is limited.
func TestImpostorReportFromThePage(t *testing.T) {
	h := newHarness(t)
	c := pageClient()
	_, form := h.page(c, "/verify-agent?report=1")
	wantContains(t, form, `data-hl="report-form"`, `action="/verify-agent/report#report"`)
	post := func(v url.Values) (int, string) {
		resp, err := c.PostForm(h.srv.URL+"/verify-agent/report", v)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if status, body := post(url.Values{"what": {"  "}}); status != http.StatusBadRequest || !strings.Contains(body, `data-hl="report-error"`) {
		t.Fatalf("empty report: %d", status)
	}
	status, body := post(url.Values{"what": {"有人自称客服让我转账"}, "impostor": {"+86 171 0000 0000"}, "callback": {"13800138000"}})
	if status != http.StatusOK || !strings.Contains(body, `data-hl="report-done"`) {
		t.Fatalf("report: %d %s", status, body)
	}
	page, err := h.svc.Tickets(context.Background(), desk.Agent{Role: desk.RoleSupervisor}, desk.TicketFilter{Tag: desk.TagImpostorReport, Limit: 10})
	if err != nil || len(page.Tickets) != 1 {
		t.Fatalf("report tickets: %v %+v", err, page)
	}
	tk := page.Tickets[0]
	if tk.Priority != desk.PriorityHigh || tk.Channel != desk.ChannelReport {
		t.Errorf("report ticket: %+v", tk)
	}
	ms, err := h.db.Messages(context.Background(), tk.ID, "", 10)
	if err != nil || len(ms) == 0 || !strings.Contains(ms[0].Text, "有人自称客服让我转账") || !strings.Contains(ms[0].Text, "13800138000") {
		t.Errorf("report text: %v %+v", err, ms)
	}
	// Two reports are two tickets; the sixth within the hour is refused.
	for i := 0; i < 4; i++ {
		if status, _ := post(url.Values{"what": {"again"}}); status != http.StatusOK {
			t.Fatalf("report %d: %d", i+2, status)
		}
	}
	if status, _ := post(url.Values{"what": {"again"}}); status != http.StatusTooManyRequests {
		t.Errorf("sixth report: %d, want 429", status)
	}
}
