package web_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"huiliu/desk"
)

// browser logs in with the cookie mode and returns a client that keeps
// the cookie, and the CSRF token.
func (h *harness) browser(email string) (*http.Client, string) {
	h.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Post(h.srv.URL+"/api/v1/sessions", "application/json",
		strings.NewReader(`{"email":"`+email+`","password":"`+testPassword+`"}`))
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		h.t.Fatalf("login %s: status %d", email, resp.StatusCode)
	}
	var lr struct {
		CSRFToken string `json:"csrf_token"`
		Token     string `json:"token"`
	}
	decode(h.t, resp, &lr)
	if lr.CSRFToken == "" || lr.Token != "" {
		h.t.Fatalf("cookie login answered %+v", lr)
	}
	var ck *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "huiliu_session" {
			ck = c
		}
	}
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || !strings.HasPrefix(ck.Value, "hls_") {
		h.t.Fatalf("session cookie = %+v", ck)
	}
	return c, lr.CSRFToken
}

func TestCookieSessionNeedsCSRFForWrites(t *testing.T) {
	h := newHarness(t)
	tk := h.inbound("m1", "cust", "hello")
	c, csrf := h.browser("li@example.com")

	resp, err := c.Get(h.srv.URL + "/api/v1/me")
	if err != nil {
		t.Fatal(err)
	}
	var me struct {
		Agent     desk.Agent
		CSRFToken string `json:"csrf_token"`
	}
	decode(t, resp, &me)
	if me.Agent.Email != "li@example.com" || me.CSRFToken != csrf {
		t.Fatalf("/me = %+v", me)
	}

	post := func(token string) int {
		req, _ := http.NewRequest("POST", h.srv.URL+"/api/v1/tickets/"+tk.ID+"/messages", strings.NewReader(`{"kind":"note","text":"checked contract"}`))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("X-CSRF-Token", token)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := post(""); s != http.StatusForbidden {
		t.Fatalf("cookie write without CSRF: %d, want 403", s)
	}
	if s := post("wrong"); s != http.StatusForbidden {
		t.Fatalf("cookie write with wrong CSRF: %d, want 403", s)
	}
	if s := post(csrf); s != http.StatusCreated {
		t.Fatalf("cookie write with CSRF: %d, want 201", s)
	}

	// Logout ends the session for good.
	req, _ := http.NewRequest("DELETE", h.srv.URL+"/api/v1/sessions/current", nil)
	req.Header.Set("X-CSRF-Token", csrf)
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("logout: %d", resp.StatusCode)
	}
	resp, _ = c.Get(h.srv.URL + "/api/v1/me")
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("after logout /me: %d, want 401", resp.StatusCode)
	}
}

func TestTokenLoginAndWrongPassword(t *testing.T) {
	h := newHarness(t)
	var lr struct{ Token string }
	r := h.call("POST", "/api/v1/sessions", "", map[string]string{"email": "LI@example.com", "password": testPassword, "mode": "token"}, &lr)
	if r.StatusCode != http.StatusCreated || !strings.HasPrefix(lr.Token, "hls_") {
		t.Fatalf("token login: %d %+v", r.StatusCode, lr)
	}
	for _, c := range r.Cookies() {
		if c.Name == "huiliu_session" {
			t.Fatal("token mode must not set a cookie")
		}
	}
	// A session is not an integration: inbound needs an API token.
	if r := h.call("POST", "/api/v1/inbound", lr.Token, map[string]any{"external_id": "x", "from": map[string]string{"kind": "api", "value": "v"}, "text": "t"}, nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("inbound with a session token: %d, want 403", r.StatusCode)
	}
	// A script's session token writes without CSRF: it is not ambient.
	tk := h.inbound("m1", "cust", "hello")
	if r := h.call("POST", "/api/v1/tickets/"+tk.ID+"/messages", lr.Token, map[string]string{"kind": "note", "text": "n"}, nil); r.StatusCode != http.StatusCreated {
		t.Fatalf("bearer session write: %d", r.StatusCode)
	}
	var e apiError
	r = h.call("POST", "/api/v1/sessions", "", map[string]string{"email": "li@example.com", "password": "wrong password"}, &e)
	if r.StatusCode != http.StatusUnauthorized || e.Error.Message != "wrong email or password" {
		t.Fatalf("wrong password: %d %+v", r.StatusCode, e)
	}
	r = h.call("POST", "/api/v1/sessions", "", map[string]string{"email": "nobody@example.com", "password": "wrong password"}, &e)
	if r.StatusCode != http.StatusUnauthorized || e.Error.Message != "wrong email or password" {
		t.Fatalf("unknown account: %d %+v", r.StatusCode, e)
	}
	r = h.call("POST", "/api/v1/sessions", "", map[string]string{"email": "li@example.com", "password": testPassword, "mode": "magic"}, &e)
	if r.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad mode: %d", r.StatusCode)
	}
}

