package web_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"huiliu/desk"
)

func TestInboundCreatesThenReplays(t *testing.T) {
	h := newHarness(t)
	body := map[string]any{
		"external_id": "crm-1", "thread_key": "order-42",
		"from": map[string]string{"kind": "api", "value": "cust-7", "name": "王芳"},
		"text": "你好，我的租机合同什么时候到期？",
	}
	var first, again struct {
		TicketID  string `json:"ticket_id"`
		MessageID string `json:"message_id"`
		Duplicate bool   `json:"duplicate"`
	}
	if r := h.call("POST", "/api/v1/inbound", h.admin, body, &first); r.StatusCode != http.StatusCreated {
		t.Fatalf("first post: status %d, want 201", r.StatusCode)
	}
	if r := h.call("POST", "/api/v1/inbound", h.admin, body, &again); r.StatusCode != http.StatusOK {
		t.Fatalf("replay: status %d, want 200", r.StatusCode)
	}
	if first.TicketID == "" || first.TicketID != again.TicketID || first.MessageID != again.MessageID || !again.Duplicate {
		t.Fatalf("replay gave %+v, first %+v", again, first)
	}
	// A second message of the same conversation threads into the same ticket.
	body["external_id"] = "crm-2"
	body["text"] = "还有，押金怎么退？"
	var second struct {
		TicketID string `json:"ticket_id"`
	}
	h.call("POST", "/api/v1/inbound", h.admin, body, &second)
	if second.TicketID != first.TicketID {
		t.Fatalf("second message opened ticket %s, want %s", second.TicketID, first.TicketID)
	}
	var tk struct {
		Ticket  desk.Ticket
		Contact desk.Contact
	}
	h.call("GET", "/api/v1/tickets/"+first.TicketID, h.admin, nil, &tk)
	if tk.Ticket.Preview != "还有，押金怎么退？" || tk.Contact.Name != "王芳" || len(tk.Contact.Identities) != 1 {
		t.Fatalf("ticket detail = %+v", tk)
	}
	if tk.Ticket.Subject != "你好，我的租机合同什么时候到期？" || tk.Ticket.Status != desk.StatusOpen || tk.Ticket.Number < 1 {
		t.Fatalf("ticket = %+v", tk.Ticket)
	}
}

func TestInboundConcurrentReplaysStoreOneMessage(t *testing.T) {
	h := newHarness(t)
	body := map[string]any{
		"external_id": "same-id", "thread_key": "x",
		"from": map[string]string{"kind": "api", "value": "racer"}, "text": "hello",
	}
	const n = 50
	var wg sync.WaitGroup
	statuses := make([]int, n)
	ids := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var rc struct {
				MessageID string `json:"message_id"`
			}
			statuses[i] = h.call("POST", "/api/v1/inbound", h.admin, body, &rc).StatusCode
			ids[i] = rc.MessageID
		}()
	}
	wg.Wait()
	created := 0
	for i, s := range statuses {
		switch s {
		case http.StatusCreated:
			created++
		case http.StatusOK:
		default:
			t.Fatalf("request %d: status %d", i, s)
		}
		if ids[i] != ids[0] || ids[i] == "" {
			t.Fatalf("request %d got message %q, request 0 got %q", i, ids[i], ids[0])
		}
	}
	if created != 1 {
		t.Fatalf("%d requests answered 201, want exactly 1", created)
	}
	if n := h.countTickets(); n != 1 {
		t.Fatalf("%d tickets, want 1", n)
	}
	m, err := h.db.Message(context.Background(), ids[0])
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := h.db.Messages(context.Background(), m.TicketID, "", 100)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("ticket holds %d messages (err %v), want 1", len(msgs), err)
	}
}

