package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// chatTestFrame is any frame of the customer or the agent socket, with the
// fields these tests look at.
type chatTestFrame struct {
	Type        string `json:"type"`
	Visitor     string `json:"visitor"`
	TicketID    string `json:"ticket_id"`
	ClientMsgID string `json:"client_msg_id"`
	Seq         int64  `json:"seq"`
	AgentName   string `json:"agent_name"`
	Code        string `json:"code"`
	Message     struct {
		ID          string `json:"id"`
		Seq         int64  `json:"seq"`
		From        string `json:"from"`
		Text        string `json:"text"`
		AgentName   string `json:"agent_name"`
		EmployeeNo  string `json:"employee_no"`
		ClientMsgID string `json:"client_msg_id"`
	} `json:"message"`
	Event struct {
		Type     string `json:"type"`
		TicketID string `json:"ticket_id"`
		Data     struct {
			Message struct {
				ID   string `json:"id"`
				Text string `json:"text"`
			} `json:"message"`
		} `json:"data"`
	} `json:"event"`
	raw string
}

// chatTestSocket reads a websocket's frames on its own goroutine so a test
// can wait for the one it needs.
type chatTestSocket struct {
	t      *testing.T
	ws     *websocket.Conn
	frames chan chatTestFrame
}

func chatTestDial(t *testing.T, url string, header http.Header) *chatTestSocket {
	t.Helper()
	ws, resp, err := websocket.DefaultDialer.Dial(url, header)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("dial %s: %v (status %d)", url, err, status)
	}
	s := &chatTestSocket{t: t, ws: ws, frames: make(chan chatTestFrame, 256)}
	go func() {
		defer close(s.frames)
		for {
			_, raw, err := ws.ReadMessage()
			if err != nil {
				return
			}
			f := chatTestFrame{raw: string(raw)}
			if err := json.Unmarshal(raw, &f); err != nil {
				t.Errorf("undecodable frame %s: %v", raw, err)
				return
			}
			s.frames <- f
		}
	}()
	t.Cleanup(func() { ws.Close() })
	return s
}

func (s *chatTestSocket) send(v any) {
	s.t.Helper()
	if err := s.ws.WriteJSON(v); err != nil {
		s.t.Fatalf("write %v: %v", v, err)
	}
}

// next returns the next frame for which match holds, and the frames it
// passed over on the way. The wait bound only keeps a broken desk from
// hanging the test; nothing is asserted about how fast frames come.
func (s *chatTestSocket) next(what string, match func(chatTestFrame) bool) (chatTestFrame, []chatTestFrame) {
	s.t.Helper()
	var passed []chatTestFrame
	timeout := time.After(30 * time.Second)
	for {
		select {
		case f, ok := <-s.frames:
			if !ok {
				s.t.Fatalf("socket closed while waiting for %s; passed over %v", what, rawFrames(passed))
			}
			if match(f) {
				return f, passed
			}
			passed = append(passed, f)
		case <-timeout:
			s.t.Fatalf("no %s; passed over %v", what, rawFrames(passed))
		}
	}
}

func rawFrames(fs []chatTestFrame) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.raw
	}
	return out
}

// wsURL turns a node's http:// URL into its ws:// URL for path.
func wsURL(base, path string) string { return "ws" + strings.TrimPrefix(base, "http") + path }

// chatTestLogin logs an agent in as a browser does and returns the session
// cookie and CSRF token.
func chatTestLogin(t *testing.T, base, email, password string) (cookie, csrf string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	resp, err := http.Post(base+"/api/v1/sessions", "application/json", strings.NewReader(string(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out struct {
		CSRFToken string `json:"csrf_token"`
	}
	if resp.StatusCode != http.StatusCreated || json.Unmarshal(raw, &out) != nil {
		t.Fatalf("login %s: %d %s", email, resp.StatusCode, raw)
	}
	for _, c := range resp.Cookies() {
		if c.Name == "huiliu_session" {
			cookie = c.Value
		}
	}
	if cookie == "" || out.CSRFToken == "" {
		t.Fatalf("login %s: no cookie or CSRF token: %s", email, raw)
	}
	return cookie, out.CSRFToken
}

// chatTestReply posts an agent's reply with the browser session.
func chatTestReply(t *testing.T, base, cookie, csrf, ticket, text string) {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"kind": "reply", "text": text})
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/tickets/"+ticket+"/messages", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Cookie", "huiliu_session="+cookie)
	req.Header.Set("X-CSRF-Token", csrf)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if raw, _ := io.ReadAll(resp.Body); resp.StatusCode != http.StatusCreated {
		t.Fatalf("reply on %s: %d %s", ticket, resp.StatusCode, raw)
	}
}