func TestLoginIsRateLimitedPerAccount(t *testing.T) {
	h := newHarness(t)
	var e apiError
	for i := range 10 {
		if r := h.call("POST", "/api/v1/sessions", "", map[string]string{"email": "li@example.com", "password": "guess guess"}, &e); r.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, r.StatusCode)
		}
	}
	r := h.call("POST", "/api/v1/sessions", "", map[string]string{"email": "li@example.com", "password": testPassword}, &e)
	if r.StatusCode != http.StatusTooManyRequests || e.Error.Code != "rate_limited" || !strings.Contains(e.Error.Message, "try again in") || r.Header.Get("Retry-After") == "" {
		t.Fatalf("11th attempt: %d %+v, want 429", r.StatusCode, e)
	}
	// Another account from the same address is still allowed (per-IP limit is higher).
	if r := h.call("POST", "/api/v1/sessions", "", map[string]string{"email": "admin@example.com", "password": testPassword, "mode": "token"}, nil); r.StatusCode != http.StatusCreated {
		t.Fatalf("other account: %d", r.StatusCode)
	}
}

func TestRolesAreEnforcedOnTheServer(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	var e apiError
	for _, p := range []struct{ method, path string }{
		{"GET", "/api/v1/agents"}, {"POST", "/api/v1/agents"}, {"PATCH", "/api/v1/agents/x"},
		{"POST", "/api/v1/teams"}, {"POST", "/api/v1/tokens"}, {"GET", "/api/v1/audit"},
	} {
		if r := h.call(p.method, p.path, h.agent, "{}", &e); r.StatusCode != http.StatusForbidden || e.Error.Code != "forbidden" {
			t.Errorf("agent %s %s: %d %+v, want 403", p.method, p.path, r.StatusCode, e)
		}
	}
	if r := h.call("GET", "/api/v1/agents", h.admin, nil, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("admin GET /agents: %d", r.StatusCode)
	}

	// A ticket of team B is invisible to an agent of team A, in the list and by id.
	mine := h.inbound("m1", "c1", "team A question")
	other := h.inbound("m2", "c2", "team B question")
	teamB, err := h.svc.CreateTeam(ctx, desk.Actor{}, "B")
	if err != nil {
		t.Fatal(err)
	}
	setTeam(t, h, other.ID, teamB.ID)
	setTeam(t, h, mine.ID, h.agentA.TeamIDs[0])
	if r := h.call("GET", "/api/v1/tickets/"+other.ID, h.agent, nil, &e); r.StatusCode != http.StatusNotFound {
		t.Fatalf("agent sees other team's ticket: %d", r.StatusCode)
	}
	if r := h.call("POST", "/api/v1/tickets/"+other.ID+"/messages", h.agent, map[string]string{"text": "hi"}, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("agent replies to other team's ticket: %d", r.StatusCode)
	}
	var page desk.TicketPage
	h.call("GET", "/api/v1/tickets", h.agent, nil, &page)
	if len(page.Tickets) != 1 || page.Tickets[0].ID != mine.ID {
		t.Fatalf("agent's inbox = %+v", page.Tickets)
	}
	h.call("GET", "/api/v1/tickets", h.admin, nil, &page)
	if len(page.Tickets) != 2 {
		t.Fatalf("admin's inbox has %d tickets, want 2", len(page.Tickets))
	}
}

