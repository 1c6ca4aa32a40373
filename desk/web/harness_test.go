package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/desk/botadmin"
	"huiliu/desk/web"
	"huiliu/kb"
	"huiliu/queue"
	"huiliu/queue/memory"
	"huiliu/store"
	"huiliu/store/storetest"
)

const testPassword = "correct horse battery"

// harness is a real desk over HTTP: the store (SQLite, or PostgreSQL with
// DATABASE_URL), in-process queues and the web handlers on a loopback port.
type harness struct {
	t     testing.TB
	srv   *httptest.Server
	svc   *desk.Service
	db    *store.DB
	admin string // bearer secrets
	agent string
	// agentA is an agent of team "A".
	agentA desk.Agent
	// now and bus are the service's, for a second node's workers.
	now func() time.Time
	bus queue.Bus
	// kb is the knowledge base behind the desk's article pages.
	kb *kb.Service
	// csat runs the satisfaction surveys.
	csat *desk.CSAT
	// codes receives the one-time codes the desk sends.
	codes *codeSink
}

// pos is seq as a resume point in the desk stream's current epoch.
func (h *harness) pos(seq int64) string {
	h.t.Helper()
	p, err := h.bus.Last(context.Background(), desk.StreamDesk)
	if err != nil {
		h.t.Fatal(err)
	}
	return p.Epoch + ":" + strconv.FormatInt(seq, 10)
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	return newHarnessAt(t, nil)
}

// newHarnessAt is newHarness with the service on the clock now (nil: the
// real one), for SLA states that depend on the instant, and with the given
// after-commit observers (a router).
func newHarnessAt(t testing.TB, now func() time.Time, observers ...desk.Observer) *harness {
	t.Helper()
	return newHarnessWith(t, storetest.New(t), desk.Options{Now: now, Observers: observers})
}

// newHarnessWith is the harness over db with more service options (its
// store, events and limiter are filled in) and the server's options
// changed by configure, if given.
func newHarnessWith(t testing.TB, db *store.DB, o desk.Options, configure ...func(*web.Options)) *harness {
	t.Helper()
	q := memory.New()
	t.Cleanup(func() { q.Close() })
	o.Store, o.Events, o.Limiter = db, q.Bus(), q.Limiter()
	// Satisfaction surveys run as they do in the product (desk/web/csat.go).
	csat := desk.NewCSAT(desk.CSATOptions{Key: []byte(strings.Repeat("c", 32)), PublicURL: "https://desk.example.com"})
	o.Observers = append(slices.Clone(o.Observers), csat)
	svc := desk.NewService(o)
	know, err := kb.Open(context.Background(), kb.Options{Store: db, Bus: q.Bus()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { know.Close() })
	now := o.Now
	h := &harness{t: t, svc: svc, db: db, now: now, bus: q.Bus(), kb: know, csat: csat}
	h.codes = &codeSink{}
	otp, err := desk.NewOTP(svc, desk.OTPOptions{Codes: q.Codes(), Limiter: q.Limiter(), Sender: h.codes, Key: []byte(strings.Repeat("k", 32))})
	if err != nil {
		t.Fatal(err)
	}
	opts := web.Options{Service: svc, Events: q.Bus(), KB: know, OTP: otp, CSAT: csat, Bot: botadmin.New(botadmin.Options{Store: db, Desk: svc}), Ready: []web.Check{{Name: "database", Ping: db.Ping}, {Name: "queue", Ping: q.Ping}}}
	for _, f := range configure {
		f(&opts)
	}
	srv := web.New(opts)
	h.srv = httptest.NewServer(srv)
	t.Cleanup(h.srv.Close)
	t.Cleanup(srv.CloseStreams)

	ctx := context.Background()
	if _, err = svc.CreateAgent(ctx, desk.Actor{}, desk.NewAgent{Email: "admin@example.com", Name: "Admin", Role: desk.RoleAdmin, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	a, err := svc.CreateAgent(ctx, desk.Actor{}, desk.NewAgent{Email: "li@example.com", Name: "李娜", Role: desk.RoleAgent, Password: testPassword, Teams: []string{"A"}})
	if err != nil {
		t.Fatal(err)
	}
	h.agentA = a
	_, h.admin, err = svc.CreateToken(ctx, desk.Actor{}, "admin@example.com", "tests")
	if err != nil {
		t.Fatal(err)
	}
	_, h.agent, err = svc.CreateToken(ctx, desk.Actor{}, "li@example.com", "tests")
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// slaWorker is an SLA worker over the harness's record, as another node's.
func (h *harness) slaWorker() *desk.SLAWorker {
	w := desk.NewSLAWorker(memory.New().Timers("sla"))
	desk.NewService(desk.Options{Store: h.db, Events: h.bus, Now: h.now, Observers: []desk.Observer{w}})
	return w
}

// call sends a request with a bearer secret (empty: none) and decodes the
// JSON answer into out when out is not nil.
func (h *harness) call(method, path, secret string, body any, out any, hdr ...string) *http.Response {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, h.srv.URL+path, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			h.t.Fatalf("%s %s: decode %q: %v", method, path, raw, err)
		}
	}
	return resp
}

type apiError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// inbound posts a customer message through the API channel.
func (h *harness) inbound(extID, from, text string) desk.Ticket {
	h.t.Helper()
	var rc struct {
		TicketID  string `json:"ticket_id"`
		MessageID string `json:"message_id"`
	}
	resp := h.call("POST", "/api/v1/inbound", h.admin, map[string]any{
		"external_id": extID, "thread_key": "t", "from": map[string]string{"kind": "api", "value": from, "name": from}, "text": text,
	}, &rc)
	if resp.StatusCode != http.StatusCreated {
		h.t.Fatalf("inbound %s: status %d", extID, resp.StatusCode)
	}
	t, err := h.db.Ticket(context.Background(), rc.TicketID)
	if err != nil {
		h.t.Fatal(err)
	}
	return t
}

func (h *harness) countTickets() int {
	h.t.Helper()
	page, err := h.db.Tickets(context.Background(), desk.TicketFilter{Limit: desk.MaxPageSize})
	if err != nil {
		h.t.Fatal(err)
	}
	return len(page.Tickets)
}
