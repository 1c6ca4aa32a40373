package web_test

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
)

func TestReplyIsIdempotentAndMakesTheOwner(t *testing.T) {
	h := newHarness(t)
	tk := h.inbound("m1", "cust", "我想申请延期还款")
	var m1, m2 desk.Message
	r1 := h.call("POST", "/api/v1/tickets/"+tk.ID+"/messages", h.agent, map[string]string{"text": "您好，我来帮您处理"}, &m1, "Idempotency-Key", "k-1")
	r2 := h.call("POST", "/api/v1/tickets/"+tk.ID+"/messages", h.agent, map[string]string{"text": "您好，我来帮您处理"}, &m2, "Idempotency-Key", "k-1")
	if r1.StatusCode != http.StatusCreated || r2.StatusCode != http.StatusOK || m1.ID == "" || m1.ID != m2.ID {
		t.Fatalf("idempotent post: %d %s / %d %s", r1.StatusCode, m1.ID, r2.StatusCode, m2.ID)
	}
	if m1.Direction != desk.DirOut || m1.Delivery != desk.DeliveryPending || m1.AuthorID != h.agentA.ID {
		t.Fatalf("reply = %+v", m1)
	}
	var tr struct{ Ticket desk.Ticket }
	h.call("GET", "/api/v1/tickets/"+tk.ID, h.agent, nil, &tr)
	if tr.Ticket.OwnerID != h.agentA.ID || tr.Ticket.AssigneeID != h.agentA.ID {
		t.Fatalf("after the first reply owner=%q assignee=%q, want %q", tr.Ticket.OwnerID, tr.Ticket.AssigneeID, h.agentA.ID)
	}
	var ms struct{ Messages []desk.Message }
	h.call("GET", "/api/v1/tickets/"+tk.ID+"/messages", h.agent, nil, &ms)
	if len(ms.Messages) != 2 || ms.Messages[0].Direction != desk.DirIn || ms.Messages[1].ID != m1.ID {
		t.Fatalf("timeline = %+v", ms.Messages)
	}
	var e apiError
	if r := h.call("POST", "/api/v1/tickets/"+tk.ID+"/messages", h.agent, map[string]string{"kind": "shout", "text": "x"}, &e); r.StatusCode != 400 {
		t.Fatalf("bad kind: %d %+v", r.StatusCode, e)
	}
	if r := h.call("POST", "/api/v1/tickets/nope/messages", h.agent, map[string]string{"text": "x"}, &e); r.StatusCode != 404 {
		t.Fatalf("unknown ticket: %d", r.StatusCode)
	}
}

func TestInboxFiltersAndPages(t *testing.T) {
	h := newHarness(t)
	var ids []string
	for i := range 7 {
		text := fmt.Sprintf("question %d", i)
		if i == 3 {
			text = "我的还款日是哪天？"
		}
		ids = append(ids, h.inbound(fmt.Sprintf("m%d", i), fmt.Sprintf("c%d", i), text).ID)
	}
	seen := map[string]bool{}
	cursor := ""
	pages := 0
	for {
		var page desk.TicketPage
		r := h.call("GET", "/api/v1/tickets?limit=3&cursor="+cursor, h.admin, nil, &page)
		if r.StatusCode != 200 {
			t.Fatalf("page %d: %d", pages, r.StatusCode)
		}
		for _, tk := range page.Tickets {
			if seen[tk.ID] {
				t.Fatalf("ticket %s on two pages", tk.ID)
			}
			seen[tk.ID] = true
			if tk.Preview == "" {
				t.Fatalf("ticket %s has no preview", tk.ID)
			}
		}
		pages++
		if page.Next == "" {
			break
		}
		cursor = page.Next
	}
	if len(seen) != 7 || pages != 3 {
		t.Fatalf("paged %d tickets over %d pages, want 7 over 3", len(seen), pages)
	}
	var page desk.TicketPage
	h.call("GET", "/api/v1/tickets?q=还款", h.admin, nil, &page)
	if len(page.Tickets) != 1 || page.Tickets[0].ID != ids[3] {
		t.Fatalf("q=还款 found %+v", page.Tickets)
	}
	h.call("GET", "/api/v1/tickets?status=resolved", h.admin, nil, &page)
	if len(page.Tickets) != 0 {
		t.Fatalf("status=resolved found %d", len(page.Tickets))
	}
	h.call("POST", "/api/v1/tickets/"+ids[5]+"/messages", h.agent, map[string]string{"text": "on it"}, nil)
	h.call("GET", "/api/v1/tickets?owner=me", h.agent, nil, &page)
	if len(page.Tickets) != 1 || page.Tickets[0].ID != ids[5] {
		t.Fatalf("owner=me found %+v", page.Tickets)
	}
	var e apiError
	for _, q := range []string{"status=bogus", "limit=0", "limit=999", "cursor=not-a-cursor", "q=a%00b"} {
		if r := h.call("GET", "/api/v1/tickets?"+q, h.admin, nil, &e); r.StatusCode != 400 || e.Error.Code != "invalid" {
			t.Errorf("%s: %d %+v", q, r.StatusCode, e)
		}
	}
}

