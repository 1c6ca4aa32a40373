package botadmin_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"huiliu/bot"
	"huiliu/channels"
	"huiliu/desk"
	"huiliu/desk/botadmin"
	"huiliu/store"
	"huiliu/store/storetest"
)

// fixture is the bot's administration over a fresh store with an admin,
// a supervisor and an agent. They act as accounts would; none is stored,
// since nothing here logs in (and password hashing is slow).
type fixture struct {
	db                       *store.DB
	svc                      *desk.Service
	bot                      *botadmin.Service
	admin, supervisor, agent desk.Agent
	now                      time.Time
}

func newFixture(t *testing.T, engine botadmin.Tryer) *fixture {
	t.Helper()
	f := &fixture{db: storetest.New(t), now: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return f.now }
	f.svc = desk.NewService(desk.Options{Store: f.db, Now: clock})
	f.bot = botadmin.New(botadmin.Options{Store: f.db, Desk: f.svc, Engine: engine, Now: clock})
	mk := func(email string, role desk.Role) desk.Agent {
		return desk.Agent{ID: desk.NewID(), Email: email, Name: email, Role: role, Active: true}
	}
	f.admin, f.supervisor, f.agent = mk("admin@example.com", desk.RoleAdmin), mk("sup@example.com", desk.RoleSupervisor), mk("li@example.com", desk.RoleAgent)
	return f
}

func codeIs(t *testing.T, err error, want desk.Code, what string) {
	t.Helper()
	if desk.CodeOf(err) != want {
		t.Fatalf("%s: %v, want %s", what, err, want)
	}
}

// Admin-only writes are refused inside the service to agents and
// supervisors; analytics are for supervisors and admins.
func TestAccessRules(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	place := botadmin.Settings{Channel: "webchat", SiteKey: "s_1"}
	for _, a := range []desk.Agent{f.agent, f.supervisor} {
		_, err := f.bot.SaveSettings(ctx, a, place)
		codeIs(t, err, desk.CodeForbidden, a.Email+" saves settings")
		_, err = f.bot.ListSettings(ctx, a)
		codeIs(t, err, desk.CodeForbidden, a.Email+" lists settings")
		_, err = f.bot.SaveFlows(ctx, a, string(bot.DefaultFlowsTOML()), 0, "")
		codeIs(t, err, desk.CodeForbidden, a.Email+" saves flows")
		_, err = f.bot.RestoreFlows(ctx, a, 0, 0)
		codeIs(t, err, desk.CodeForbidden, a.Email+" restores flows")
		_, err = f.bot.CurrentFlows(ctx, a)
		codeIs(t, err, desk.CodeForbidden, a.Email+" reads flows")
		_, err = f.bot.Try(ctx, a, "k", "你好", "zh-CN")
		codeIs(t, err, desk.CodeForbidden, a.Email+" tries the bot")
	}
	p := botadmin.Period{From: f.now.Add(-time.Hour), To: f.now}
	_, err := f.bot.Analytics(ctx, f.agent, p)
	codeIs(t, err, desk.CodeForbidden, "agent reads analytics")
	if _, err := f.bot.Analytics(ctx, f.supervisor, p); err != nil {
		t.Fatalf("supervisor reads analytics: %v", err)
	}
	if _, err := f.bot.SaveSettings(ctx, f.admin, place); err != nil {
		t.Fatalf("admin saves settings: %v", err)
	}
	if latest, _ := f.db.LatestBotFlowVersion(ctx); latest != 0 {
		t.Fatalf("a refused save stored version %d", latest)
	}
}

