package webchat

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"huiliu/channels"
	"huiliu/queue/memory"
)

const (
	testSiteKey = "shop"
	testOrigin  = "https://shop.example.com"
)

var testSecret = []byte("0123456789abcdef-site-secret")

// clock is a settable Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Unix(1_800_000_000, 0)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fakeSites map[string]Site

func (f fakeSites) SiteByKey(_ context.Context, key string) (Site, error) {
	s, ok := f[key]
	if !ok {
		return Site{}, fmt.Errorf("site %q: %w", key, ErrUnknownSite)
	}
	return s, nil
}

// entry is one timeline row of the fake desk; hidden rows are notes and
// system entries: they take a seq but History does not show them.
type entry struct {
	Message
	hidden bool
}

type fakeTicket struct {
	id, site, visitor string
	closed            bool
	entries           []entry
}

// fakeDesk is the Sink and the History over one in-memory record. It
// never notifies: tests decide which notices arrive and which are lost.
type fakeDesk struct {
	mu       sync.Mutex
	tickets  map[string]*fakeTicket
	order    []string
	byExt    map[string]channels.Receipt
	inbounds []channels.Inbound
	fail     error // Ingest fails with it when set

	gate    chan struct{} // when set, Ingest waits for a value
	entered chan string   // when set, Ingest reports each ExternalID as it starts

	reads map[string]int // History.Messages calls per ticket
}

func newFakeDesk() *fakeDesk {
	return &fakeDesk{tickets: map[string]*fakeTicket{}, byExt: map[string]channels.Receipt{}}
}

func (d *fakeDesk) Ingest(ctx context.Context, in channels.Inbound) (channels.Receipt, error) {
	d.mu.Lock()
	gate, entered := d.gate, d.entered
	d.mu.Unlock()
	if entered != nil {
		entered <- in.ExternalID
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return channels.Receipt{}, ctx.Err()
		}
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.fail != nil {
		return channels.Receipt{}, d.fail
	}
	if rc, ok := d.byExt[in.ExternalID]; ok {
		rc.Duplicate = true
		return rc, nil
	}
	d.inbounds = append(d.inbounds, in)
	t := d.activeLocked(in.ThreadKey, in.From.Value)
	if t == nil {
		t = &fakeTicket{id: fmt.Sprintf("t%d", len(d.tickets)+1), site: in.ThreadKey, visitor: in.From.Value}
		d.tickets[t.id] = t
		d.order = append(d.order, t.id)
	}
	_, cmid, _ := strings.Cut(in.ExternalID, ":")
	m := d.appendLocked(t, Message{From: "customer", Text: in.Text, ClientMsgID: cmid, At: in.ReceivedAt}, false)
	rc := channels.Receipt{TicketID: t.id, MessageID: m.ID, Seq: m.Seq}
	d.byExt[in.ExternalID] = rc
	return rc, nil
}

func (d *fakeDesk) appendLocked(t *fakeTicket, m Message, hidden bool) Message {
	m.TicketID = t.id
	m.Seq = int64(len(t.entries) + 1)
	m.ID = fmt.Sprintf("%s-m%d", t.id, m.Seq)
	t.entries = append(t.entries, entry{Message: m, hidden: hidden})
	return m
}

func (d *fakeDesk) activeLocked(site, visitor string) *fakeTicket {
	for _, id := range d.order {
		t := d.tickets[id]
		if t.site == site && t.visitor == visitor && !t.closed {
			return t
		}
	}
	return nil
}

// reply commits an agent's message on ticket.
func (d *fakeDesk) reply(ticket, text string) Message {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.appendLocked(d.tickets[ticket], Message{From: "agent", Text: text, AgentName: "张三", EmployeeNo: "HL1234"}, false)
}

// note commits an internal note: it takes a seq the customer never sees.
func (d *fakeDesk) note(ticket string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.appendLocked(d.tickets[ticket], Message{From: "agent", Text: "internal"}, true)
}

func (d *fakeDesk) closeTicket(ticket string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.tickets[ticket].closed = true
}

func (d *fakeDesk) setGate(gate chan struct{}, entered chan string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.gate, d.entered = gate, entered
}

// readsOf says how often History.Messages read ticket.
func (d *fakeDesk) readsOf(ticket string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.reads[ticket]
}

func (d *fakeDesk) stored() []channels.Inbound {
	d.mu.Lock()
	defer d.mu.Unlock()
	return append([]channels.Inbound(nil), d.inbounds...)
}

func (d *fakeDesk) ActiveTicket(_ context.Context, siteKey, visitorID string) (string, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if t := d.activeLocked(siteKey, visitorID); t != nil {
		return t.id, nil
	}
	return "", nil
}