func TestContactSearchByIdentity(t *testing.T) {
	h := newHarness(t)
	tk := h.inbound("m1", "crm-88", "hi")
	var res struct{ Contacts []desk.Contact }
	h.call("GET", "/api/v1/contacts?kind=api&value=crm-88", h.agent, nil, &res)
	if len(res.Contacts) != 1 || res.Contacts[0].ID != tk.ContactID {
		t.Fatalf("search = %+v", res)
	}
	h.call("GET", "/api/v1/contacts?kind=api&value=nobody", h.agent, nil, &res)
	if len(res.Contacts) != 0 {
		t.Fatalf("search for nobody = %+v", res)
	}
	if r := h.call("GET", "/api/v1/contacts?kind=fax&value=1", h.agent, nil, nil); r.StatusCode != 400 {
		t.Fatalf("bad kind: %d", r.StatusCode)
	}
}

// recorder is a channel adapter for tests: it records what it was asked to
// send, or fails with fail when that is set.
type recorder struct {
	mu   sync.Mutex
	sent []channels.Outbound
	fail error
}

func (r *recorder) Name() string { return "api" }

func (r *recorder) Send(_ context.Context, out channels.Outbound) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return "", r.fail
	}
	r.sent = append(r.sent, out)
	return "ext-" + out.MessageID, nil
}

// startSender runs the outbox sender with adapter until the test ends.
func (h *harness) startSender(adapter channels.Adapter) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.svc.NewSender(h.db, adapter).Run(ctx); close(done) }()
	h.t.Cleanup(func() { cancel(); <-done })
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestOutboxDeliversAndRecordsFailures(t *testing.T) {
	h := newHarness(t)
	rec := &recorder{}
	h.startSender(rec)

	tk := h.inbound("m1", "cust-9", "hello")
	var m desk.Message
	h.call("POST", "/api/v1/tickets/"+tk.ID+"/messages", h.agent, map[string]string{"text": "您好"}, &m)
	waitFor(t, "delivery", func() bool {
		got, err := h.db.Message(context.Background(), m.ID)
		return err == nil && got.Delivery == desk.DeliverySent
	})
	rec.mu.Lock()
	if len(rec.sent) != 1 || rec.sent[0].To.Value != "cust-9" || rec.sent[0].ThreadKey != "t" || rec.sent[0].IdempotencyKey == "" || rec.sent[0].Text != "您好" ||
		rec.sent[0].Subject == "" || rec.sent[0].Subject != tk.Subject {
		t.Fatalf("sent = %+v", rec.sent)
	}
	rec.fail = channels.Permanent(fmt.Errorf("peer says the chat is gone"))
	rec.mu.Unlock()

	h.call("POST", "/api/v1/tickets/"+tk.ID+"/messages", h.agent, map[string]string{"text": "还在吗？"}, &m)
	waitFor(t, "failure", func() bool {
		got, err := h.db.Message(context.Background(), m.ID)
		return err == nil && got.Delivery == desk.DeliveryFailed && strings.Contains(got.DeliveryError, "chat is gone")
	})
	// Notes never reach the channel.
	var note desk.Message
	h.call("POST", "/api/v1/tickets/"+tk.ID+"/messages", h.agent, map[string]string{"kind": "note", "text": "internal"}, &note)
	if note.Direction != desk.DirNote || note.Delivery != desk.DeliveryNone {
		t.Fatalf("note = %+v", note)
	}
}