func TestBadInputIsRefusedClearly(t *testing.T) {
	h := newHarness(t)
	valid := `{"external_id":"e1","thread_key":"t","from":{"kind":"api","value":"v"},"text":"hi"}`
	cases := []struct {
		name   string
		secret string
		body   any
		hdr    []string
		status int
		code   string
		msg    string
	}{
		{"no token", "", valid, nil, 401, "unauthorized", "Bearer"},
		{"wrong token", "hlt_not-a-real-token", valid, nil, 401, "unauthorized", "credentials"},
		{"garbage scheme", "", valid, []string{"Authorization", "Basic Zm9vOmJhcg=="}, 401, "unauthorized", ""},
		{"malformed JSON", h.admin, `{"external_id":`, nil, 400, "invalid", "malformed JSON"},
		{"not an object", h.admin, `[1,2]`, nil, 400, "invalid", "malformed JSON"},
		{"unknown field", h.admin, `{"external_id":"e1","from":{"kind":"api","value":"v"},"text":"hi","admin":true}`, nil, 400, "invalid", "unknown field"},
		{"two values", h.admin, valid + valid, nil, 400, "invalid", "more than one"},
		{"invalid UTF-8", h.admin, []byte("{\"external_id\":\"e1\",\"from\":{\"kind\":\"api\",\"value\":\"v\"},\"text\":\"\xff\xfe\"}"), nil, 400, "invalid", "UTF-8"},
		{"NUL in text", h.admin, `{"external_id":"e1","from":{"kind":"api","value":"v"},"text":"a\u0000b"}`, nil, 400, "invalid", "NUL"},
		{"empty body", h.admin, "", nil, 400, "invalid", "empty"},
		{"wrong type", h.admin, `{"external_id":5,"from":{"kind":"api","value":"v"},"text":"hi"}`, nil, 400, "invalid", "external_id"},
		{"wrong content type", h.admin, valid, []string{"Content-Type", "text/plain"}, 400, "invalid", "application/json"},
		{"no external id", h.admin, `{"from":{"kind":"api","value":"v"},"text":"hi"}`, nil, 400, "invalid", "external_id"},
		{"bad kind", h.admin, `{"external_id":"e1","from":{"kind":"fax","value":"v"},"text":"hi"}`, nil, 400, "invalid", "from.kind"},
		{"no sender", h.admin, `{"external_id":"e1","from":{"kind":"api","value":" "},"text":"hi"}`, nil, 400, "invalid", "from.value"},
		{"no text", h.admin, `{"external_id":"e1","from":{"kind":"api","value":"v"},"text":"  "}`, nil, 400, "invalid", "text"},
		{"text too long", h.admin, `{"external_id":"e1","from":{"kind":"api","value":"v"},"text":"` + strings.Repeat("字", desk.MaxTextBytes/3+1) + `"}`, nil, 413, "too_large", "text"},
		{"body over 1 MiB", h.admin, `{"external_id":"e1","from":{"kind":"api","value":"v"},"text":"` + strings.Repeat("a", 1<<20) + `"}`, nil, 413, "too_large", "larger than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var e apiError
			r := h.call("POST", "/api/v1/inbound", c.secret, c.body, &e, c.hdr...)
			if r.StatusCode != c.status || e.Error.Code != c.code || !strings.Contains(e.Error.Message, c.msg) {
				t.Fatalf("got %d %+v, want %d %s containing %q", r.StatusCode, e.Error, c.status, c.code, c.msg)
			}
		})
	}
	if n := h.countTickets(); n != 0 {
		t.Fatalf("bad requests left %d tickets behind", n)
	}
}

func TestUnknownRouteAnswersJSON(t *testing.T) {
	h := newHarness(t)
	var e apiError
	if r := h.call("GET", "/api/v1/nope", h.admin, nil, &e); r.StatusCode != 404 || e.Error.Code != "not_found" {
		t.Fatalf("got %d %+v", r.StatusCode, e)
	}
	// An unknown path is 404 for anyone, not 401/403.
	if r := h.call("GET", "/api/v1/nope", "", nil, &e); r.StatusCode != 404 {
		t.Fatalf("anonymous unknown path: %d", r.StatusCode)
	}
	if r := h.call("GET", "/api/v1/tickets/x/nope", h.agent, nil, &e); r.StatusCode != 404 {
		t.Fatalf("agent unknown path: %d", r.StatusCode)
	}
	if r := h.call("HEAD", "/healthz", "", nil, nil); r.StatusCode != 200 {
		t.Fatalf("HEAD /healthz: %d", r.StatusCode)
	}
	if r := h.call("PUT", "/api/v1/inbound", h.admin, nil, &e); r.StatusCode != 405 || e.Error.Code != "invalid" {
		t.Fatalf("got %d %+v", r.StatusCode, e)
	}
}
