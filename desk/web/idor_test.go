package web_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/desk"
	"huiliu/desk/web"
)

// idorCase is what one route with an id answers about another team's
// object: to an agent of another team (other), and to its own side (own:
// an agent of the team, or the admin on admin routes) which proves the id
// in the table is real. hidden marks routes where other must not tell the
// object from one that does not exist.
type idorCase struct {
	other, own int
	hidden     bool
	// body is sent as JSON with both requests (nil: none).
	body any
}

// TestEveryIDRouteRefusesStrangers walks every /api/v1 route with an id
// as an agent of another team and as a customer of another ticket. A route
// without an entry in the table fails the test, so a new route must say
// who may use it.
func TestEveryIDRouteRefusesStrangers(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	ids := idorFixture(t, h)
	stranger := h.createAgent("zhao@example.com", "赵六", desk.RoleAgent, "B")
	_, strangerToken, err := h.svc.CreateToken(ctx, desk.Actor{}, stranger.Email, "tests")
	if err != nil {
		t.Fatal(err)
	}
	customer := otherCustomerToken(t, h)
	due := time.Now().Add(time.Hour).Format(time.RFC3339)

	table := map[string]idorCase{
		"POST /api/v1/tickets/:id/calls":                   {other: 404, own: 201, hidden: true, body: map[string]any{"number": "13800138000", "direction": "out"}},
		"POST /api/v1/calls/:id/wrap-up":                   {other: 404, own: 200, hidden: true, body: map[string]any{"notes": "n"}},
		"POST /api/v1/tickets/:id/dial":                    {other: 404, own: 503, hidden: true, body: map[string]any{"identity_id": "x"}},
		"GET /api/v1/tickets/:id":                          {other: 404, own: 200, hidden: true},
		"PATCH /api/v1/tickets/:id":                        {other: 404, own: 200, hidden: true, body: map[string]any{"priority": "high"}},
		"POST /api/v1/tickets/:id/outcome-confirmation":    {other: 404, own: 409, hidden: true, body: map[string]any{"note": "told"}},
		"GET /api/v1/tickets/:id/messages":                 {other: 404, own: 200, hidden: true},
		"POST /api/v1/tickets/:id/messages":                {other: 404, own: 201, hidden: true, body: map[string]any{"kind": "note", "text": "n"}},
		"GET /api/v1/tickets/:id/sla":                      {other: 404, own: 200, hidden: true},
		"POST /api/v1/tickets/:id/followups":               {other: 404, own: 201, hidden: true, body: map[string]any{"due_at": due, "note": "n"}},
		"DELETE /api/v1/tickets/:id/followups/:fid":        {other: 404, own: 204, hidden: true},
		"GET /api/v1/attachments/:id":                      {other: 404, own: 200, hidden: true},
		"GET /api/v1/contacts/:id":                         {other: 404, own: 200, hidden: true},
		"DELETE /api/v1/canned-replies/:id":                {other: 403, own: 204},
		"PUT /api/v1/canned-replies/:id":                   {other: 403, own: 200, body: map[string]any{"title": "t2", "text": "您好 {{customer_name}}"}},
		"PATCH /api/v1/agents/:id":                         {other: 403, own: 200, body: map[string]any{"name": "李娜"}},
		"PATCH /api/v1/sites/:id":                          {other: 403, own: 200, body: map[string]any{"greeting": "hi"}},
		"POST /api/v1/sites/:id/secret":                    {other: 403, own: 200},
		"DELETE /api/v1/tokens/:id":                        {other: 403, own: 204},
		"GET /api/v1/routing/agents/:id":                   {other: 403, own: 200},
		"PUT /api/v1/routing/agents/:id":                   {other: 403, own: 200, body: map[string]any{"capacity": 3}},
		"PUT /api/v1/routing/teams/:id":                    {other: 403, own: 200, body: map[string]any{"mode": "pull"}},
		"PUT /api/v1/routing/rules/:id":                    {other: 403, own: 200, body: map[string]any{"name": "r2", "team_id": ids[":team"]}},
		"DELETE /api/v1/routing/rules/:id":                 {other: 403, own: 204},
		"PUT /api/v1/sla/calendars/:id":                    {other: 403, own: 200, body: map[string]any{"name": "24x7", "timezone": "UTC", "always_open": true}},
		"PUT /api/v1/sla/policies/:id":                     {other: 403, own: 200, body: map[string]any{"name": "p2", "calendar_id": ids[":calendar"], "first_response": "1h"}},
		"DELETE /api/v1/sla/policies/:id":                  {other: 403, own: 204},
		"GET /api/v1/tickets/:id/facts":                    {other: 404, own: 200, hidden: true},
		"POST /api/v1/tickets/:id/claim":                   {other: 404, own: 200, hidden: true, body: map[string]any{"customer_no": "C-1"}},
		"POST /api/v1/tickets/:id/knowledge-verification":  {other: 404, own: 409, hidden: true, body: map[string]any{"questions": []string{"id_last4"}}},
		"POST /api/v1/tickets/:id/disclosure-check":        {other: 404, own: 200, hidden: true, body: map[string]any{"text": "x"}},
		"GET /api/v1/tickets/:id/export":                   {other: 404, own: 200, hidden: true},
		"POST /api/v1/tickets/:id/messages/:mid/reveal":    {other: 404, own: 403, hidden: true, body: map[string]any{"purpose": "p"}},
		"POST /api/v1/contacts/:id/identities/:iid/reveal": {other: 404, own: 403, hidden: true, body: map[string]any{"purpose": "p"}},
		// :id is a mailbox name; this desk has no mailboxes, so the admin's
		// own side is not found (email_start_test.go tests a real answer).
		"POST /api/v1/mailboxes/:id/test": {other: 403, own: 404},
		// The harness runs no Telegram channel: the admin reaches the
		// route and hears "no such bot".
		"DELETE /api/v1/telegram-bots/:id":    {other: 403, own: 404},
		"POST /api/v1/telegram-bots/:id/test": {other: 403, own: 404, body: map[string]any{"chat_id": "1", "text": "x"}},
		// The test ticket is no email conversation.
		"DELETE /api/v1/tickets/:id/email-bounce": {other: 404, own: 409, hidden: true},
		// Articles are not a team's: every agent reads them and writes
		// drafts; reviews and categories are supervisors'.
		"GET /api/v1/tickets/:id/kb-suggestions":      {other: 404, own: 200, hidden: true},
		"GET /api/v1/kb/articles/:id/reply-text":      {other: 200, own: 200},
		"PUT /api/v1/kb/articles/:id":                 {other: 200, own: 200, body: map[string]any{"locale": "zh-CN", "title": "退押金", "body": "草稿"}},
		"POST /api/v1/kb/articles/:id/submit":         {other: 200, own: 409},
		"POST /api/v1/kb/articles/:id/review":         {other: 403, own: 200, body: map[string]any{"approve": true}},
		"POST /api/v1/kb/articles/:id/unpublish":      {other: 403, own: 200},
		"PUT /api/v1/kb/categories/:id":               {other: 403, own: 200, body: map[string]any{"names": map[string]string{"zh-CN": "押金"}}},
		"DELETE /api/v1/kb/categories/:id":            {other: 403, own: 204},
		"GET /api/v1/tickets/:id/verification":        {other: 404, own: 200, hidden: true},
		"POST /api/v1/tickets/:id/verification/codes": {other: 404, own: 200, hidden: true, body: map[string]any{"kind": "sms"}},
		"POST /api/v1/tickets/:id/verification/check": {other: 404, own: 400, hidden: true, body: map[string]any{"kind": "sms", "code": "000000"}},
		// :id is a complaint ticket nobody owns (complaintFixture): the
		// POSTs before the deferred DELETE make the agent its owner.
		"GET /api/v1/tickets/:id/complaint":                    {other: 404, own: 200, hidden: true},
		"POST /api/v1/tickets/:id/complaint":                   {other: 404, own: 409, hidden: true, body: map[string]any{"severity": "high"}},
		"PATCH /api/v1/tickets/:id/complaint":                  {other: 404, own: 200, hidden: true, body: map[string]any{"severity": "high"}},
		"DELETE /api/v1/tickets/:id/complaint":                 {other: 404, own: 200, hidden: true, body: map[string]any{"reason": "r"}},
		"POST /api/v1/tickets/:id/complaint/accept":            {other: 404, own: 200, hidden: true},
		"POST /api/v1/tickets/:id/complaint-suspicion/dismiss": {other: 404, own: 409, hidden: true},
		"GET /api/v1/tickets/:id/survey":                       {other: 404, own: 200, hidden: true},
		"DELETE /api/v1/csat/settings/:id":                     {other: 403, own: 204},
		"GET /api/v1/tickets/:id/bot":                          {other: 404, own: 200, hidden: true},
		"GET /api/v1/contacts/:id/tickets":                     {other: 404, own: 200, hidden: true},
		"GET /api/v1/contacts/:id/notes":                       {other: 404, own: 200, hidden: true},
		"POST /api/v1/contacts/:id/notes":                      {other: 404, own: 201, hidden: true, body: map[string]any{"text": "n"}},
		"PATCH /api/v1/contact-notes/:id":                      {other: 404, own: 200, hidden: true, body: map[string]any{"text": "n2"}},
		"DELETE /api/v1/contact-notes/:id":                     {other: 404, own: 204, hidden: true},
		// Without from the own side is refused for that, after the
		// contact was found.
		"GET /api/v1/contacts/:id/merge-preview": {other: 404, own: 400, hidden: true},
		"GET /api/v1/contacts/:id/merges":        {other: 404, own: 200, hidden: true},
		// Merging the contact with itself: refused after both were found.
		"POST /api/v1/contacts/:id/merges":        {other: 404, own: 400, hidden: true, body: map[string]any{"from_id": ids[":contact"]}},
		"POST /api/v1/contact-merges/:id/undo":    {other: 404, own: 200, hidden: true},
		"POST /api/v1/tickets/:id/bot/suggestion": {other: 404, own: 400, hidden: true},
	}
	qaTable, qaKinds := qaAccessCases(ids)
	for k, v := range qaTable {
		table[k] = v
	}
	// Which object each route's :id names, when it is not the ticket.
	kindOf := map[string]string{
		"/api/v1/attachments/:id": ":attachment", "/api/v1/contacts/:id": ":contact", "/api/v1/canned-replies/:id": ":canned",
		"/api/v1/agents/:id": ":agent", "/api/v1/sites/:id": ":site", "/api/v1/sites/:id/secret": ":site", "/api/v1/tokens/:id": ":token", "/api/v1/routing/agents/:id": ":agent",
		"/api/v1/routing/teams/:id": ":team", "/api/v1/routing/rules/:id": ":rule", "/api/v1/sla/calendars/:id": ":calendar",
		"/api/v1/sla/policies/:id": ":policy", "/api/v1/contacts/:id/identities/:iid/reveal": ":contact",
		"/api/v1/kb/articles/:id/reply-text": ":kb-published",
		"/api/v1/kb/articles/:id":            ":kb-draft", "/api/v1/kb/articles/:id/submit": ":kb-submit",
		"/api/v1/kb/articles/:id/review": ":kb-review", "/api/v1/kb/categories/:id": ":kb-category",
		"/api/v1/kb/articles/:id/unpublish": ":kb-unpublish",
		"/api/v1/tickets/:id/complaint":     ":complaint", "/api/v1/tickets/:id/complaint/accept": ":complaint",
		"/api/v1/tickets/:id/complaint-suspicion/dismiss": ":complaint",
		"/api/v1/csat/settings/:id":                       ":team",
		"/api/v1/calls/:id/wrap-up":                       ":call",
		"/api/v1/contacts/:id/tickets":                    ":contact", "/api/v1/contacts/:id/notes": ":contact",
		"/api/v1/contact-notes/:id": ":note", "/api/v1/contacts/:id/merge-preview": ":contact",
		"/api/v1/contacts/:id/merges": ":contact", "/api/v1/contact-merges/:id/undo": ":merge",
	}
	for k, v := range qaKinds {
		kindOf[k] = v
	}

	srv := web.New(web.Options{Service: h.svc})
	walked := map[string]bool{}
	var deletes []func()
	outer := t
	for _, r := range srv.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") || !strings.Contains(r.Path, ":") {
			continue
		}
		key := r.Method + " " + r.Path
		walked[key] = true
		tc, ok := table[key]
		if !ok {
			t.Errorf("%s has no entry in the access table: say what a stranger gets", key)
			continue
		}
		idKind := kindOf[r.Path]
		if idKind == "" {
			idKind = ":ticket"
		}
		path := strings.NewReplacer(":id", ids[idKind], ":fid", ids[":followup"], ":mid", ids[":message"], ":iid", ids[":identity"]).Replace(r.Path)
		unknown := strings.NewReplacer(":id", "01J0000000000000000000NONE", ":fid", ids[":followup"], ":mid", ids[":message"]).Replace(r.Path)
		if idKind != ":ticket" {
			unknown = strings.NewReplacer(":id", "01J0000000000000000000NONE", ":iid", ids[":identity"]).Replace(r.Path)
		}
		t.Run(key, func(t *testing.T) {
			status, body := rawCall(t, h, r.Method, path, "Authorization", "Bearer "+strangerToken, tc.body)
			if status != tc.other {
				t.Fatalf("agent of another team: %d %s, want %d", status, body, tc.other)
			}
			if tc.hidden {
				_, absent := rawCall(t, h, r.Method, unknown, "Authorization", "Bearer "+strangerToken, tc.body)
				if !bytes.Equal(body, absent) {
					t.Fatalf("another team's object answers %s, an unknown one %s", body, absent)
				}
			}
			for _, cred := range [][2]string{{"Authorization", "Bearer " + customer}, {"Cookie", "huiliu_session=" + customer}} {
				if status, body := rawCall(t, h, r.Method, path, cred[0], cred[1], tc.body); status != http.StatusUnauthorized {
					t.Fatalf("customer of another ticket (%s): %d %s, want 401", cred[0], status, body)
				}
			}
			ownSecret := h.agent
			if tc.other == http.StatusForbidden {
				ownSecret = h.admin
			}
			own := func() {
				if status, body := rawCall(outer, h, r.Method, path, "Authorization", "Bearer "+ownSecret, tc.body); status != tc.own {
					outer.Errorf("%s own side: %d %s, want %d", key, status, body, tc.own)
				}
			}
			if r.Method == http.MethodDelete {
				deletes = append(deletes, own) // after every route used the object
			} else {
				own()
			}
		})
	}
	for _, own := range deletes {
		own()
	}
	for key := range table {
		if !walked[key] {
			t.Errorf("the access table names %s, which is no route", key)
		}
	}

	// The contact search answers a stranger as if nobody held the identity.
	search := "/api/v1/contacts?kind=api&value=cust-a"
	_, strangerSees := rawCall(t, h, "GET", search, "Authorization", "Bearer "+strangerToken, nil)
	_, nobody := rawCall(t, h, "GET", "/api/v1/contacts?kind=api&value=nobody", "Authorization", "Bearer "+strangerToken, nil)
	_, ownSees := rawCall(t, h, "GET", search, "Authorization", "Bearer "+h.agent, nil)
	if !bytes.Equal(strangerSees, nobody) || !strings.Contains(string(ownSees), ids[":contact"]) {
		t.Fatalf("contact search: stranger %s, unknown %s, own team %s", strangerSees, nobody, ownSees)
	}
}