func setTeam(t *testing.T, h *harness, ticketID, teamID string) {
	t.Helper()
	changeTicket(t, h, ticketID, func(tk *desk.Ticket) { tk.TeamID = teamID })
}

// changeTicket edits a ticket in the store, for states the API cannot set yet.
func changeTicket(t *testing.T, h *harness, ticketID string, change func(*desk.Ticket)) {
	t.Helper()
	ctx := context.Background()
	err := h.db.Tx(ctx, func(tx desk.Tx) error {
		tk, err := tx.Ticket(ctx, ticketID)
		if err != nil {
			return err
		}
		change(&tk)
		return tx.UpdateTicket(ctx, tk)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAdminChangesAreAudited(t *testing.T) {
	h := newHarness(t)
	var a desk.Agent
	r := h.call("POST", "/api/v1/agents", h.admin, map[string]any{"email": "zhao@example.com", "name": "赵磊", "role": "supervisor", "password": testPassword, "teams": []string{"催收"}}, &a)
	if r.StatusCode != http.StatusCreated || a.Role != desk.RoleSupervisor || len(a.TeamIDs) != 1 || !strings.HasPrefix(a.EmployeeNo, "HL") {
		t.Fatalf("create agent: %d %+v", r.StatusCode, a)
	}
	var e apiError
	if r := h.call("POST", "/api/v1/agents", h.admin, map[string]any{"email": "zhao@example.com", "name": "x", "role": "agent", "password": testPassword}, &e); r.StatusCode != http.StatusConflict {
		t.Fatalf("duplicate email: %d %+v", r.StatusCode, e)
	}
	if r := h.call("PATCH", "/api/v1/agents/"+a.ID, h.admin, map[string]any{"active": false}, &a); r.StatusCode != http.StatusOK || a.Active {
		t.Fatalf("deactivate: %d %+v", r.StatusCode, a)
	}
	var tok struct{ Secret string }
	if r := h.call("POST", "/api/v1/tokens", h.admin, map[string]string{"agent_email": "li@example.com", "name": "crm"}, &tok); r.StatusCode != http.StatusCreated || !strings.HasPrefix(tok.Secret, "hlt_") {
		t.Fatalf("token: %d", r.StatusCode)
	}
	h.call("POST", "/api/v1/sessions", "", map[string]string{"email": "li@example.com", "password": "nope nope"}, nil)

	var log struct{ Entries []desk.AuditEntry }
	h.call("GET", "/api/v1/audit", h.admin, nil, &log)
	seen := map[string]bool{}
	for _, e := range log.Entries {
		seen[e.Action] = true
	}
	for _, want := range []string{"agent.create", "agent.update", "token.create", "login.failed"} {
		if !seen[want] {
			t.Errorf("audit log lacks %s: %+v", want, log.Entries)
		}
	}

	// Deactivating an account locks out its tokens at once, even one that
	// was just used (and so is in the credential cache).
	if r := h.call("GET", "/api/v1/me", h.agent, nil, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("active agent: %d", r.StatusCode)
	}
	if r := h.call("PATCH", "/api/v1/agents/"+h.agentA.ID, h.admin, map[string]any{"active": false}, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("deactivate li: %d", r.StatusCode)
	}
	if r := h.call("GET", "/api/v1/me", h.agent, nil, nil); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("deactivated agent's token: %d, want 401", r.StatusCode)
	}
}