func (d *fakeDesk) Messages(_ context.Context, ticketID string, after int64, limit int) ([]Message, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.reads == nil {
		d.reads = map[string]int{}
	}
	d.reads[ticketID]++
	t := d.tickets[ticketID]
	if t == nil {
		return nil, nil
	}
	var out []Message
	for _, e := range t.entries {
		if e.Seq > after && !e.hidden && len(out) < limit {
			out = append(out, e.Message)
		}
	}
	return out, nil
}

// fakeFeed hands out one channel per subscription.
type fakeFeed struct {
	mu     sync.Mutex
	cur    chan Notice
	subs   int
	subbed chan int // receives the subscription count on each subscription
	typing chan string
}

func newFakeFeed() *fakeFeed {
	return &fakeFeed{subbed: make(chan int, 16), typing: make(chan string, 64)}
}

func (f *fakeFeed) Notices(ctx context.Context) (<-chan Notice, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cur = make(chan Notice, 64)
	f.subs++
	f.subbed <- f.subs
	return f.cur, nil
}

func (f *fakeFeed) CustomerTyping(_ context.Context, ticketID string) error {
	f.typing <- ticketID
	return nil
}

func (f *fakeFeed) notify(n Notice) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cur <- n
}

// lose closes the current subscription, as a dropped Redis connection would.
func (f *fakeFeed) lose() {
	f.mu.Lock()
	defer f.mu.Unlock()
	close(f.cur)
	f.cur = make(chan Notice, 64) // notices until the next subscription go nowhere
}

// logBuffer collects log output for assertions.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

type env struct {
	srv   *Server
	ts    *httptest.Server
	desk  *fakeDesk
	feed  *fakeFeed
	clock *clock
	logs  *logBuffer
	sites fakeSites
}

// newEnv starts a Server over fakes behind a real HTTP server, with Run
// subscribed to the feed.
func newEnv(t testing.TB, tweak func(*Options)) *env {
	t.Helper()
	e := &env{desk: newFakeDesk(), feed: newFakeFeed(), clock: newClock(), logs: &logBuffer{}}
	e.sites = fakeSites{testSiteKey: {
		ID: "s1", Key: testSiteKey, Name: "示例商城", Secret: testSecret,
		Origins: []string{testOrigin}, Greeting: "您好，有什么可以帮您？", HoursNote: "9:00–18:00",
	}}
	// The queue layer's in-process limiter on the test's clock, as the
	// wiring passes it.
	q := memory.New(memory.WithClock(e.clock.Now))
	t.Cleanup(func() { q.Close() })
	o := Options{
		Sites: e.sites, Sink: e.desk, History: e.desk, Feed: e.feed, Now: e.clock.Now, LocalLimiter: q.Limiter(),
		Logger: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if tweak != nil {
		tweak(&o)
	}
	e.srv = New(o)
	e.srv.feedRetryBase = time.Millisecond
	e.srv.pullRetry = 10 * time.Millisecond
	e.ts = httptest.NewServer(e.srv.Handler())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = e.srv.Run(ctx, e.desk)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		e.srv.Close()
		e.ts.Close()
	})
	if o.Feed != nil {
		<-e.feed.subbed
	}
	return e
}

func (e *env) wsURL(site string) string {
	return "ws" + strings.TrimPrefix(e.ts.URL, "http") + "/webchat/ws?site=" + site
}

// client is a test widget.
type client struct {
	ws *websocket.Conn
}

func (e *env) dial(t testing.TB) *client {
	t.Helper()
	c, resp, err := e.dialOrigin(testSiteKey, testOrigin)
	if err != nil {
		t.Fatalf("dial: %v (response %v)", err, resp)
	}
	return c
}

func (e *env) dialOrigin(site, origin string) (*client, *http.Response, error) {
	h := http.Header{}
	if origin != "" {
		h.Set("Origin", origin)
	}
	ws, resp, err := websocket.DefaultDialer.Dial(e.wsURL(site), h)
	if err != nil {
		return nil, resp, err
	}
	return &client{ws: ws}, resp, nil
}

