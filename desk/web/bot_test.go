package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"huiliu/bot"
	"huiliu/desk"
	"huiliu/desk/botadmin"
	"huiliu/desk/web"
	"huiliu/store/storetest"
)

// echoEngine answers every console turn with the text it got.
type echoEngine struct{}

func (echoEngine) Try(_ context.Context, key, text, lang string) (bot.Reply, []bot.Decision, error) {
	return bot.Reply{Text: "echo " + text, TicketID: key},
		[]bot.Decision{{ID: "d1", Kind: bot.KindAnswer, Detail: bot.Detail{ArticleID: "deposit-refund"}, Lang: lang, Text: text}}, nil
}

func newBotHarness(t *testing.T) *harness {
	t.Helper()
	db := storetest.New(t)
	return newHarnessWith(t, db, desk.Options{}, func(o *web.Options) {
		o.Bot = botadmin.New(botadmin.Options{Store: db, Desk: o.Service, Engine: echoEngine{}})
	})
}

func TestBotAPI(t *testing.T) {
	h := newBotHarness(t)
	var e apiError
	// Settings: admins only.
	place := map[string]any{"channel": "webchat", "site_key": "s_1", "enabled": true, "mode": "off_hours",
		"name": "小汇", "greeting": map[string]string{"zh-CN": "您好"}, "hours": map[string]string{"mon": "09:00-18:00"}}
	if r := h.call("PUT", "/api/v1/bot/settings", h.agent, place, &e); r.StatusCode != http.StatusForbidden {
		t.Fatalf("agent saves settings: %d", r.StatusCode)
	}
	var saved botadmin.Settings
	if r := h.call("PUT", "/api/v1/bot/settings", h.admin, place, &saved); r.StatusCode != http.StatusOK || saved.Timezone != "Asia/Shanghai" || saved.Name != "小汇" {
		t.Fatalf("admin saves settings: %d %+v", r.StatusCode, saved)
	}
	if r := h.call("PUT", "/api/v1/bot/settings", h.admin, map[string]any{"channel": "webchat", "mode": "never"}, &e); r.StatusCode != http.StatusBadRequest || !strings.Contains(e.Error.Message, "mode") {
		t.Fatalf("bad mode: %d %+v", r.StatusCode, e)
	}
	var list struct{ Settings []botadmin.Settings }
	if r := h.call("GET", "/api/v1/bot/settings", h.admin, nil, &list); r.StatusCode != http.StatusOK || len(list.Settings) != 1 || list.Settings[0].Hours["mon"] != "09:00-18:00" {
		t.Fatalf("list: %d %+v", r.StatusCode, list)
	}

	// Flows: a syntax error is refused with its line, nothing stored.
	e = apiError{}
	if r := h.call("PUT", "/api/v1/bot/flows", h.admin, map[string]any{"source": "[[flow]]\nid = \n", "base_version": 0}, &e); r.StatusCode != http.StatusBadRequest || !strings.Contains(e.Error.Message, "line 2") {
		t.Fatalf("bad TOML: %d %+v", r.StatusCode, e)
	}
	var cur botadmin.FlowVersion
	if r := h.call("GET", "/api/v1/bot/flows", h.admin, nil, &cur); r.StatusCode != http.StatusOK || cur.Version != 0 || cur.Source == "" {
		t.Fatalf("current: %d %+v", r.StatusCode, cur.Version)
	}
	var v1 botadmin.FlowVersion
	src := cur.Source + "\n# tuned\n"
	if r := h.call("PUT", "/api/v1/bot/flows", h.admin, map[string]any{"source": src, "base_version": 0, "note": "tuned"}, &v1); r.StatusCode != http.StatusCreated || v1.Version != 1 {
		t.Fatalf("save: %d %+v", r.StatusCode, v1)
	}
	if r := h.call("PUT", "/api/v1/bot/flows", h.admin, map[string]any{"source": src, "base_version": 0}, &e); r.StatusCode != http.StatusConflict {
		t.Fatalf("stale save: %d", r.StatusCode)
	}
	var versions struct{ Versions []botadmin.FlowVersion }
	if r := h.call("GET", "/api/v1/bot/flows/versions", h.admin, nil, &versions); r.StatusCode != http.StatusOK || len(versions.Versions) != 2 || versions.Versions[0].Note != "tuned" {
		t.Fatalf("versions: %d %+v", r.StatusCode, versions)
	}
	var v2 botadmin.FlowVersion
	if r := h.call("POST", "/api/v1/bot/flows/restore", h.admin, map[string]any{"version": 0, "base_version": 1}, &v2); r.StatusCode != http.StatusCreated || v2.Version != 2 || v2.RestoredFrom != 0 {
		t.Fatalf("restore: %d %+v", r.StatusCode, v2)
	}
	var old botadmin.FlowVersion
	if r := h.call("GET", "/api/v1/bot/flows?version=1", h.admin, nil, &old); r.StatusCode != http.StatusOK || old.Source != src {
		t.Fatalf("version 1: %d", r.StatusCode)
	}
	if r := h.call("GET", "/api/v1/bot/flows?version=x", h.admin, nil, nil); r.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad version: %d", r.StatusCode)
	}

	// Try: admins only, through the engine, with the decisions.
	if r := h.call("POST", "/api/v1/bot/try", h.agent, map[string]any{"key": "k", "text": "押金"}, nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("agent tries: %d", r.StatusCode)
	}
	var turn botadmin.TryTurn
	if r := h.call("POST", "/api/v1/bot/try", h.admin, map[string]any{"key": "k", "text": "押金", "lang": "zh-TW"}, &turn); r.StatusCode != http.StatusOK ||
		turn.Reply.Text != "echo 押金" || len(turn.Decisions) != 1 || turn.Decisions[0].Detail.ArticleID != "deposit-refund" || !strings.HasSuffix(turn.Reply.TicketID, ":k") {
		t.Fatalf("try: %d %+v", r.StatusCode, turn)
	}
	if r := h.call("POST", "/api/v1/bot/try", h.admin, map[string]any{"key": "k", "text": "x", "extra": 1}, nil); r.StatusCode != http.StatusBadRequest {
		t.Fatalf("unknown field: %d", r.StatusCode)
	}
}