// idorFixture makes one object of every kind a route names, on team A.
func idorFixture(t *testing.T, h *harness) map[string]string {
	t.Helper()
	ctx := context.Background()
	tk := h.inbound("m1", "cust-a", "team A question")
	h.moveToTeam(tk.ID, "A")
	if _, err := h.svc.Ingest(ctx, channels.Inbound{Channel: "api", ExternalID: "m2", ThreadKey: "t",
		From:        channels.Party{Kind: desk.IdentityAPI, Value: "cust-a"},
		Attachments: []channels.Attachment{{Name: "a.png", MIME: "image/png", Data: []byte("\x89PNG\r\n\x1a\n")}}}); err != nil {
		t.Fatal(err)
	}
	ms, err := h.svc.TicketMessages(ctx, h.agentA, tk.ID, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{":ticket": tk.ID, ":contact": tk.ContactID, ":agent": h.agentA.ID, ":team": h.agentA.TeamIDs[0], ":message": ms[0].ID}
	contact, err := h.db.Contact(ctx, tk.ContactID)
	if err != nil || len(contact.Identities) == 0 {
		t.Fatalf("contact of the fixture: %v %+v", err, contact)
	}
	ids[":identity"] = contact.Identities[0].ID
	ids[":complaint"] = complaintFixture(t, h)
	for _, m := range ms {
		if len(m.Attachments) > 0 {
			ids[":attachment"] = m.Attachments[0].ID
		}
	}
	var obj struct {
		ID string `json:"id"`
	}
	create := func(name, path string, body any) {
		t.Helper()
		obj.ID = ""
		if r := h.call("POST", path, h.admin, body, &obj); r.StatusCode != http.StatusCreated || obj.ID == "" {
			t.Fatalf("create %s: %d", name, r.StatusCode)
		}
		ids[name] = obj.ID
	}
	create(":followup", "/api/v1/tickets/"+tk.ID+"/followups", map[string]any{"due_at": time.Now().Add(time.Hour).Format(time.RFC3339), "note": "n"})
	create(":canned", "/api/v1/canned-replies", map[string]any{"team_id": ids[":team"], "title": "t", "text": "x"})
	create(":rule", "/api/v1/routing/rules", map[string]any{"name": "r", "team_id": ids[":team"]})
	create(":site", "/api/v1/sites", map[string]any{"name": "shop", "origins": []string{"https://shop.example.com"}})
	create(":token", "/api/v1/tokens", map[string]any{"agent_email": h.agentA.Email, "name": "crm"})
	create(":calendar", "/api/v1/sla/calendars", map[string]any{"name": "24x7", "timezone": "UTC", "always_open": true})
	create(":policy", "/api/v1/sla/policies", map[string]any{"name": "p", "calendar_id": ids[":calendar"], "first_response": "1h"})
	create(":call", "/api/v1/tickets/"+tk.ID+"/calls", map[string]any{"number": "13800138000", "direction": "in"})
	kbFixture(t, h, ids)
	qaIDFixture(t, h, ids)
	contactIDFixture(t, h, ids)
	for k, v := range ids {
		if v == "" {
			t.Fatalf("fixture %s has no id", k)
		}
	}
	return ids
}

// otherCustomerToken is the credential a customer of another ticket holds:
// a website-chat visitor token ("v1.<visitor id>.<mac>", webchat.md) for a
// site of this desk. The desk API must not take it for anything.
func otherCustomerToken(t *testing.T, h *harness) string {
	t.Helper()
	name := "other shop"
	site, err := h.svc.CreateSite(context.Background(), desk.Actor{}, desk.SiteChange{Name: &name})
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	visitor := base64.RawURLEncoding.EncodeToString(id)
	mac := hmac.New(sha256.New, []byte(site.Secret))
	mac.Write([]byte("huiliu webchat visitor v1\x00" + site.Key + "\x00" + visitor))
	return "v1." + visitor + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// rawCall sends one request with one credential header and returns the
// status and the body's bytes.
func rawCall(t *testing.T, h *harness, method, path, hdr, value string, body any) (int, []byte) {
	t.Helper()
	var raw []byte
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			t.Fatal(err)
		}
	}
	req, err := http.NewRequest(method, h.srv.URL+path, bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set(hdr, value)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}