// TestChatAcrossTwoNodes: a customer on node 1 and an agent on node 2 talk
// live; the customer then comes back on node 2 and gets exactly what it
// missed.
func TestChatAcrossTwoNodes(t *testing.T) {
	env := sharedBackends(t)
	token := adminToken(t, env, "ops@example.com")
	node1 := node(t, env)
	node2 := node(t, env)

	const shop = "http://shop.example"
	var site struct {
		Key string `json:"key"`
	}
	if st := apiCall(t, node1, token, "POST", "/api/v1/sites", `{"name":"分期商城","origins":["`+shop+`"]}`, &site); st != http.StatusCreated || site.Key == "" {
		t.Fatalf("create site: %d %+v", st, site)
	}
	var agent struct {
		Name       string `json:"name"`
		EmployeeNo string `json:"employee_no"`
	}
	const password = "long enough password"
	if st := apiCall(t, node2, token, "POST", "/api/v1/agents",
		`{"email":"mei@example.com","name":"李梅","role":"agent","password":"`+password+`","teams":["贷后客服"]}`, &agent); st != http.StatusCreated || agent.EmployeeNo == "" {
		t.Fatalf("create agent: %d %+v", st, agent)
	}
	cookie, csrf := chatTestLogin(t, node2, "mei@example.com", password)

	// Same node, cross-site: a foreign page's upgrade carries the cookie
	// too, and must be refused before it becomes a socket.
	_, resp, err := websocket.DefaultDialer.Dial(wsURL(node2, "/desk/ws"), http.Header{"Origin": {"http://evil.example"}, "Cookie": {"huiliu_session=" + cookie}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		t.Fatalf("agent socket from a foreign origin: err %v, status %d; want 403", err, status)
	}

	desk := chatTestDial(t, wsURL(node2, "/desk/ws"), http.Header{"Origin": {node2}, "Cookie": {"huiliu_session=" + cookie}})
	customer := chatTestDial(t, wsURL(node1, "/webchat/ws?site="+site.Key), http.Header{"Origin": {shop}})
	customer.send(map[string]string{"type": "hello", "lang": "zh-CN"})
	welcome, _ := customer.next("welcome", func(f chatTestFrame) bool { return f.Type == "welcome" })
	if welcome.Visitor == "" || welcome.TicketID != "" {
		t.Fatalf("welcome of a new visitor: %s", welcome.raw)
	}

	// The customer's message reaches the agent on the other node.
	const question = "你好，我想提前还清剩下的三期，需要什么手续？"
	customer.send(map[string]string{"type": "message", "client_msg_id": "c-1", "text": question})
	ack, _ := customer.next("ack", func(f chatTestFrame) bool { return f.Type == "ack" || f.Type == "error" })
	if ack.Type != "ack" || ack.ClientMsgID != "c-1" || ack.TicketID == "" {
		t.Fatalf("answer to the customer's message: %s", ack.raw)
	}
	ticket := ack.TicketID
	ev, _ := desk.next("the customer's message on node 2", func(f chatTestFrame) bool {
		return f.Type == "event" && f.Event.Data.Message.Text == question
	})
	if ev.Event.TicketID != ticket || ev.Event.Type != "ticket.created" {
		t.Fatalf("agent saw %s, want ticket.created on %s", ev.raw, ticket)
	}

	// The agent types on node 2; the customer on node 1 sees it. Typing is
	// fleeting by design (a full queue drops it), so it is offered again
	// until it shows, with the desk's throttle of one per second.
	desk.send(map[string]string{"type": "watch", "ticket_id": ticket})
	typed := false
	for try := 0; try < 10 && !typed; try++ {
		desk.send(map[string]string{"type": "typing", "ticket_id": ticket})
		select {
		case f, ok := <-customer.frames:
			if !ok {
				t.Fatal("customer socket closed")
			}
			if f.Type == "typing" {
				if f.AgentName != agent.Name {
					t.Fatalf("typing frame %s, want agent_name %s", f.raw, agent.Name)
				}
				typed = true
			}
		case <-time.After(1100 * time.Millisecond):
		}
	}
	if !typed {
		t.Fatal("the agent's typing on node 2 never reached the customer on node 1")
	}

	// The agent's reply (posted on node 2) reaches node 1 live, signed with
	// the agent's name and employee number.
	const answer = "您好，我是李梅。提前还款可在 App「我的账单」中申请，当天到账即可结清。"
	chatTestReply(t, node2, cookie, csrf, ticket, answer)
	got, _ := customer.next("the agent's reply", func(f chatTestFrame) bool { return f.Type == "message" && f.Message.From == "agent" })
	if got.Message.Text != answer || got.Message.AgentName != agent.Name || got.Message.EmployeeNo != agent.EmployeeNo {
		t.Fatalf("customer got %s, want %q by %s (%s)", got.raw, answer, agent.Name, agent.EmployeeNo)
	}
	last := got.Message.Seq

	// The customer leaves; two replies are written meanwhile; it comes
	// back on node 2 with its resume point and gets exactly those two.
	customer.ws.Close()
	missed := []string{"请问您方便提供一下合同编号吗？", "已为您登记，结清证明将在三个工作日内发送。"}
	for _, text := range missed {
		chatTestReply(t, node2, cookie, csrf, ticket, text)
	}
	back := chatTestDial(t, wsURL(node2, "/webchat/ws?site="+site.Key), http.Header{"Origin": {shop}})
	back.send(map[string]any{"type": "hello", "visitor": welcome.Visitor, "ticket_id": ticket, "after": last})
	again, _ := back.next("welcome on node 2", func(f chatTestFrame) bool { return f.Type == "welcome" })
	if again.TicketID != ticket {
		t.Fatalf("welcome back: %s, want ticket %s", again.raw, ticket)
	}
	// A fresh message marks the end: everything the desk had for this
	// connection comes before its echo, so the frames up to it are all of
	// them.
	back.send(map[string]string{"type": "message", "client_msg_id": "c-2", "text": "好的，谢谢！"})
	_, passed := back.next("the customer's new message coming back", func(f chatTestFrame) bool {
		return f.Type == "message" && f.Message.ClientMsgID == "c-2"
	})
	var texts []string
	seen := map[string]bool{}
	for _, f := range passed {
		if f.Type != "message" {
			continue
		}
		if seen[f.Message.ID] {
			t.Fatalf("message %s delivered twice after the resume: %v", f.Message.ID, rawFrames(passed))
		}
		seen[f.Message.ID] = true
		texts = append(texts, f.Message.Text)
	}
	if strings.Join(texts, "|") != strings.Join(missed, "|") {
		t.Fatalf("after resuming at seq %d the customer got %q, want exactly %q", last, texts, missed)
	}
}
