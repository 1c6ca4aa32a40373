package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"huiliu/desk"
	"huiliu/desk/web"
	"huiliu/queue/memory"
	"huiliu/store/storetest"
)

type wsFrame struct {
	Type     string      `json:"type"`
	Seq      *int64      `json:"seq"`
	Pos      string      `json:"pos"`
	Event    *desk.Event `json:"event"`
	TicketID string      `json:"ticket_id"`
	Who      string      `json:"who"`
	AgentID  string      `json:"agent_id"`
	Name     string      `json:"name"`
}

// sessionCookie signs email in through the login page and returns the
// Cookie header a browser would send.
func (h *harness) sessionCookie(email string) string {
	h.t.Helper()
	c := h.signIn(email)
	u, _ := url.Parse(h.srv.URL)
	var parts []string
	for _, k := range c.Jar.Cookies(u) {
		parts = append(parts, k.Name+"="+k.Value)
	}
	return strings.Join(parts, "; ")
}

// dialWS opens the agent socket; origin "" sends no Origin header.
func (h *harness) dialWS(cookie, origin, query string) (*websocket.Conn, *http.Response, error) {
	hdr := http.Header{}
	if cookie != "" {
		hdr.Set("Cookie", cookie)
	}
	if origin != "" {
		hdr.Set("Origin", origin)
	}
	u := "ws" + strings.TrimPrefix(h.srv.URL, "http") + "/desk/ws" + query
	return websocket.DefaultDialer.Dial(u, hdr)
}

func (h *harness) mustDialWS(cookie, query string) *websocket.Conn {
	h.t.Helper()
	conn, resp, err := h.dialWS(cookie, h.srv.URL, query)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		h.t.Fatalf("dial %s: %v (status %d)", query, err, status)
	}
	h.t.Cleanup(func() { conn.Close() })
	return conn
}

// readFrames reads n frames (typing and pong included). The deadline only
// keeps a broken server from hanging the test.
func readFrames(t *testing.T, conn *websocket.Conn, n int) []wsFrame {
	t.Helper()
	var out []wsFrame
	for len(out) < n {
		_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
		var f wsFrame
		if err := conn.ReadJSON(&f); err != nil {
			t.Fatalf("after %d frames %v: %v", len(out), describe(out), err)
		}
		out = append(out, f)
	}
	return out
}

func describe(fs []wsFrame) []string {
	var out []string
	for _, f := range fs {
		s := f.Type
		if f.Seq != nil {
			s += " " + itoa(int(*f.Seq))
		}
		if f.Event != nil {
			s += " " + f.Event.Type
		}
		out = append(out, s)
	}
	return out
}

func TestAgentSocketRefusesCrossOriginUpgrades(t *testing.T) {
	h := newHarness(t)
	cookie := h.sessionCookie("li@example.com")
	for name, origin := range map[string]string{
		"foreign origin": "https://evil.example",
		"look-alike":     "http://127.0.0.1.evil.example",
		"missing origin": "",
	} {
		conn, resp, err := h.dialWS(cookie, origin, "")
		if err == nil {
			conn.Close()
			t.Errorf("%s: upgrade accepted", name)
			continue
		}
		if resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %v, want 403", name, resp)
		}
	}
	// No cookie: 401, not an upgrade.
	if _, resp, err := h.dialWS("", h.srv.URL, ""); err == nil || resp == nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("anonymous upgrade: %v %v", err, resp)
	}
	if _, resp, err := h.dialWS(cookie, h.srv.URL, "?after=x"); err == nil || resp == nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad after: %v %v", err, resp)
	}
}

func TestAgentSocketStreamsAndResumes(t *testing.T) {
	h := newHarness(t)
	cookie := h.sessionCookie("li@example.com")
	h.inbound("m1", "c1", "first")  // 1 ticket.created
	h.inbound("m2", "c1", "second") // 2 message.created
	h.inbound("m3", "c1", "third")  // 3 message.created

	conn := h.mustDialWS(cookie, "?after="+h.pos(0))
	got := describe(readFrames(t, conn, 3))
	want := []string{"event 1 ticket.created", "event 2 message.created", "event 3 message.created"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("frames %v, want %v", got, want)
	}
	conn.Close()

	// A page that saw 1 gets exactly 2 and 3, then the live 4.
	conn = h.mustDialWS(cookie, "?after="+h.pos(1))
	got = describe(readFrames(t, conn, 2))
	h.inbound("m4", "c1", "fourth")
	got = append(got, describe(readFrames(t, conn, 1))...)
	want = []string{"event 2 message.created", "event 3 message.created", "event 4 message.created"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("resumed frames %v, want %v", got, want)
	}
}