func TestBotAnalyticsAPIAndExport(t *testing.T) {
	h := newBotHarness(t)
	ctx := context.Background()
	tk := h.inbound("e1", "c1", "问题")
	now := time.Now()
	if err := h.db.InsertBotDecisions(ctx, []bot.Decision{
		{ID: desk.NewID(), TicketID: tk.ID, Channel: "api", Kind: bot.KindHandoff, Detail: bot.Detail{Reason: bot.ReasonUnknown}, Lang: "zh-CN", Text: "=HYPERLINK(\"http://x\")", CreatedAt: now},
	}); err != nil {
		t.Fatal(err)
	}
	if r := h.call("GET", "/api/v1/bot/analytics", h.agent, nil, nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("agent reads analytics: %d", r.StatusCode)
	}
	var rep botadmin.Report
	if r := h.call("GET", "/api/v1/bot/analytics?channel=api", h.admin, nil, &rep); r.StatusCode != http.StatusOK || rep.Total.Tickets != 1 || rep.Total.HandedOff != 1 || len(rep.Unanswered) != 1 {
		t.Fatalf("analytics: %d %+v", r.StatusCode, rep)
	}
	if r := h.call("GET", "/api/v1/bot/analytics?from=2026-13-01", h.admin, nil, nil); r.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad date: %d", r.StatusCode)
	}
	sup := h.createAgent("wang@example.com", "王主管", desk.RoleSupervisor)
	c := h.signIn(sup.Email)
	resp, body := h.page(c, "/supervisor/bot")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-hl="bot-unanswered-row"`) || !strings.Contains(body, `data-hl="bot-create-article"`) {
		t.Fatalf("analytics page: %d", resp.StatusCode)
	}
	resp, body = h.page(c, "/supervisor/bot/export.csv?table=unanswered")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.HasPrefix(body, "\ufeffquestion,count") || !strings.Contains(body, `"'=HYPERLINK(""http://x"")"`) {
		t.Fatalf("unanswered export: %d %q", resp.StatusCode, body)
	}
	resp, body = h.page(c, "/supervisor/bot/export.csv")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, ",api,1,0,1,0,1") {
		t.Fatalf("rows export: %d %q", resp.StatusCode, body)
	}
	// "Create article" opens the editor with the question as the title.
	resp, body = h.page(c, "/kb/articles/new?locale=zh-TW&title=%E6%8A%BC%E9%87%91%E6%80%8E%E9%BA%BC%E9%80%80")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `value="押金怎麼退"`) {
		t.Fatalf("new article from a question: %d", resp.StatusCode)
	}
	// The admin pages are not a supervisor's.
	if resp, _ := h.page(c, "/admin/bot/flows"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("supervisor opens the flows: %d", resp.StatusCode)
	}
}

func TestBotPages(t *testing.T) {
	h := newBotHarness(t)
	ctx := context.Background()
	c := h.signIn("admin@example.com")
	for path, marker := range map[string]string{
		"/admin/bot": `data-hl="bot-settings-form"`,
		"/admin/bot?channel=telegram&site_key=hlbot": `data-site-key="hlbot"`,
		"/admin/bot/flows":                           `data-hl="bot-flows-source"`,
		"/admin/bot/try":                             `data-hl="bot-try-form"`,
		"/supervisor/bot":                            `data-hl="bot-containment-rate"`,
	} {
		resp, body := h.page(c, path)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, marker) {
			t.Errorf("%s: %d, marker %s missing", path, resp.StatusCode, marker)
		}
	}
	// A version beside the one in force shows what changed.
	if r := h.call("PUT", "/api/v1/bot/flows", h.admin, map[string]any{"source": string(bot.DefaultFlowsTOML()) + "# extra line\n", "base_version": 0}, nil); r.StatusCode != http.StatusCreated {
		t.Fatalf("save: %d", r.StatusCode)
	}
	resp, body := h.page(c, "/admin/bot/flows?v=0")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `<span class="diff-add">&#43; # extra line</span>`) {
		t.Fatalf("diff: %d", resp.StatusCode)
	}
	agent := h.signIn("li@example.com")
	for _, path := range []string{"/admin/bot", "/admin/bot/try", "/supervisor/bot"} {
		if resp, _ := h.page(agent, path); resp.StatusCode != http.StatusForbidden {
			t.Errorf("agent opens %s: %d", path, resp.StatusCode)
		}
	}

	// The ticket page shows the bot's part once the bot decided something.
	tk := h.inbound("e1", "c1", "我要投诉")
	h.moveToTeam(tk.ID, "A")
	resp, body = h.page(agent, "/tickets/"+tk.ID)
	if resp.StatusCode != http.StatusOK || strings.Contains(body, `data-hl="bot-panel"`) {
		t.Fatalf("a ticket without the bot shows a bot panel: %d", resp.StatusCode)
	}
	if err := h.db.InsertBotDecisions(ctx, []bot.Decision{{ID: desk.NewID(), TicketID: tk.ID, Channel: "api", Kind: bot.KindHandoff,
		Detail: bot.Detail{Reason: bot.ReasonComplaint, Flow: "complaint", Fields: map[string]string{"category": "催收", "want": "道歉"}}, Text: "我要投诉", CreatedAt: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	resp, body = h.page(agent, "/tickets/"+tk.ID)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-hl="bot-panel"`) || !strings.Contains(body, "道歉") ||
		!strings.Contains(body, "complaint · want") {
		t.Fatalf("bot panel: %d", resp.StatusCode)
	}
	var p botadmin.Panel
	if r := h.call("GET", "/api/v1/tickets/"+tk.ID+"/bot", h.agent, nil, &p); r.StatusCode != http.StatusOK || len(p.Fields) != 2 {
		t.Fatalf("panel API: %d %+v", r.StatusCode, p)
	}
}
