package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"huiliu/desk"
	"huiliu/desk/web"
	"huiliu/queue/memory"
)

func TestRoutingAPIValidation(t *testing.T) {
	h := newHarness(t)
	teamA, err := h.db.TeamByName(context.Background(), "A")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		method, path string
		body         any
		status       int
		mention      string
	}{
		{"POST", "/api/v1/routing/rules", map[string]any{"team_id": teamA.ID}, 400, "name"},
		{"POST", "/api/v1/routing/rules", map[string]any{"name": "x", "team_id": "nope"}, 404, "team"},
		{"POST", "/api/v1/routing/rules", map[string]any{"name": "x", "team_id": teamA.ID, "set_priority": "asap"}, 400, "set_priority"},
		{"POST", "/api/v1/routing/rules", map[string]any{"name": "x", "team_id": teamA.ID,
			"conditions": map[string]any{"hours": map[string]any{"timezone": "Mars/Base", "days": []int{1}, "hours": "09:00-18:00"}}}, 400, "timezone"},
		{"POST", "/api/v1/routing/rules", map[string]any{"name": "x", "team_id": teamA.ID, "conditions": map[string]any{"colour": "red"}}, 400, "colour"},
		{"PUT", "/api/v1/routing/rules/order", map[string]any{"ids": []string{"missing"}}, 400, "exactly once"},
		{"PUT", "/api/v1/routing/rules/nope", map[string]any{"name": "x", "team_id": teamA.ID}, 404, "not found"},
		{"PUT", "/api/v1/routing/teams/" + teamA.ID, map[string]any{"mode": "push"}, 400, "mode"},
		{"PUT", "/api/v1/routing/teams/" + teamA.ID, map[string]any{"mode": "auto", "reassign_after_seconds": 5}, 400, "minute"},
		{"PUT", "/api/v1/routing/teams/nope", map[string]any{"mode": "auto"}, 404, "team"},
		{"PUT", "/api/v1/routing/agents/" + h.agentA.ID, map[string]any{"languages": []string{"zh"}}, 400, "capacity"},
		{"PUT", "/api/v1/routing/agents/" + h.agentA.ID, map[string]any{"capacity": -1}, 400, "capacity"},
		{"POST", "/api/v1/routing/segments", map[string]any{"segments": []map[string]string{{"kind": "passport", "value": "1", "segment": "vip"}}}, 400, "entry 1"},
		{"POST", "/api/v1/routing/segments", map[string]any{"segments": []map[string]string{}}, 400, "no segment"},
	} {
		var e apiError
		resp := h.call(tc.method, tc.path, h.admin, tc.body, &e)
		if resp.StatusCode != tc.status || !strings.Contains(e.Error.Message, tc.mention) {
			t.Errorf("%s %s %v: %d %q, want %d mentioning %q", tc.method, tc.path, tc.body, resp.StatusCode, e.Error.Message, tc.status, tc.mention)
		}
	}
	if resp := h.call("GET", "/api/v1/routing/rules", h.agent, nil, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an agent read the rules: %d", resp.StatusCode)
	}
}