func TestAgentSocketSkipsInvisibleTicketsAndResets(t *testing.T) {
	h := newHarness(t)
	cookie := h.sessionCookie("li@example.com")
	other := h.inbound("m1", "c1", "team B business") // 1, unrouted: visible
	h.moveToTeam(other.ID, "B")                       // 2 ticket.updated, team B
	h.inbound("m2", "c2", "hello")                    // 3, unrouted
	h.inbound("m3", "c1", "more B business")          // 4, team B

	conn := h.mustDialWS(cookie, "?after="+h.pos(0))
	fs := readFrames(t, conn, 4)
	got := describe(fs)
	want := []string{"event 1 ticket.created", "skip 2", "event 3 ticket.created", "skip 4"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("frames %v, want %v", got, want)
	}
	raw, _ := json.Marshal(fs[1])
	if strings.Contains(string(raw), other.ID) {
		t.Fatalf("a skip frame leaks the ticket: %s", raw)
	}
	conn.Close()

	// Resume points the server cannot prove it holds — newer than anything
	// it has, a plain sequence from before epochs, another epoch (the server
	// restarted or Redis lost the stream) — get a reset at the newest
	// position.
	for _, after := range []string{h.pos(1000), "2", "0123456789abcdef:2"} {
		conn = h.mustDialWS(cookie, "?after="+after)
		fs := readFrames(t, conn, 1)
		if got := describe(fs); strings.Join(got, ",") != "reset 4" || fs[0].Pos != h.pos(4) {
			t.Fatalf("after %s: frames %v at %q, want [reset 4] at %s", after, got, fs[0].Pos, h.pos(4))
		}
		conn.Close()
	}
	// A supervisor sees the team B events.
	h.createAgent("sup@example.com", "Sup", desk.RoleSupervisor)
	conn = h.mustDialWS(h.sessionCookie("sup@example.com"), "?after="+h.pos(1))
	got = describe(readFrames(t, conn, 3))
	want = []string{"event 2 ticket.updated", "event 3 ticket.created", "event 4 message.created"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("supervisor frames %v, want %v", got, want)
	}
}

func TestAgentSocketForwardsTypingOfWatchedTickets(t *testing.T) {
	h := newHarness(t)
	tk := h.inbound("m1", "c1", "hello")
	li := h.mustDialWS(h.sessionCookie("li@example.com"), "")
	h.createAgent("wang@example.com", "王伟", desk.RoleAgent, "A")
	wang := h.mustDialWS(h.sessionCookie("wang@example.com"), "")
	for _, c := range []*websocket.Conn{li, wang} {
		if err := c.WriteJSON(map[string]string{"type": "watch", "ticket_id": tk.ID}); err != nil {
			t.Fatal(err)
		}
		// A ping answered means the watch before it was handled.
		if err := c.WriteJSON(map[string]string{"type": "ping"}); err != nil {
			t.Fatal(err)
		}
		if f := readFrames(t, c, 1)[0]; f.Type != "pong" {
			t.Fatalf("ping answered with %+v", f)
		}
	}
	ctx := context.Background()
	h.svc.PublishTyping(ctx, desk.Typing{TicketID: "someone-else", Who: desk.TypingCustomer})
	h.svc.PublishTyping(ctx, desk.Typing{TicketID: tk.ID, Who: desk.TypingCustomer})
	f := readFrames(t, li, 1)[0]
	if f.Type != "typing" || f.TicketID != tk.ID || f.Who != "customer" {
		t.Fatalf("li got %+v, want the customer typing on %s", f, tk.ID)
	}
	// li types: wang sees it with her name; li does not get her own back.
	if err := li.WriteJSON(map[string]string{"type": "typing", "ticket_id": tk.ID}); err != nil {
		t.Fatal(err)
	}
	fs := readFrames(t, wang, 2) // the customer's, then li's
	if fs[1].Type != "typing" || fs[1].Who != "agent" || fs[1].AgentID != h.agentA.ID || fs[1].Name != "李娜" {
		t.Fatalf("wang got %+v", fs[1])
	}
	if err := li.WriteJSON(map[string]string{"type": "ping"}); err != nil {
		t.Fatal(err)
	}
	if f := readFrames(t, li, 1)[0]; f.Type != "pong" {
		t.Fatalf("li got her own typing back: %+v", f)
	}
}

