package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"huiliu/desk"
)

func TestInboxShowsOnlyVisibleTickets(t *testing.T) {
	h := newHarness(t)
	h.createAgent("sup@example.com", "Supervisor Wu", desk.RoleSupervisor)
	mineTeam := h.inbound("m1", "cust-a", "team A problem")
	other := h.inbound("m2", "cust-b", "team B secret")
	unrouted := h.inbound("m3", "cust-c", "nobody routed me")
	h.moveToTeam(mineTeam.ID, "A")
	h.moveToTeam(other.ID, "B")

	agent := h.signIn("li@example.com")
	resp, body := h.page(agent, "/inbox?view=unassigned")
	if resp.StatusCode != 200 {
		t.Fatalf("unassigned view: %d", resp.StatusCode)
	}
	wantContains(t, body, `data-ticket-id="`+mineTeam.ID+`"`, `data-ticket-id="`+unrouted.ID+`"`, "team A problem")
	wantLacks(t, body, other.ID, "team B secret")
	// The sidebar counts what the agent may see.
	wantContains(t, body, `data-hl="count-unassigned">2<`, `data-hl="count-mine">0<`)
	wantLacks(t, body, `data-hl="count-all"`)

	// "all" is refused to agents, as a page.
	resp, body = h.page(agent, "/inbox?view=all", "Accept-Language", "en")
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("all view for an agent: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	wantContains(t, body, "You are not allowed to do this.")

	// A supervisor sees every ticket under all.
	sup := h.signIn("sup@example.com")
	resp, body = h.page(sup, "/inbox?view=all")
	if resp.StatusCode != 200 {
		t.Fatalf("all view for a supervisor: %d", resp.StatusCode)
	}
	for _, tk := range []desk.Ticket{mineTeam, other, unrouted} {
		wantContains(t, body, `data-ticket-id="`+tk.ID+`"`)
	}
	wantContains(t, body, `data-hl="count-all">3<`)
}

func TestInboxViewsFiltersAndPages(t *testing.T) {
	h := newHarness(t)
	var ids []string
	for i, text := range []string{"alpha", "bravo", "charlie"} {
		tk := h.inbound("m"+text, "cust-"+text, text+" question")
		ids = append(ids, tk.ID)
		_ = i
	}
	// li answers bravo: the first reply makes her owner and assignee.
	if r := h.call("POST", "/api/v1/tickets/"+ids[1]+"/messages", h.agent, map[string]string{"text": "on it"}, nil); r.StatusCode != 201 {
		t.Fatalf("reply: %d", r.StatusCode)
	}
	c := h.signIn("li@example.com")
	_, body := h.page(c, "/inbox")
	wantContains(t, body, `data-ticket-id="`+ids[1]+`"`, `data-hl="count-mine">1<`, `data-hl="count-owned">1<`)
	wantLacks(t, body, ids[0], ids[2])
	_, body = h.page(c, "/inbox?view=owned")
	wantContains(t, body, ids[1], "李娜")

	// Search and status filters.
	_, body = h.page(c, "/inbox?view=unassigned&q=charlie")
	wantContains(t, body, ids[2])
	wantLacks(t, body, ids[0], ids[1])
	_, body = h.page(c, "/inbox?view=mine&status=resolved")
	wantLacks(t, body, ids[1])
	wantContains(t, body, `data-hl="inbox-empty"`)
	_, body = h.page(c, "/inbox?view=unassigned&channel=telegram")
	wantContains(t, body, `data-hl="inbox-empty"`)
	if r, _ := h.page(c, "/inbox?status=bogus"); r.StatusCode != http.StatusBadRequest {
		t.Fatalf("bogus status: %d", r.StatusCode)
	}

	// Pages of the store's cursor: with ?fragment (what the live inbox
	// reads), two pages of the unassigned queue hold both tickets once.
	seen := map[string]int{}
	_, frag := h.page(c, "/inbox?view=unassigned&fragment=rows")
	if strings.Contains(frag, "<html") || !strings.Contains(frag, `data-hl="inbox-rows"`) {
		t.Fatalf("fragment is not just the rows: %.200s", frag)
	}
	for _, id := range []string{ids[0], ids[2]} {
		seen[id] += strings.Count(frag, `data-ticket-id="`+id+`"`)
	}
	if seen[ids[0]] != 1 || seen[ids[2]] != 1 {
		t.Fatalf("fragment rows %v", seen)
	}
}

func TestInboxPagination(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	const n = 55 // more than one page of 50
	for i := range n {
		h.inbound("p"+itoa(i), "cust-"+itoa(i), "question "+itoa(i))
	}
	c := h.signIn("li@example.com")
	_, body := h.page(c, "/inbox?view=unassigned")
	first := strings.Count(body, `data-hl="inbox-row"`)
	i := strings.Index(body, `data-hl="page-next"`)
	if first != 50 || i < 0 {
		t.Fatalf("first page: %d rows, next link %v", first, i >= 0)
	}
	href := body[strings.LastIndex(body[:i], `href="`)+len(`href="`):]
	href = strings.ReplaceAll(href[:strings.IndexByte(href, '"')], "&amp;", "&")
	_, body = h.page(c, href)
	if got := strings.Count(body, `data-hl="inbox-row"`); got != n-50 {
		t.Fatalf("second page: %d rows, want %d", got, n-50)
	}
	wantLacks(t, body, `data-hl="page-next"`)
	_ = ctx
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

func TestPagesSendAStrictCSP(t *testing.T) {
	h := newHarness(t)
	tk := h.inbound("m1", "cust", "hello")
	h.createAgent("root@example.com", "Root", desk.RoleAdmin)
	c := h.signIn("root@example.com")
	anon := pageClient()
	for _, p := range []struct {
		c    *http.Client
		path string
	}{{anon, "/login"}, {c, "/inbox"}, {c, "/tickets/" + tk.ID}, {c, "/admin/sites"}, {c, "/admin/canned"}, {c, "/inbox?view=nope"},
		{c, "/supervisor"}, {c, "/admin/sla"}, {c, "/admin/routing"}, {c, "/inbox?view=at_risk"}, {c, "/inbox?view=breached"}} {
		resp, body := h.page(p.c, p.path)
		csp := resp.Header.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", p.path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
			t.Errorf("%s: CSP allows unsafe code: %q", p.path, csp)
		}
		// Nothing the CSP would block: no inline handlers, styles or scripts.
		for _, bad := range []string{" onclick=", " onerror=", " onload=", " style=", "<style", "javascript:"} {
			if strings.Contains(body, bad) {
				t.Errorf("%s: page has %q", p.path, bad)
			}
		}
		for _, chunk := range strings.Split(body, "<script")[1:] {
			head := chunk[:strings.IndexByte(chunk, '>')]
			if !strings.Contains(head, "src=") && !strings.Contains(head, `type="application/json"`) {
				t.Errorf("%s: inline script <script%s>", p.path, head)
			}
		}
	}
}

func TestStaticFilesAreVersioned(t *testing.T) {
	h := newHarness(t)
	c := pageClient()
	_, body := h.page(c, "/login")
	i := strings.Index(body, `/static/desk.js?v=`)
	if i < 0 {
		t.Fatal("login page does not link a versioned desk.js")
	}
	u := body[i:]
	u = u[:strings.IndexByte(u, '"')]
	resp, js := h.page(c, u)
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || !strings.Contains(resp.Header.Get("Content-Type"), "javascript") {
		t.Fatalf("%s: %d %q %q", u, resp.StatusCode, resp.Header.Get("Cache-Control"), resp.Header.Get("Content-Type"))
	}
	if !strings.Contains(js, "HL") {
		t.Fatal("desk.js body missing")
	}
	if resp, _ := h.page(c, "/static/desk.js?v=old"); strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Fatal("a stale version is cached for good")
	}
	if resp, _ := h.page(c, "/static/../render.go"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("path escape: %d", resp.StatusCode)
	}
}
