package web_test

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/desk/web"
	"huiliu/store/storetest"
)

// reportsHarness is the harness with the KPI roll-ups kept and served;
// days count in Beijing time.
func reportsHarness(t *testing.T) (*harness, *desk.KPI) {
	t.Helper()
	zone, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	db := storetest.New(t)
	k := desk.NewKPI(db, zone)
	h := newHarnessWith(t, db, desk.Options{Observers: []desk.Observer{k}}, func(o *web.Options) { o.KPI = k })
	return h, k
}

func TestReportsAPIAndCSV(t *testing.T) {
	h, _ := reportsHarness(t)
	ctx := context.Background()
	// An agent whose name a spreadsheet would run as a formula answers
	// two tickets, so it owns them and shows in the per-agent rows.
	evil := h.createAgent("evil@example.com", "=HYPERLINK(\"http://x\")", desk.RoleAgent)
	for _, who := range []string{"c1", "c2"} {
		tk := h.inbound("x-"+who, who, "你好")
		if _, _, err := h.svc.Post(ctx, desk.AgentActor(evil), desk.PostRequest{TicketID: tk.ID, Kind: desk.KindReply, Text: "您好"}); err != nil {
			t.Fatal(err)
		}
	}
	h.inbound("x-c3", "c3", "还在吗")

	var r desk.Report
	if resp := h.call("GET", "/api/v1/reports/summary?period=day", h.admin, nil, &r); resp.StatusCode != 200 {
		t.Fatalf("summary: %d", resp.StatusCode)
	}
	if r.Cur.Created != 3 || r.Open != 3 || r.Period != "day" || r.Zone != "Asia/Shanghai" || len(r.HourOfWeek) != 7 {
		t.Fatalf("summary: created %d open %d period %q zone %q", r.Cur.Created, r.Open, r.Period, r.Zone)
	}
	// The agent li answered nothing: their own report is empty, whatever
	// agent they ask for.
	var mine desk.Report
	if resp := h.call("GET", "/api/v1/reports/summary?period=day&agent="+evil.ID, h.agent, nil, &mine); resp.StatusCode != 200 {
		t.Fatalf("agent's summary: %d", resp.StatusCode)
	}
	if mine.Filter.AgentID != h.agentA.ID || mine.Cur.Created != 0 {
		t.Fatalf("agent's summary: filter %+v created %d", mine.Filter, mine.Cur.Created)
	}
	for _, bad := range []string{"period=year", "period=custom&from=2026-01-01", "at=yesterday", "period=custom&from=2024-01-01&to=2026-01-01"} {
		var e apiError
		if resp := h.call("GET", "/api/v1/reports/summary?"+bad, h.admin, nil, &e); resp.StatusCode != http.StatusBadRequest || e.Error.Code != "invalid" {
			t.Errorf("%s: %d %+v", bad, resp.StatusCode, e)
		}
	}

	req, _ := http.NewRequest("GET", h.srv.URL+"/api/v1/reports/export?period=day", nil)
	req.Header.Set("Authorization", "Bearer "+h.admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
		t.Fatalf("export: %d %v", resp.StatusCode, resp.Header)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(raw), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(rows[0], ",") != strings.Join(desk.ReportHeader, ",") || rows[1][0] != "period" || rows[1][5] != "3" {
		t.Fatalf("export head: %q", rows[:2])
	}
	found := false
	for _, row := range rows {
		if row[0] == "agent" && row[1] == evil.ID {
			found = true
			if row[2] != "'=HYPERLINK(\"http://x\")" || row[5] != "2" {
				t.Fatalf("agent row not defused: %q", row)
			}
		}
	}
	if !found {
		t.Fatalf("no agent row in %q", rows)
	}
}

func TestReportsPages(t *testing.T) {
	h, _ := reportsHarness(t)
	h.inbound("p-1", "c1", "押金")
	h.createAgent("boss@example.com", "主管王", desk.RoleSupervisor)

	boss := h.signIn("boss@example.com")
	resp, body := h.page(boss, "/supervisor/reports?period=week", "Accept-Language", "zh-CN")
	if resp.StatusCode != 200 {
		t.Fatalf("dashboard: %d %s", resp.StatusCode, body)
	}
	wantContains(t, body, "报表与KPI", "客户满意度", "投诉率", "及时率", `data-hl="kpi-seed"`, `<svg`, `role="img"`,
		"<title", "每日工单量", "按星期和小时的来量", `data-hl="kpi-backlog"`, "/api/v1/reports/export?period=week", "主管王")
	resp, body = h.page(boss, "/supervisor/reports?period=week&lang=en", "Accept-Language", "en")
	if resp.StatusCode != 200 {
		t.Fatalf("dashboard en: %d", resp.StatusCode)
	}
	wantContains(t, body, "Reports and KPIs", "Timeliness rate", "Tickets per day")
	resp, _ = h.page(boss, "/supervisor/reports?period=decade")
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad period page: %d", resp.StatusCode)
	}

	li := h.signIn("li@example.com")
	if resp, _ := h.page(li, "/supervisor/reports"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("agent on the dashboard: %d", resp.StatusCode)
	}
	resp, body = h.page(li, "/me/reports", "Accept-Language", "zh-CN")
	if resp.StatusCode != 200 {
		t.Fatalf("own figures: %d", resp.StatusCode)
	}
	wantContains(t, body, "我的工作数据", "及时率")
	wantLacks(t, body, "按坐席", "主管王")
}