// sse reads Server-Sent Events until it has n events with data.
func readEvents(t *testing.T, h *harness, lastID string, n int) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", h.srv.URL+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+h.admin)
	if lastID != "" {
		req.Header.Set("Last-Event-ID", lastID)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("content type %q", ct)
	}
	var out []string
	var id, typ string
	sc := bufio.NewScanner(resp.Body)
	for len(out) < n && sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "id: "):
			id = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "event: "):
			typ = strings.TrimPrefix(line, "event: ")
		case line == "" && typ != "":
			out = append(out, id+" "+typ)
			typ = ""
		}
	}
	if len(out) < n {
		t.Fatalf("got %d events %v, want %d (err %v)", len(out), out, n, sc.Err())
	}
	return out
}

func TestEventStreamResumesWithoutGap(t *testing.T) {
	h := newHarness(t)
	h.inbound("m1", "c1", "first")  // ticket.created
	h.inbound("m2", "c1", "second") // message.created
	h.inbound("m3", "c1", "third")  // message.created
	got := readEvents(t, h, h.pos(0), 3)
	want := []string{h.pos(1) + " ticket.created", h.pos(2) + " message.created", h.pos(3) + " message.created"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("events %v, want %v", got, want)
	}
	// A client that saw up to 1 gets exactly 2 and 3, then the live 4.
	posted := make(chan struct{})
	go func() {
		defer close(posted)
		time.Sleep(200 * time.Millisecond)
		h.call("POST", "/api/v1/inbound", h.admin, map[string]any{
			"external_id": "m4", "thread_key": "t", "from": map[string]string{"kind": "api", "value": "c1"}, "text": "fourth",
		}, nil)
	}()
	got = readEvents(t, h, h.pos(1), 3)
	<-posted
	want = []string{h.pos(2) + " message.created", h.pos(3) + " message.created", h.pos(4) + " message.created"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("resumed events %v, want %v", got, want)
	}
}

// TestEventStreamResetsAcrossRestart: a client of a server that restarted
// (a new in-process bus, numbering from 1 again) resumes with a position
// the new run also has a sequence for; only the epoch tells it apart, and
// it must get a reset, never the new run's entries as if nothing was lost.
func TestEventStreamResetsAcrossRestart(t *testing.T) {
	before := newHarness(t)
	for i := range 3 {
		before.inbound("old"+strconv.Itoa(i), "c1", "before the restart")
	}
	old := before.pos(1)
	after := newHarness(t)
	for i := range 4 {
		after.inbound("new"+strconv.Itoa(i), "c1", "after the restart")
	}
	for _, from := range []string{old, "1"} {
		got := readEvents(t, after, from, 1)
		if want := after.pos(4) + " reset"; got[0] != want {
			t.Fatalf("resume from %s: %v, want %s", from, got, want)
		}
	}
	r := after.call("GET", "/api/v1/events?after=abc:xyz", after.admin, nil, nil)
	if r.StatusCode != http.StatusBadRequest {
		t.Fatalf("malformed position: %d, want 400", r.StatusCode)
	}
}

func TestHealthAndReadiness(t *testing.T) {
	h := newHarness(t)
	var ready struct {
		Ready  bool
		Checks map[string]string
	}
	if r := h.call("GET", "/readyz", "", nil, &ready); r.StatusCode != 200 || !ready.Ready || ready.Checks["database"] != "ok" {
		t.Fatalf("readyz: %d %+v", r.StatusCode, ready)
	}
	if r := h.call("GET", "/healthz", "", nil, nil); r.StatusCode != 200 {
		t.Fatalf("healthz: %d", r.StatusCode)
	}
}

func TestVerifyRequestAsksForTheContactButton(t *testing.T) {
	h := newHarness(t)
	rec := &recorder{}
	h.startSender(rec)

	tk := h.inbound("m1", "cust", "我的账单金额是多少？")
	var m desk.Message
	if r := h.call("POST", "/api/v1/tickets/"+tk.ID+"/messages", h.agent, map[string]string{"kind": "verify"}, &m); r.StatusCode != http.StatusCreated {
		t.Fatalf("verify request: %d", r.StatusCode)
	}
	if m.Kind != desk.MessageKindVerifyRequest || !strings.Contains(m.Text, "share your phone number") || !strings.Contains(m.Text, "手机号码") {
		t.Fatalf("verify request message = %+v", m)
	}
	waitFor(t, "delivery", func() bool {
		rec.mu.Lock()
		defer rec.mu.Unlock()
		return len(rec.sent) == 1
	})
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if !rec.sent[0].RequestContact {
		t.Fatalf("outbound = %+v, want RequestContact", rec.sent[0])
	}
}