func TestSettingsValidationAndLookup(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	bad := []botadmin.Settings{
		{Channel: "Web Chat"},
		{Channel: "webchat", SiteKey: "a\nb"},
		{Channel: "webchat", SiteKey: "s", SiteSettings: bot.SiteSettings{Mode: "sometimes"}},
		{Channel: "webchat", SiteKey: "s", SiteSettings: bot.SiteSettings{Greeting: map[string]string{"fr": "bonjour"}}},
		{Channel: "webchat", SiteKey: "s", Hours: map[string]string{"mon": "18:00-09:00"}},
		{Channel: "webchat", SiteKey: "s", Hours: map[string]string{"monday": "09:00-18:00"}},
		{Channel: "webchat", SiteKey: "s", Timezone: "Mars/Olympus"},
		{Channel: "webchat", SiteKey: "s", CalendarID: "nope"},
		// Off-hours mode needs hours.
		{Channel: "webchat", SiteKey: "s", SiteSettings: bot.SiteSettings{Mode: bot.ModeOffHours}},
		{Channel: "webchat", SiteKey: "s", SiteSettings: bot.SiteSettings{Name: strings.Repeat("机", botadmin.MaxNameRunes+1)}},
	}
	for i, in := range bad {
		_, err := f.bot.SaveSettings(ctx, f.admin, in)
		codeIs(t, err, desk.CodeInvalid, "bad settings "+string(rune('0'+i)))
	}
	if list, _ := f.bot.ListSettings(ctx, f.admin); len(list) != 0 {
		t.Fatalf("refused settings were stored: %+v", list)
	}
	if _, err := f.bot.BotSettings(ctx, "webchat", "s_1"); !errors.Is(err, desk.ErrNotFound) {
		t.Fatalf("nothing stored: %v", err)
	}
	// A channel-wide row answers for a site without its own.
	whole := botadmin.Settings{Channel: "webchat"}
	whole.Enabled, whole.Name, whole.Greeting = true, "小汇", map[string]string{"zh-CN": " 您好 ", "en": ""}
	saved, err := f.bot.SaveSettings(ctx, f.admin, whole)
	if err != nil || saved.Mode != bot.ModeAlways || saved.Timezone != botadmin.DefaultTimezone || len(saved.Greeting) != 1 ||
		saved.Greeting["zh-CN"] != "您好" || saved.UpdatedBy != f.admin.ID {
		t.Fatalf("saved %+v %v", saved, err)
	}
	got, err := f.bot.BotSettings(ctx, "webchat", "s_1")
	if err != nil || !got.Enabled || got.Name != "小汇" || got.Mode != bot.ModeAlways {
		t.Fatalf("site falls back to the channel: %+v %v", got, err)
	}
	// The site's own row wins; off-hours mode is resolved on its hours
	// (Monday 09:00-18:00 Shanghai; the clock is Monday 18:00 there).
	site := botadmin.Settings{Channel: "webchat", SiteKey: "s_1", Hours: map[string]string{"mon": "09:00-18:00"}}
	site.Enabled, site.Mode = true, bot.ModeOffHours
	if _, err := f.bot.SaveSettings(ctx, f.admin, site); err != nil {
		t.Fatal(err)
	}
	if got, err = f.bot.BotSettings(ctx, "webchat", "s_1"); err != nil || !got.Enabled || got.Mode != bot.ModeAlways {
		t.Fatalf("outside hours the bot answers: %+v %v", got, err)
	}
	f.now = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC) // Monday 10:00 in Shanghai
	if got, err = f.bot.BotSettings(ctx, "webchat", "s_1"); err != nil || got.Enabled {
		t.Fatalf("within hours the bot stays off: %+v %v", got, err)
	}
	// A team calendar wins over the weekly hours: 24x7 is always open.
	cal, err := f.svc.PutSLACalendar(ctx, desk.Actor{}, desk.SLACalendar{Name: "24x7", Timezone: "UTC", AlwaysOpen: true})
	if err != nil {
		t.Fatal(err)
	}
	site.CalendarID, site.Hours = cal.ID, nil
	if _, err := f.bot.SaveSettings(ctx, f.admin, site); err != nil {
		t.Fatal(err)
	}
	f.now = time.Date(2026, 3, 1, 20, 0, 0, 0, time.UTC) // a Sunday night
	if open, err := f.bot.OpenAt(ctx, "webchat", "s_1", f.now); err != nil || !open {
		t.Fatalf("always-open calendar: %v %v", open, err)
	}
	if got, _ = f.bot.BotSettings(ctx, "webchat", "s_1"); got.Enabled {
		t.Fatalf("a 24x7 calendar leaves no off hours: %+v", got)
	}
}