func TestAgentSocketIgnoresTypingOnTicketsItMayNotSee(t *testing.T) {
	h := newHarness(t)
	tk := h.inbound("m1", "c1", "hello")
	h.moveToTeam(tk.ID, "B")
	li := h.mustDialWS(h.sessionCookie("li@example.com"), "")
	for _, f := range []map[string]string{{"type": "watch", "ticket_id": tk.ID}, {"type": "typing", "ticket_id": tk.ID}, {"type": "ping"}} {
		if err := li.WriteJSON(f); err != nil {
			t.Fatal(err)
		}
	}
	if f := readFrames(t, li, 1)[0]; f.Type != "pong" {
		t.Fatalf("got %+v", f)
	}
	h.svc.PublishTyping(context.Background(), desk.Typing{TicketID: tk.ID, Who: desk.TypingCustomer})
	h.inbound("m2", "c2", "visible") // a later, visible event proves the typing was dropped
	fs := readFrames(t, li, 1)
	if fs[0].Type != "event" || fs[0].Event.Type != "ticket.created" {
		t.Fatalf("got %v, want only the visible event", describe(fs))
	}
}

func TestAgentSocketEndsOnShutdown(t *testing.T) {
	// The shared harness keeps its *web.Server to itself; this one needs it.
	db := storetest.New(t)
	q := memory.New()
	t.Cleanup(func() { q.Close() })
	svc := desk.NewService(desk.Options{Store: db, Events: q.Bus(), Limiter: q.Limiter()})
	srv := web.New(web.Options{Service: svc, Events: q.Bus()})
	h := &harness{t: t, svc: svc, db: db, srv: httptest.NewServer(srv)}
	t.Cleanup(h.srv.Close)
	h.createAgent("li@example.com", "李娜", desk.RoleAgent)
	conn := h.mustDialWS(h.sessionCookie("li@example.com"), "")
	srv.CloseStreams()
	_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, _, err := conn.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway {
		t.Fatalf("read after shutdown: %v, want close 1001", err)
	}
}

// TestAgentSocketCoalescesInsteadOfDropping: a page that does not read
// while thousands of events pass is not disconnected; when it reads again
// it gets fewer frames than events, in stream order, ending at the newest
// position, with the newest event of the busy ticket.
func TestAgentSocketCoalescesInsteadOfDropping(t *testing.T) {
	const total = 6000
	// The bus holds every event for the socket's pump, so only the
	// socket's own pressure is tested here (the bus dropping a reader that
	// lags behind it is the resume path, tested elsewhere).
	db := storetest.New(t)
	q := memory.New(memory.WithSubscriberBuffer(total + 16))
	t.Cleanup(func() { q.Close() })
	svc := desk.NewService(desk.Options{Store: db, Events: q.Bus(), Limiter: q.Limiter()})
	srv := web.New(web.Options{Service: svc, Events: q.Bus()})
	h := &harness{t: t, svc: svc, db: db, bus: q.Bus(), srv: httptest.NewServer(srv)}
	t.Cleanup(h.srv.Close)
	t.Cleanup(srv.CloseStreams)
	h.createAgent("li@example.com", "李娜", desk.RoleAgent)
	conn := h.mustDialWS(h.sessionCookie("li@example.com"), "?after="+h.pos(0))
	pad := strings.Repeat("x", 8000) // 48 MB in all: more than loopback socket buffers hold, whatever their autotuning
	ctx := context.Background()
	for i := 1; i <= total; i++ {
		ev := `{"seq":0,"type":"message.created","ticket_id":"T` + itoa(i%3) + `","data":{"n":` + itoa(i) + `,"pad":"` + pad + `"}}`
		if _, err := h.bus.Publish(ctx, desk.StreamDesk, []byte(ev)); err != nil {
			t.Fatal(err)
		}
	}
	var frames int
	var last wsFrame
	for last.Seq == nil || *last.Seq != total {
		_ = conn.SetReadDeadline(time.Now().Add(20 * time.Second))
		var f wsFrame
		if err := conn.ReadJSON(&f); err != nil {
			t.Fatalf("after %d frames (last %s): %v", frames, describe([]wsFrame{last}), err)
		}
		if f.Type != "event" || last.Seq != nil && *f.Seq <= *last.Seq {
			t.Fatalf("frame %s after %s", describe([]wsFrame{f}), describe([]wsFrame{last}))
		}
		frames++
		last = f
	}
	if frames >= total {
		t.Fatalf("%d frames for %d events: nothing was coalesced", frames, total)
	}
	if last.Pos != h.pos(total) {
		t.Fatalf("last position %q, want %q", last.Pos, h.pos(total))
	}
}
