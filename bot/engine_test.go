package bot_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"huiliu/bot"
	"huiliu/channels"
	"huiliu/desk"
)

func webchat(visitor, id, text string) channels.Inbound {
	return channels.Inbound{Channel: "webchat", ExternalID: id, ThreadKey: "site-1",
		From: channels.Party{Kind: desk.IdentityWebchat, Value: visitor}, Text: text}
}

// waitFor polls until cond holds (the bot works in the background).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// The production path: a customer's webchat message is answered by the
// bot in the background, as a bot, with its decision in the table; after a
// hand-off the bot says nothing more.
func TestObserverAnswersWebchatThenStaysSilentAfterHandOff(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go r.eng.Run(ctx)
	ingest := func(id, text string) channels.Receipt {
		rc, err := r.svc.Ingest(ctx, webchat("v1", id, text))
		if err != nil {
			t.Fatal(err)
		}
		tk, err := r.svc.BotTicket(ctx, rc.TicketID)
		if err != nil {
			t.Fatal(err)
		}
		m := desk.Message{ID: rc.MessageID, TicketID: tk.ID, Direction: desk.DirIn, Text: text, Channel: "webchat"}
		// The service's observers are wired by cmd/huiliu; here the test
		// plays that commit's notification.
		if err := r.eng.AfterCommit(ctx, desk.Change{Kind: desk.ChangeIngested, Ticket: tk, Message: &m}); err != nil {
			t.Fatal(err)
		}
		return rc
	}
	rc := ingest("m1", "有哪些还款方式")
	decisions := func() []bot.Decision {
		ds, err := r.db.BotDecisions(ctx, bot.DecisionFilter{TicketID: rc.TicketID})
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	waitFor(t, "the answer", func() bool { return len(decisions()) == 1 })
	d := decisions()[0]
	if d.Kind != bot.KindAnswer || d.Detail.ArticleID != "repay-methods" || d.MessageID != rc.MessageID || d.Channel != "webchat" || d.Lang != "zh-CN" {
		t.Fatalf("decision %+v", d)
	}
	tl, err := r.svc.CustomerTimeline(ctx, rc.TicketID, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	last := tl[len(tl)-1]
	if !strings.Contains(last.Text, "/help/a/repay-methods") {
		t.Fatalf("customer sees %+v", last)
	}
	raw, _ := json.Marshal(last)
	if !strings.Contains(string(raw), "bot") {
		t.Fatalf("the reply is not shown as the bot's: %s", raw)
	}
	ingest("m2", "转人工")
	waitFor(t, "the hand-off", func() bool { return len(decisions()) == 2 })
	if d := decisions()[1]; d.Kind != bot.KindHandoff || d.Detail.Reason != bot.ReasonHumanRequest {
		t.Fatalf("decision %+v", d)
	}
	tk, _ := r.svc.BotTicket(ctx, rc.TicketID)
	if tk.Status != desk.StatusOpen {
		t.Fatalf("status %s after hand-off", tk.Status)
	}
	// Now a person has it: the observer ignores the ticket.
	rc3, err := r.svc.Ingest(ctx, webchat("v1", "m3", "还在吗"))
	if err != nil {
		t.Fatal(err)
	}
	tk, _ = r.svc.BotTicket(ctx, rc3.TicketID)
	m := desk.Message{ID: rc3.MessageID, TicketID: tk.ID, Direction: desk.DirIn, Text: "还在吗"}
	if err := r.eng.AfterCommit(ctx, desk.Change{Kind: desk.ChangeIngested, Ticket: tk, Message: &m}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond)
	if n := len(decisions()); n != 2 {
		t.Fatalf("%d decisions after the hand-off; the bot spoke", n)
	}
}

// A message is answered once even when two nodes hear it.
func TestTurnRunsOncePerMessage(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	other := newEngineOn(t, r)
	ctx := context.Background()
	rc, err := r.svc.Ingest(ctx, webchat("v2", "x1", "怎么开发票"))
	if err != nil {
		t.Fatal(err)
	}
	tk, _ := r.svc.BotTicket(ctx, rc.TicketID)
	m := desk.Message{ID: rc.MessageID, TicketID: tk.ID, Direction: desk.DirIn, Text: "怎么开发票"}
	for _, e := range []*bot.Engine{r.eng, other, r.eng} {
		if err := e.AfterCommit(ctx, desk.Change{Kind: desk.ChangeIngested, Ticket: tk, Message: &m}); err != nil {
			t.Fatal(err)
		}
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go r.eng.Run(rctx)
	go other.Run(rctx)
	waitFor(t, "the answer", func() bool {
		ds, _ := r.db.BotDecisions(ctx, bot.DecisionFilter{TicketID: tk.ID})
		return len(ds) > 0
	})
	time.Sleep(200 * time.Millisecond)
	ds, _ := r.db.BotDecisions(ctx, bot.DecisionFilter{TicketID: tk.ID})
	tl, _ := r.svc.CustomerTimeline(ctx, tk.ID, 0, 50)
	if len(ds) != 1 || len(tl) != 2 {
		t.Fatalf("%d decisions, %d messages: the turn ran more than once", len(ds), len(tl))
	}
}

func newEngineOn(t *testing.T, r *rig) *bot.Engine {
	t.Helper()
	e, err := bot.New(bot.Options{Desk: r.svc, KB: r.kb, State: r.db, Now: r.clock.Now,
		Default: bot.SiteSettings{Enabled: true}, Channels: []string{"webchat"}})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// A site whose bot is off sends the conversation to the desk unanswered.
type offSettings struct{}

func (offSettings) BotSettings(context.Context, string, string) (bot.SiteSettings, error) {
	return bot.SiteSettings{Enabled: false}, nil
}

func TestSiteWithBotOffGoesStraightToTheDesk(t *testing.T) {
	t.Parallel()
	r := newRig(t, func(o *bot.Options) { o.Settings = offSettings{} })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go r.eng.Run(ctx)
	rc, err := r.svc.Ingest(ctx, webchat("v3", "o1", "你好"))
	if err != nil {
		t.Fatal(err)
	}
	tk, _ := r.svc.BotTicket(ctx, rc.TicketID)
	m := desk.Message{ID: rc.MessageID, TicketID: tk.ID, Direction: desk.DirIn, Text: "你好"}
	if err := r.eng.AfterCommit(ctx, desk.Change{Kind: desk.ChangeIngested, Ticket: tk, Message: &m}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the hand-off", func() bool { tk, _ := r.svc.BotTicket(ctx, rc.TicketID); return tk.Status == desk.StatusOpen })
	tl, _ := r.svc.CustomerTimeline(ctx, rc.TicketID, 0, 50)
	if len(tl) != 1 {
		t.Fatalf("the bot spoke on a site where it is off: %+v", tl)
	}
}

// Five wrong codes lock the conversation: the right code afterwards does
// not verify, nothing is disclosed, and a person takes over.
func TestLockHoldsAgainstTheRightCode(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	ctx := context.Background()
	r.say(t, "lock", "我是C10023，我还欠多少钱")
	_, ds := r.say(t, "lock", "C10023")
	if got := kinds(ds); len(got) == 0 || got[0] != "verify_pending" {
		t.Fatalf("after the number: %v", got)
	}
	for i := range 5 {
		_, ds := r.say(t, "lock", "00000"+string(rune('1'+i)))
		if got := kinds(ds); len(got) != 1 || got[0] != "verify_failed" || ds[0].Detail.Count != i+1 {
			t.Fatalf("wrong code %d: %v %+v", i+1, got, ds)
		}
	}
	rep, ds := r.say(t, "lock", r.codes.of("13800138001"))
	if got := kinds(ds); len(got) != 2 || got[0] != "verify_locked" || got[1] != "handoff:unknown" || !rep.HandedOff {
		t.Fatalf("right code after the lock: %v %q", got, rep.Text)
	}
	if strings.Contains(rep.Text, "2,999.70") || strings.Contains(rep.Text, "2999.70") {
		t.Fatalf("disclosed after a lock: %q", rep.Text)
	}
	v, err := r.otp.Verification(ctx, rep.TicketID)
	if err != nil || v.Level != 0 {
		t.Fatalf("verified after a lock: %+v %v", v, err)
	}
	rep, ds = r.say(t, "lock", "还在吗")
	if !rep.Silent || len(ds) != 0 {
		t.Fatalf("the bot spoke after the hand-off: %+v %v", rep, ds)
	}
}

// The optional language model rephrases the article, sees no facts and
// decides nothing; when it fails the article is quoted.
func TestLanguageModelOnlyRephrasesArticles(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	var fail atomic.Bool
	var seen atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		calls.Add(1)
		var body struct {
			Messages []struct{ Content string } `json:"messages"`
		}
		json.NewDecoder(req.Body).Decode(&body)
		var all strings.Builder
		for _, m := range body.Messages {
			all.WriteString(m.Content)
		}
		seen.Store(all.String())
		if req.URL.Path != "/v1/chat/completions" || req.Header.Get("Authorization") != "Bearer k" || fail.Load() {
			http.Error(w, "no", http.StatusInternalServerError)
			return
		}
		w.Write([]byte(`{"choices":[{"message":{"role":"assistant","content":"改写：可以在 App 里还款。"}}]}`))
	}))
	defer srv.Close()
	r := newRig(t, func(o *bot.Options) { o.LLM = &bot.LLM{Endpoint: srv.URL + "/v1", Model: "qwen", APIKey: "k"} })
	rep, ds := r.say(t, "llm1", "有哪些还款方式")
	if !strings.Contains(rep.Text, "改写：可以在 App 里还款。") || !strings.Contains(rep.Text, "/help/a/repay-methods") || !slices.Contains(kinds(ds), "answer") {
		t.Fatalf("reply %q %v", rep.Text, kinds(ds))
	}
	if s, _ := seen.Load().(string); !strings.Contains(s, "还款方式") {
		t.Fatalf("the model did not get the article: %q", s)
	}
	// Account facts never reach it: verifying and asking the balance
	// calls the model not once.
	before := calls.Load()
	r.say(t, "llm2", "我还欠多少钱")
	r.say(t, "llm2", "C10023")
	rep, _ = r.say(t, "llm2", r.codes.of("13800138001"))
	if !strings.Contains(rep.Text, "2,999.70") || calls.Load() != before {
		t.Fatalf("balance %q; model calls %d → %d", rep.Text, before, calls.Load())
	}
	// Nor does it decide a hand-off: that is the rules' alone.
	rep, ds = r.say(t, "llm3", "转人工")
	if !slices.Contains(kinds(ds), "handoff:human_request") || calls.Load() != before {
		t.Fatalf("hand-off %v, model calls %d", kinds(ds), calls.Load())
	}
	fail.Store(true)
	rep, _ = r.say(t, "llm4", "有哪些还款方式")
	if strings.Contains(rep.Text, "改写") || !strings.Contains(rep.Text, "/help/a/repay-methods") {
		t.Fatalf("a failed model call should quote the article: %q", rep.Text)
	}
}

// Clarify choices can be answered by number; queue position is told at
// hand-off; decisions carry the flow's fields.
func TestRepaymentPlanFilesTaskWithFollowup(t *testing.T) {
	t.Parallel()
	r := newRig(t, nil)
	ctx := context.Background()
	r.say(t, "plan", "我想申请延期还款")
	r.say(t, "plan", "C10023")
	r.say(t, "plan", r.codes.of("13800138001"))
	r.say(t, "plan", "2")
	r.say(t, "plan", "收入减少")
	rep, ds := r.say(t, "plan", "每期还500")
	if got := kinds(ds); len(got) != 1 || got[0] != "answer" || ds[0].Detail.Flow != "repayment_plan" ||
		ds[0].Detail.Fields["kind"] != "installments" || ds[0].Detail.Fields["proposal"] != "每期还500" {
		t.Fatalf("end of the flow: %+v", ds)
	}
	if !strings.Contains(rep.Text, "2026-12-04 10:00") {
		t.Fatalf("the customer is not told by when: %q", rep.Text)
	}
	tk, _ := r.svc.BotTicket(ctx, rep.TicketID)
	if tk.Status != desk.StatusOpen || tk.Category != "repayment" || !strings.Contains(strings.Join(tk.Tags, ","), "repayment-plan") {
		t.Fatalf("ticket after the flow: %+v", tk)
	}
	fs, err := r.db.Followups(ctx, tk.ID)
	if err != nil || len(fs) != 1 || !fs[0].DueAt.Equal(r.clock.Now().Add(24*time.Hour)) {
		t.Fatalf("follow-up %+v %v", fs, err)
	}
}