func TestFlowsVersionsAndRestore(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	cur, err := f.bot.CurrentFlows(ctx, f.admin)
	if err != nil || cur.Version != 0 || cur.Source != string(bot.DefaultFlowsTOML()) {
		t.Fatalf("built-in flows: %d %v", cur.Version, err)
	}
	// A syntax error names its line; nothing is stored.
	_, err = f.bot.SaveFlows(ctx, f.admin, "[[flow]]\nid = \"x\"\naction = \n", 0, "")
	codeIs(t, err, desk.CodeInvalid, "broken TOML")
	if !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("the error does not name the line: %v", err)
	}
	// A document that parses but breaks the engine's rules lists them.
	_, err = f.bot.SaveFlows(ctx, f.admin, "[[flow]]\nid = \"Bad Id\"\naction = \"dance\"\n", 0, "")
	codeIs(t, err, desk.CodeInvalid, "invalid flows")
	if !strings.Contains(err.Error(), "Bad Id") || !strings.Contains(err.Error(), "dance") {
		t.Fatalf("problems not listed: %v", err)
	}
	if v, _ := f.db.LatestBotFlowVersion(ctx); v != 0 {
		t.Fatalf("an invalid document was stored as version %d", v)
	}

	edited := strings.Replace(string(bot.DefaultFlowsTOML()), "\n", "\n# edited by the test\n", 1)
	v1, err := f.bot.SaveFlows(ctx, f.admin, edited, 0, "comment")
	if err != nil || v1.Version != 1 || v1.AuthorID != f.admin.ID || !v1.CreatedAt.Equal(f.now) {
		t.Fatalf("save: %+v %v", v1, err)
	}
	// Another admin still on version 0 does not overwrite it unseen.
	_, err = f.bot.SaveFlows(ctx, f.admin, string(bot.DefaultFlowsTOML()), 0, "")
	codeIs(t, err, desk.CodeConflict, "save over a stale version")
	if fl, err := f.bot.BotFlows(ctx); err != nil || len(fl.List) != len(bot.DefaultFlows().List) {
		t.Fatalf("engine's flows: %v", err)
	}

	v2, err := f.bot.RestoreFlows(ctx, f.admin, 0, 1)
	if err != nil || v2.Version != 2 || v2.RestoredFrom != 0 || v2.Source != string(bot.DefaultFlowsTOML()) {
		t.Fatalf("restore: %+v %v", v2, err)
	}
	list, err := f.bot.FlowVersions(ctx, f.admin)
	if err != nil || len(list) != 3 || list[0].Version != 2 || list[1].Version != 1 || list[1].Note != "comment" || list[2].Version != 0 {
		t.Fatalf("versions: %+v %v", list, err)
	}
	old, err := f.bot.FlowVersion(ctx, f.admin, 1)
	if err != nil || old.Source != edited {
		t.Fatalf("view version 1: %v", err)
	}
	_, err = f.bot.FlowVersion(ctx, f.admin, 7)
	codeIs(t, err, desk.CodeNotFound, "absent version")
	_, err = f.bot.RestoreFlows(ctx, f.admin, 7, 2)
	codeIs(t, err, desk.CodeNotFound, "restore an absent version")
	d := botadmin.Diff(old.Source, v2.Source)
	removed := 0
	for _, l := range d {
		if l.Op == "-" {
			removed++
			if l.Text != "# edited by the test" {
				t.Fatalf("diff removed %q", l.Text)
			}
		} else if l.Op == "+" {
			t.Fatalf("diff added %q", l.Text)
		}
	}
	if removed != 1 {
		t.Fatalf("diff: %d lines removed, want 1", removed)
	}
}

// tryEngine is the engine as the console sees it: it echoes the key it
// was given so the test sees the per-admin namespace.
type tryEngine struct{ keys []string }

func (e *tryEngine) Try(_ context.Context, key, text, lang string) (bot.Reply, []bot.Decision, error) {
	e.keys = append(e.keys, key)
	return bot.Reply{Text: "答：" + text}, []bot.Decision{{Kind: bot.KindGreet, Lang: lang}}, nil
}