func TestRoutingAPIRulesSegmentsAndPull(t *testing.T) {
	q := memory.New()
	t.Cleanup(func() { q.Close() })
	h := newHarnessAt(t, nil, desk.NewRouter(desk.RouterOptions{Presence: q.Presence(), Leases: q.Leases()}))
	ctx := context.Background()
	teamA, err := h.db.TeamByName(ctx, "A")
	if err != nil {
		t.Fatal(err)
	}
	other, err := h.svc.CreateTeam(ctx, desk.Actor{}, "Other")
	if err != nil {
		t.Fatal(err)
	}
	var tr map[string]any
	if resp := h.call("PUT", "/api/v1/routing/teams/"+other.ID, h.admin, map[string]any{"mode": "pull", "default": true}, &tr); resp.StatusCode != 200 || tr["default"] != true {
		t.Fatalf("team routing: %d %v", resp.StatusCode, tr)
	}
	var r1, r2 desk.RoutingRule
	h.call("POST", "/api/v1/routing/rules", h.admin, map[string]any{"name": "refunds", "team_id": teamA.ID, "set_category": "refund",
		"conditions": map[string]any{"keywords": []string{"退款"}}}, &r1)
	resp := h.call("POST", "/api/v1/routing/rules", h.admin, map[string]any{"name": "vip", "team_id": other.ID,
		"conditions": map[string]any{"segments": []string{"vip"}}}, &r2)
	if resp.StatusCode != http.StatusCreated || r1.Position != 1 || r2.Position != 2 || !r1.Enabled {
		t.Fatalf("create: %d %+v %+v", resp.StatusCode, r1, r2)
	}
	var order struct{ Rules []desk.RoutingRule }
	h.call("PUT", "/api/v1/routing/rules/order", h.admin, map[string]any{"ids": []string{r2.ID, r1.ID}}, &order)
	if len(order.Rules) != 2 || order.Rules[0].ID != r2.ID {
		t.Fatalf("reorder: %+v", order.Rules)
	}
	var imp struct{ Received, Added int }
	resp = h.call("POST", "/api/v1/routing/segments", h.admin, "kind,value,segment\napi,cust-vip,vip\napi,cust-vip,vip\n", &imp, "Content-Type", "text/csv")
	if resp.StatusCode != 200 || imp.Received != 2 || imp.Added != 1 {
		t.Fatalf("csv import: %d %+v", resp.StatusCode, imp)
	}
	// The vip rule comes first now, so a vip refund goes to Other.
	if tk := h.inbound("m1", "cust-vip", "我要退款"); tk.TeamID != other.ID {
		t.Errorf("vip ticket in team %s, want Other", tk.TeamID)
	}
	refund := h.inbound("m2", "cust-2", "我要退款")
	if refund.TeamID != teamA.ID || refund.Category != "refund" || refund.Language != "zh" {
		t.Errorf("refund ticket: team %s category %q language %q", refund.TeamID, refund.Category, refund.Language)
	}
	var got desk.Ticket
	if resp := h.call("POST", "/api/v1/tickets/next", h.agent, nil, &got); resp.StatusCode != 200 || got.ID != refund.ID || got.AssigneeID != h.agentA.ID {
		t.Fatalf("next: %d %+v", resp.StatusCode, got)
	}
	var e apiError
	if resp := h.call("POST", "/api/v1/tickets/next", h.agent, nil, &e); resp.StatusCode != 404 || e.Error.Code != "not_found" {
		t.Fatalf("empty queue: %d %+v", resp.StatusCode, e)
	}
	var ar desk.AgentRouting
	resp = h.call("PUT", "/api/v1/routing/agents/"+h.agentA.ID, h.admin, map[string]any{"capacity": 3, "languages": []string{"ZH", "zh"}}, &ar)
	if resp.StatusCode != 200 || ar.Capacity != 3 || len(ar.Languages) != 1 || ar.Languages[0] != "zh" {
		t.Fatalf("agent routing: %d %+v", resp.StatusCode, ar)
	}
	if resp := h.call("DELETE", "/api/v1/routing/rules/"+r1.ID, h.admin, nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
}

func TestRoutingAdminPage(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	teamA, err := h.db.TeamByName(ctx, "A")
	if err != nil {
		t.Fatal(err)
	}
	if resp := h.call("POST", "/api/v1/routing/rules", h.admin, map[string]any{"name": "<b>逾期</b>", "team_id": teamA.ID,
		"conditions": map[string]any{"keywords": []string{"还款"}, "segments": []string{"overdue"}}}, nil); resp.StatusCode != http.StatusCreated {
		t.Fatalf("create rule: %d", resp.StatusCode)
	}
	admin := h.signIn("admin@example.com")
	resp, body := h.page(admin, "/admin/routing")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("routing page: %d", resp.StatusCode)
	}
	wantContains(t, body, `data-hl="routing-rule"`, "&lt;b&gt;逾期&lt;/b&gt;", "还款", "overdue", `data-hl="routing-team"`, `data-hl="segments-form"`, "routing_admin.js")
	wantLacks(t, body, "<b>逾期</b>")
	// The rule form: every field of a rule, and an edit button per row.
	wantContains(t, body, `data-hl="rule-form"`, `data-hl="rule-edit"`, `data-hl="rule-save"`, `data-hl="rule-id"`,
		`data-hl="rule-name"`, `data-hl="rule-enabled"`, `data-hl="rule-channel"`, `value="telegram"`, `data-hl="rule-languages"`,
		`data-hl="rule-categories"`, `data-hl="rule-keywords"`, `data-hl="rule-segments"`, `data-hl="rule-hours-on"`,
		`data-hl="rule-hours-outside"`, `data-hl="rule-timezone"`, `value="0" data-hl="rule-day"`, `value="6" data-hl="rule-day"`,
		`data-hl="rule-schedule"`, `data-hl="rule-team"`, `<option value="`+teamA.ID+`">A</option>`, `data-hl="rule-set-category"`,
		`data-hl="rule-set-priority"`, `<option value="urgent">`, `data-hl="rule-error"`, `role="alert"`,
		"新建规则", "保存规则", "工作时间", "周日")
	_, en := h.page(admin, "/admin/routing", "Cookie", "lang=en")
	wantContains(t, en, `data-hl="rule-form"`, "New rule", "Save rule", "Business hours", "Choose a team", `"js.rule_editing":`)
	wantLacks(t, en, "新建规则", "<b>逾期</b>")

	// What the form sends on edit: the whole rule, replaced by PUT. A bad
	// value answers 400 with the message the form shows.
	var rules struct {
		Rules []struct{ ID string } `json:"rules"`
	}
	h.call("GET", "/api/v1/routing/rules", h.admin, nil, &rules)
	if len(rules.Rules) != 1 {
		t.Fatalf("rules: %+v", rules.Rules)
	}
	edit := map[string]any{"name": "夜间 <i>", "enabled": false, "team_id": teamA.ID, "set_category": "", "set_priority": "high",
		"conditions": map[string]any{"channels": []string{"telegram"}, "languages": []string{}, "categories": []string{},
			"keywords": []string{"还款"}, "segments": []string{},
			"hours": map[string]any{"timezone": "Mars/Olympus", "days": []int{1, 2}, "hours": "09:00-18:00", "outside": true}}}
	var bad struct {
		Error struct{ Message string } `json:"error"`
	}
	if resp := h.call("PUT", "/api/v1/routing/rules/"+rules.Rules[0].ID, h.admin, edit, &bad); resp.StatusCode != http.StatusBadRequest || bad.Error.Message == "" {
		t.Fatalf("bad time zone: %d %q", resp.StatusCode, bad.Error.Message)
	}
	edit["conditions"].(map[string]any)["hours"].(map[string]any)["timezone"] = "Asia/Shanghai"
	if resp := h.call("PUT", "/api/v1/routing/rules/"+rules.Rules[0].ID, h.admin, edit, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("edit rule: %d", resp.StatusCode)
	}
	_, body = h.page(admin, "/admin/routing")
	wantContains(t, body, "夜间 &lt;i&gt;", "已停用", "工作时间外", "Asia/Shanghai")
	wantLacks(t, body, "夜间 <i>", "&lt;b&gt;逾期")
	agent := h.signIn("li@example.com")
	if resp, _ := h.page(agent, "/admin/routing"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("an agent opened the routing page: %d", resp.StatusCode)
	}
}

