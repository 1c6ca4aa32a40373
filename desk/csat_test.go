package desk_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
)

// csatClock is a settable clock shared by a test's services.
type csatClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *csatClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *csatClock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// csatEvents records the desk events of the csat.low_score type.
type csatEvents struct {
	mu  sync.Mutex
	low []desk.CSATEventData
}

func (b *csatEvents) Publish(_ context.Context, _ string, raw []byte) (int64, error) {
	var ev struct {
		Type string          `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(raw, &ev); err != nil {
		return 0, err
	}
	if ev.Type == desk.EventCSATLowScore {
		var d desk.CSATEventData
		if err := json.Unmarshal(ev.Data, &d); err != nil {
			return 0, err
		}
		b.mu.Lock()
		b.low = append(b.low, d)
		b.mu.Unlock()
	}
	return 1, nil
}

type csatFixture struct {
	svc   *desk.Service
	csat  *desk.CSAT
	db    desk.Store
	clock *csatClock
	bus   *csatEvents
	agent desk.Agent
}

var csatKey = []byte("0123456789abcdef0123456789abcdef")

func newCSATFixture(t *testing.T) *csatFixture {
	t.Helper()
	f := &csatFixture{clock: &csatClock{t: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}, bus: &csatEvents{}}
	f.csat = desk.NewCSAT(desk.CSATOptions{Key: csatKey, PublicURL: "https://desk.example.com/"})
	f.svc, f.db = newServiceWith(t, desk.Options{Now: f.clock.now, Events: f.bus, Observers: []desk.Observer{f.csat}})
	f.agent = mkAgent(t, f.svc, "li@example.com", "李娜", desk.RoleAgent, "Support")
	return f
}

// resolvedTicket opens a ticket on channel, answers and resolves it.
func (f *csatFixture) resolvedTicket(t *testing.T, channel, ext string) string {
	t.Helper()
	rc := ingest(t, f.svc, channels.Inbound{Channel: channel, ExternalID: ext, ThreadKey: ext,
		From: channels.Party{Kind: "api", Value: "cust-" + ext}, Text: "我想改还款日"})
	ctx := context.Background()
	if _, _, err := f.svc.Post(ctx, desk.AgentActor(f.agent), desk.PostRequest{TicketID: rc.TicketID, Kind: desk.KindReply, Text: "已为您修改"}); err != nil {
		t.Fatal(err)
	}
	f.resolve(t, rc.TicketID)
	return rc.TicketID
}

func (f *csatFixture) resolve(t *testing.T, id string) {
	t.Helper()
	if _, err := f.svc.ChangeTicket(context.Background(), f.agent, id, desk.TicketChange{Status: ptr(desk.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
}

func (f *csatFixture) surveys(t *testing.T, id string) []desk.Survey {
	t.Helper()
	list, err := f.db.(desk.CSATStore).TicketSurveys(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func (f *csatFixture) token(t *testing.T, sv desk.Survey) string {
	t.Helper()
	tok, url, err := f.csat.SurveyLink(context.Background(), sv.MessageID)
	if err != nil {
		t.Fatal(err)
	}
	if url != "https://desk.example.com/survey/"+tok {
		t.Fatalf("survey url %q", url)
	}
	return tok
}

func TestSurveyOncePerResolution(t *testing.T) {
	f := newCSATFixture(t)
	ctx := context.Background()
	id := f.resolvedTicket(t, "api", "r1")
	list := f.surveys(t, id)
	if len(list) != 1 || list[0].AgentID != f.agent.ID || list[0].Channel != "api" || list[0].AnsweredAt != nil ||
		!list[0].ExpiresAt.Equal(f.clock.now().Add(desk.SurveyValidity)) {
		t.Fatalf("surveys after resolving: %+v", list)
	}
	req, err := f.db.Message(ctx, list[0].MessageID)
	if err != nil || req.Kind != desk.MessageKindSurvey || req.Direction != desk.DirOut || req.Delivery != desk.DeliveryPending ||
		!strings.Contains(req.Text, "1 = ") || strings.Contains(req.Text, "/survey/") {
		t.Fatalf("request message %+v, %v", req, err)
	}
	// A tag on the resolved ticket, a replayed change and a second node
	// (another service over the same database) all find the survey there.
	if _, err := f.svc.ChangeTicket(ctx, f.agent, id, desk.TicketChange{AddTags: []string{"vip"}}); err != nil {
		t.Fatal(err)
	}
	tk, _ := f.db.Ticket(ctx, id)
	if err := f.csat.AfterCommit(ctx, desk.Change{Kind: desk.ChangeChanged, Ticket: tk}); err != nil {
		t.Fatal(err)
	}
	other := desk.NewCSAT(desk.CSATOptions{Key: csatKey})
	desk.NewService(desk.Options{Store: f.db, Observers: []desk.Observer{other}})
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, _, err := other.Request(ctx, id); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := len(f.surveys(t, id)); n != 1 {
		t.Fatalf("%d surveys after replays, want 1", n)
	}
	// Reopened by the customer and resolved again: a new resolution.
	ingest(t, f.svc, channels.Inbound{Channel: "api", ExternalID: "r1b", ThreadKey: "r1",
		From: channels.Party{Kind: "api", Value: "cust-r1"}, Text: "还有一个问题"})
	f.resolve(t, id)
	if list := f.surveys(t, id); len(list) != 2 || list[1].Cycle <= list[0].Cycle {
		t.Fatalf("surveys after the second resolution: %+v", list)
	}
}

func TestSurveyAnsweredOnceAndExpires(t *testing.T) {
	f := newCSATFixture(t)
	ctx := context.Background()
	id := f.resolvedTicket(t, "api", "a1")
	sv := f.surveys(t, id)[0]
	tok := f.token(t, sv)

	for _, bad := range []string{"", "x", sv.ID, sv.ID + ".AAAAAAAAAAAAAAAAAAAAAA", strings.Repeat("a", 500), tok + "x"} {
		if _, err := f.csat.Answer(ctx, bad, 5, ""); desk.CodeOf(err) != desk.CodeNotFound {
			t.Errorf("answer with token %q: %v", bad, err)
		}
	}
	for _, score := range []int{0, 6, -1} {
		if _, err := f.csat.Answer(ctx, tok, score, ""); desk.CodeOf(err) != desk.CodeInvalid {
			t.Errorf("score %d: %v", score, err)
		}
	}
	if _, err := f.csat.Answer(ctx, tok, 4, strings.Repeat("好", desk.MaxSurveyComment)); desk.CodeOf(err) != desk.CodeTooLarge {
		t.Errorf("a long comment: %v", err)
	}
	got, err := f.csat.Answer(ctx, tok, 4, "  很快就解决了  ")
	if err != nil || got.Score != 4 || got.Comment != "很快就解决了" {
		t.Fatalf("answer: %+v, %v", got, err)
	}
	_, err = f.csat.Answer(ctx, tok, 1, "改主意了")
	var de *desk.Error
	if desk.CodeOf(err) != desk.CodeConflict || !errors.As(err, &de) || de.Key != "csat.err_answered" {
		t.Fatalf("second answer: %v", err)
	}
	stored := f.surveys(t, id)[0]
	if stored.Score != 4 || stored.Comment != "很快就解决了" || stored.AnsweredAt == nil {
		t.Fatalf("the second answer changed the survey: %+v", stored)
	}
	// The answer is on the timeline for agents, as a system entry.
	msgs, _ := f.db.Messages(ctx, id, "", 100)
	last := msgs[len(msgs)-1]
	if last.Direction != desk.DirSystem || last.Event == nil || last.Event.Action != "csat_answer" ||
		last.Event.Args["score"] != "4" || last.Event.Args["comment"] != "很快就解决了" {
		t.Fatalf("timeline ends with %+v", last)
	}
	seen, err := f.csat.TicketSurveys(ctx, f.agent, id)
	if err != nil || len(seen) != 1 || seen[0].Score != 4 {
		t.Fatalf("agent's view: %+v, %v", seen, err)
	}

	// Another resolution's survey, answered a second too late.
	ingest(t, f.svc, channels.Inbound{Channel: "api", ExternalID: "a1b", ThreadKey: "a1",
		From: channels.Party{Kind: "api", Value: "cust-a1"}, Text: "再问一下"})
	f.resolve(t, id)
	late := f.surveys(t, id)[1]
	f.clock.add(desk.SurveyValidity)
	_, err = f.csat.Answer(ctx, f.token(t, late), 5, "")
	if desk.CodeOf(err) != desk.CodeConflict || !errors.As(err, &de) || de.Key != "csat.err_expired" {
		t.Fatalf("expired answer: %v", err)
	}
	if f.surveys(t, id)[1].AnsweredAt != nil {
		t.Fatal("an expired survey took the answer")
	}
}

func TestSurveySwitchedOffForATeam(t *testing.T) {
	f := newCSATFixture(t)
	ctx := context.Background()
	team := f.agent.TeamIDs[0]
	admin := desk.Actor{}
	if _, err := f.csat.SaveCSATSettings(ctx, desk.AgentActor(f.agent), desk.CSATSettings{Scope: team}); desk.CodeOf(err) != desk.CodeForbidden {
		t.Fatalf("an agent saved settings: %v", err)
	}
	if _, err := f.csat.SaveCSATSettings(ctx, admin, desk.CSATSettings{Scope: team, Enabled: false}); err != nil {
		t.Fatal(err)
	}
	rc := ingest(t, f.svc, channels.Inbound{Channel: "api", ExternalID: "o1", ThreadKey: "o1",
		From: channels.Party{Kind: "api", Value: "cust-o1"}, Text: "你好"})
	if _, err := f.svc.ChangeTicket(ctx, f.agent, rc.TicketID, desk.TicketChange{TeamID: &team}); err != nil {
		t.Fatal(err)
	}
	f.resolve(t, rc.TicketID)
	if n := len(f.surveys(t, rc.TicketID)); n != 0 {
		t.Fatalf("%d surveys for a team that switched them off", n)
	}
	// Deleting the team's row falls back to the desk's default (on).
	if err := f.csat.DeleteCSATSettings(ctx, admin, team); err != nil {
		t.Fatal(err)
	}
	ingest(t, f.svc, channels.Inbound{Channel: "api", ExternalID: "o2", ThreadKey: "o1",
		From: channels.Party{Kind: "api", Value: "cust-o1"}, Text: "再问"})
	f.resolve(t, rc.TicketID)
	if n := len(f.surveys(t, rc.TicketID)); n != 1 {
		t.Fatalf("%d surveys after the team's settings went", n)
	}
}

func TestLowScoreNotifiesSupervisorsAndFlags(t *testing.T) {
	f := newCSATFixture(t)
	ctx := context.Background()
	sup := mkAgent(t, f.svc, "zhao@example.com", "赵主管", desk.RoleSupervisor, "Support")
	mkAgent(t, f.svc, "qian@example.com", "钱主管", desk.RoleSupervisor, "Collections")
	team := f.agent.TeamIDs[0]
	if _, err := f.csat.SaveCSATSettings(ctx, desk.Actor{}, desk.CSATSettings{Scope: team, Enabled: true, Threshold: 2,
		Notify: true, Reopen: true, Flag: true, Wording: map[string]string{"en": "How did we do?", "zh-CN": " "}}); err != nil {
		t.Fatal(err)
	}
	rc := ingest(t, f.svc, channels.Inbound{Channel: "api", ExternalID: "l1", ThreadKey: "l1",
		From: channels.Party{Kind: "api", Value: "cust-l1"}, Text: "你好"})
	if _, err := f.svc.ChangeTicket(ctx, f.agent, rc.TicketID, desk.TicketChange{TeamID: &team, AssigneeID: &f.agent.ID}); err != nil {
		t.Fatal(err)
	}
	f.resolve(t, rc.TicketID)
	sv := f.surveys(t, rc.TicketID)[0]
	if _, err := f.csat.Answer(ctx, f.token(t, sv), 2, "没解决"); err != nil {
		t.Fatal(err)
	}
	tk, _ := f.db.Ticket(ctx, rc.TicketID)
	if tk.Status != desk.StatusOpen || !strings.Contains(","+strings.Join(tk.Tags, ",")+",", ","+desk.LowScoreTag+",") {
		t.Fatalf("after a low score the ticket is %s with tags %v", tk.Status, tk.Tags)
	}
	if len(f.bus.low) != 1 || f.bus.low[0].Score != 2 || len(f.bus.low[0].Recipients) != 1 || f.bus.low[0].Recipients[0] != sup.ID {
		t.Fatalf("low-score events %+v, want one to %s", f.bus.low, sup.ID)
	}
	// A good score does nothing of the sort.
	f.resolve(t, rc.TicketID)
	list := f.surveys(t, rc.TicketID)
	if len(list) != 2 {
		t.Fatalf("%d surveys", len(list))
	}
	if _, err := f.csat.Answer(ctx, f.token(t, list[1]), 5, ""); err != nil {
		t.Fatal(err)
	}
	if tk, _ := f.db.Ticket(ctx, rc.TicketID); tk.Status != desk.StatusResolved || len(f.bus.low) != 1 {
		t.Fatalf("a good score changed the ticket to %s or notified (%d)", tk.Status, len(f.bus.low))
	}
}

// TestSurveyOutboundCarriesTheLink: the sender gives every channel the
// token and the page, and the text ends with the link.
func TestSurveyOutboundCarriesTheLink(t *testing.T) {
	f := newCSATFixture(t)
	ad := &recordingAdapter{got: make(chan channels.Outbound, 4)}
	runCtx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.svc.NewSender(f.db.(desk.OutboxStore), ad).Run(runCtx); close(done) }()
	t.Cleanup(func() { stop(); <-done })
	id := f.resolvedTicket(t, "api", "s1")
	sv := f.surveys(t, id)[0]
	deadline := time.After(10 * time.Second)
	for {
		select {
		case out := <-ad.got:
			if out.Survey == nil {
				continue // the agent's reply
			}
			tok := f.token(t, sv)
			if out.Survey.Token != tok || out.Survey.URL != "https://desk.example.com/survey/"+tok ||
				!strings.HasSuffix(out.Text, "\n"+out.Survey.URL) || out.MessageID != sv.MessageID {
				t.Fatalf("survey envelope %+v", out)
			}
			return
		case <-deadline:
			t.Fatal("the survey was never sent")
		}
	}
}

// TestRetentionPurgesSurveyComments: once a contact's tickets are purged,
// their survey comments go too; the scores stay for the KPIs.
func TestRetentionPurgesSurveyComments(t *testing.T) {
	f := newCSATFixture(t)
	f.svc = desk.NewService(desk.Options{Store: f.db, Now: f.clock.now, Observers: []desk.Observer{f.csat},
		Purgers: []desk.PersonalDataPurger{f.csat}})
	ctx := context.Background()
	id := f.resolvedTicket(t, "api", "g1")
	sv := f.surveys(t, id)[0]
	if _, err := f.csat.Answer(ctx, f.token(t, sv), 4, "我的手机 13800138000"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.ChangeTicket(ctx, f.agent, id, desk.TicketChange{Status: ptr(desk.StatusClosed)}); err != nil {
		t.Fatal(err)
	}
	f.clock.add(400 * 24 * time.Hour)
	for _, dry := range []bool{true, false} {
		rep, err := f.svc.PurgeClosed(ctx, desk.Actor{}, 365, dry)
		if err != nil || rep.Other != 1 {
			t.Fatalf("purge (dry %v): %+v, %v", dry, rep, err)
		}
		got := f.surveys(t, id)[0]
		if want := map[bool]string{true: "我的手机 13800138000", false: desk.PurgeMarker}[dry]; got.Comment != want || got.Score != 4 {
			t.Fatalf("after the purge (dry %v): %+v", dry, got)
		}
	}
}