func TestTryKeepsAdminsConversationsApart(t *testing.T) {
	e := &tryEngine{}
	f := newFixture(t, e)
	ctx := context.Background()
	turn, err := f.bot.Try(ctx, f.admin, " k1 ", "押金多久退", "zh-TW")
	if err != nil || turn.Reply.Text != "答：押金多久退" || len(turn.Decisions) != 1 || turn.Decisions[0].Lang != "zh-TW" {
		t.Fatalf("turn %+v %v", turn, err)
	}
	if e.keys[0] != "try:"+f.admin.ID+":k1" {
		t.Fatalf("key %q", e.keys[0])
	}
	for _, c := range []struct{ key, text, lang string }{{"", "x", "en"}, {"k", "", "en"}, {"k", "x", "fr"}, {strings.Repeat("k", 65), "x", "en"}} {
		_, err := f.bot.Try(ctx, f.admin, c.key, c.text, c.lang)
		codeIs(t, err, desk.CodeInvalid, "bad try "+c.key+"/"+c.text+"/"+c.lang)
	}
	noEngine := botadmin.New(botadmin.Options{Store: f.db, Desk: f.svc})
	_, err = noEngine.Try(ctx, f.admin, "k", "x", "en")
	codeIs(t, err, desk.CodeUnavailable, "try without an engine")
}

// ingest stores a customer's message and returns its ticket.
func ingest(t *testing.T, svc *desk.Service, who, text string) string {
	t.Helper()
	r, err := svc.Ingest(context.Background(), channels.Inbound{Channel: "api", ExternalID: who + ":" + text, ThreadKey: who,
		From: channels.Party{Kind: "customer_no", Value: who}, Text: text})
	if err != nil {
		t.Fatal(err)
	}
	return r.TicketID
}

func TestTicketPanelMasksAndHides(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	id := ingest(t, f.svc, "C1", "我要延期还款")
	at := f.now
	if err := f.db.InsertBotDecisions(ctx, []bot.Decision{
		{ID: desk.NewID(), TicketID: id, Channel: "api", Kind: bot.KindGreet, CreatedAt: at},
		{ID: desk.NewID(), TicketID: id, Channel: "api", Kind: bot.KindHandoff, Text: "我的电话 13812345678",
			Detail:    bot.Detail{Reason: bot.ReasonNegotiation, Flow: "repayment_plan", Fields: map[string]string{"phone": "13812345678", "months": "3"}},
			CreatedAt: at.Add(time.Minute)},
	}); err != nil {
		t.Fatal(err)
	}
	p, err := f.bot.TicketPanel(ctx, f.agent, id)
	if err != nil || len(p.Decisions) != 2 || p.Decisions[1].Detail.Reason != bot.ReasonNegotiation {
		t.Fatalf("panel %+v %v", p, err)
	}
	if strings.Contains(p.Decisions[1].Text, "13812345678") || strings.Contains(p.Decisions[1].Detail.Fields["phone"], "13812345678") {
		t.Fatalf("personal data unmasked: %+v", p.Decisions[1])
	}
	if len(p.Fields) != 2 || p.Fields[0].Name != "months" || p.Fields[0].Value != "3" || p.Fields[1].Flow != "repayment_plan" ||
		strings.Contains(p.Fields[1].Value, "13812345678") {
		t.Fatalf("fields %+v", p.Fields)
	}
	// Moved to team B, the ticket is another team's: the panel answers as
	// for a ticket that does not exist.
	b, err := f.svc.CreateTeam(ctx, desk.Actor{}, "B")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ChangeTicket(ctx, f.admin, id, desk.TicketChange{TeamID: &b.ID}); err != nil {
		t.Fatal(err)
	}
	_, err = f.bot.TicketPanel(ctx, f.agent, id)
	codeIs(t, err, desk.CodeNotFound, "another team's ticket")
	_, absent := f.bot.TicketPanel(ctx, f.agent, desk.NewID())
	if err.Error() == "" || desk.CodeOf(absent) != desk.CodeNotFound {
		t.Fatalf("absent ticket: %v", absent)
	}
}