func (c *client) send(t testing.TB, v any) {
	t.Helper()
	var b []byte
	switch v := v.(type) {
	case string:
		b = []byte(v)
	default:
		var err error
		if b, err = json.Marshal(v); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.ws.WriteMessage(websocket.TextMessage, b); err != nil {
		t.Fatalf("write: %v", err)
	}
}

func (c *client) message(t testing.TB, cmid, text string) {
	t.Helper()
	c.send(t, map[string]any{"type": "message", "client_msg_id": cmid, "text": text})
}

// frame is any server frame, decoded loosely.
type frame struct {
	Type         string   `json:"type"`
	Visitor      string   `json:"visitor"`
	VisitorID    string   `json:"visitor_id"`
	TicketID     string   `json:"ticket_id"`
	Identity     string   `json:"identity"`
	Site         siteInfo `json:"site"`
	Code         string   `json:"code"`
	ClientMsgID  string   `json:"client_msg_id"`
	ID           string   `json:"id"`
	Seq          int64    `json:"seq"`
	Duplicate    bool     `json:"duplicate"`
	Linked       bool     `json:"linked"`
	RetryAfter   int      `json:"retry_after"`
	RetryAfterMs int64    `json:"retry_after_ms"`
	AgentName    string   `json:"agent_name"`
	State        string   `json:"state"` // verify frames
	Masked       string   `json:"masked"`
	ResendAfter  int      `json:"resend_after"`
	Status       string   `json:"status"` // state frames
	Queue        int      `json:"queue"`
	Open         bool     `json:"open"`
	Done         bool     `json:"done"`  // callback frames
	Error        string   `json:"error"` // callback frames
	Msg          Message  `json:"-"`
	Text         string   `json:"-"` // an error frame's message
}

// readFrame fails the test if nothing comes within a generous safety
// deadline; it is a hang guard, not a timing assertion.
func (c *client) next(t testing.TB) frame {
	t.Helper()
	_ = c.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
	mt, b, err := c.ws.ReadMessage()
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	if mt != websocket.TextMessage {
		t.Fatalf("frame type %d", mt)
	}
	var f frame
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	var raw struct {
		Message json.RawMessage `json:"message"`
	}
	_ = json.Unmarshal(b, &raw)
	if f.Type == frameMessage {
		if err := json.Unmarshal(raw.Message, &f.Msg); err != nil {
			t.Fatalf("decode message %s: %v", b, err)
		}
	} else if len(raw.Message) > 0 {
		_ = json.Unmarshal(raw.Message, &f.Text)
	}
	return f
}

// until reads frames up to and including one of type typ.
func (c *client) until(t testing.TB, typ string) (seen []frame, last frame) {
	t.Helper()
	for {
		f := c.next(t)
		if f.Type == typ {
			return seen, f
		}
		seen = append(seen, f)
	}
}

// closeCode reads until the connection closes and returns the close code.
func (c *client) closeCode(t testing.TB) int {
	t.Helper()
	for {
		_ = c.ws.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, _, err := c.ws.ReadMessage()
		if err == nil {
			continue
		}
		if ce, ok := err.(*websocket.CloseError); ok {
			return ce.Code
		}
		t.Fatalf("connection ended without a close frame: %v", err)
	}
}

type helloArgs struct {
	Visitor  string         `json:"visitor,omitempty"`
	TicketID string         `json:"ticket_id,omitempty"`
	After    int64          `json:"after,omitempty"`
	Identity *identityClaim `json:"identity,omitempty"`
}

// hello sends hello and returns the welcome and the messages delivered
// until the first synced frame.
func (c *client) hello(t testing.TB, h helloArgs) (frame, []Message) {
	t.Helper()
	c.send(t, struct {
		Type string `json:"type"`
		helloArgs
	}{"hello", h})
	w := c.next(t)
	if w.Type != frameWelcome {
		t.Fatalf("first frame %+v, want welcome", w)
	}
	return w, c.sync(t)
}

// sync returns the messages delivered up to the next synced frame.
func (c *client) sync(t testing.TB) []Message {
	t.Helper()
	seen, _ := c.until(t, frameSynced)
	var msgs []Message
	for _, f := range seen {
		if f.Type == frameMessage {
			msgs = append(msgs, f.Msg)
		}
	}
	return msgs
}

// collect returns the messages delivered until one with text arrives.
func (c *client) collect(t testing.TB, text string) []Message {
	t.Helper()
	var msgs []Message
	for {
		f := c.next(t)
		if f.Type != frameMessage {
			continue
		}
		msgs = append(msgs, f.Msg)
		if f.Msg.Text == text {
			return msgs
		}
	}
}

func (c *client) close() { _ = c.ws.Close() }

func texts(msgs []Message) string {
	var parts []string
	for _, m := range msgs {
		parts = append(parts, fmt.Sprintf("%d:%s", m.Seq, m.Text))
	}
	return strings.Join(parts, " ")
}

// eventually polls cond until it holds; a hang guard, not a timing test.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
