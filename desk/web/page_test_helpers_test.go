package web_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"huiliu/desk"
)

// pageClient is a browser without redirects followed, so tests see each
// answer, and with a cookie jar.
func pageClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// postLogin submits the login form as a page of origin would.
func (h *harness) postLogin(c *http.Client, email, password, origin, next string, hdr ...string) *http.Response {
	h.t.Helper()
	form := url.Values{"email": {email}, "password": {password}, "next": {next}}
	req, err := http.NewRequest("POST", h.srv.URL+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp
}

// signIn logs in through the login page and returns the browser.
func (h *harness) signIn(email string) *http.Client {
	h.t.Helper()
	c := pageClient()
	resp := h.postLogin(c, email, testPassword, h.srv.URL, "/inbox")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		h.t.Fatalf("login %s: status %d", email, resp.StatusCode)
	}
	return c
}

// page GETs path with c and returns the answer and its body.
func (h *harness) page(c *http.Client, path string, hdr ...string) (*http.Response, string) {
	h.t.Helper()
	req, err := http.NewRequest("GET", h.srv.URL+path, nil)
	if err != nil {
		h.t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// createAgent adds an account with the test password.
func (h *harness) createAgent(email, name string, role desk.Role, teams ...string) desk.Agent {
	h.t.Helper()
	a, err := h.svc.CreateAgent(context.Background(), desk.Actor{}, desk.NewAgent{Email: email, Name: name, Role: role, Password: testPassword, Teams: teams})
	if err != nil {
		h.t.Fatal(err)
	}
	return a
}

// moveToTeam transfers a ticket to the team called name (created if
// missing) as the admin.
func (h *harness) moveToTeam(ticketID, name string) {
	h.t.Helper()
	ctx := context.Background()
	team, err := h.db.TeamByName(ctx, name)
	if err != nil {
		if team, err = h.svc.CreateTeam(ctx, desk.Actor{}, name); err != nil {
			h.t.Fatal(err)
		}
	}
	admin, err := h.db.AgentByEmail(ctx, "admin@example.com")
	if err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.svc.ChangeTicket(ctx, admin, ticketID, desk.TicketChange{TeamID: &team.ID}); err != nil {
		h.t.Fatal(err)
	}
}

func wantContains(t *testing.T, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("page lacks %q", p)
		}
	}
}

func wantLacks(t *testing.T, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(body, p) {
			t.Errorf("page contains %q", p)
		}
	}
}