// TestRoutingFormsOfferTheChannelsThatRun: the routing and SLA forms list
// only the channels this desk runs, and a rule's channels read translated.
func TestRoutingFormsOfferTheChannelsThatRun(t *testing.T) {
	h := newHarnessWith(t, nil, func(o *web.Options) { o.Channels = []string{"api", "webchat"} })
	teamA, err := h.db.TeamByName(context.Background(), "A")
	if err != nil {
		t.Fatal(err)
	}
	if resp := h.call("POST", "/api/v1/routing/rules", h.admin, map[string]any{"name": "chat", "team_id": teamA.ID,
		"conditions": map[string]any{"channels": []string{"webchat"}}}, nil); resp.StatusCode != http.StatusCreated {
		t.Fatalf("create rule: %d", resp.StatusCode)
	}
	admin := h.signIn("admin@example.com")
	_, body := h.page(admin, "/admin/routing", "Cookie", "lang=zh-CN")
	wantContains(t, body, `value="webchat" data-hl="rule-channel"`, `value="api" data-hl="rule-channel"`,
		"渠道: 网页聊天", `href="/api/v1/openapi.json"`)
	wantLacks(t, body, `value="telegram"`, `value="email"`, `value="phone"`, "docs/api.md", "渠道: webchat")
	_, body = h.page(admin, "/admin/sla", "Cookie", "lang=en")
	wantContains(t, body, `<option value="webchat">`)
	wantLacks(t, body, `<option value="telegram">`, `<option value="phone">`)
}
