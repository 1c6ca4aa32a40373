package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"huiliu/bot"
	"huiliu/channels"
	"huiliu/desk"
	"huiliu/desk/web"
	"huiliu/queue"
)

// The personal data the fixture puts into a ticket's subject, text and the
// contact's identities, and the digits of each that a mask never keeps.
var piiRaw = map[string]string{
	"id number": "110101199003071233",
	"bank card": "6222020200001234562",
	"mobile":    "13800138000",
	"email":     "zhang.san@example.com",
}

// piiText is every piece of personal data of the fixture in one text.
func piiText() string {
	return "身份证 " + piiRaw["id number"] + "，卡号 " + piiRaw["bank card"] + "，手机 " + piiRaw["mobile"] + "，邮箱 " + piiRaw["email"]
}

var piiTell = []string{"1990030", "62220202000", "0013", "zhang.san@"}

func leaks(body string) []string {
	var out []string
	for _, v := range piiTell {
		if strings.Contains(body, v) {
			out = append(out, v)
		}
	}
	return out
}

// piiTicket is a ticket of team A carrying every kind of personal data in
// its subject, a message, an attachment name and verified identities.
func piiTicket(t *testing.T, h *harness) (desk.Ticket, desk.Message) {
	t.Helper()
	ctx := context.Background()
	raw := piiText()
	rc, err := h.svc.Ingest(ctx, channels.Inbound{Channel: "api", ExternalID: "pii-1", ThreadKey: "t",
		From: channels.Party{Kind: desk.IdentityAPI, Value: "cust-pii", Name: "张三 " + piiRaw["mobile"]}, Text: raw,
		Attachments: []channels.Attachment{{Name: "card-" + piiRaw["bank card"] + ".png", MIME: "image/png", Data: []byte("\x89PNG\r\n\x1a\n")}},
		Links: []channels.Party{{Kind: desk.IdentityPhone, Value: piiRaw["mobile"], Verified: true, Method: "site_identity"},
			{Kind: desk.IdentityEmail, Value: piiRaw["email"], Verified: true, Method: "site_identity"}}})
	if err != nil {
		t.Fatal(err)
	}
	h.moveToTeam(rc.TicketID, "A")
	// The bot quoted the customer and collected a field (the bot panel).
	if err := h.db.InsertBotDecisions(ctx, []bot.Decision{{ID: desk.NewID(), TicketID: rc.TicketID, Channel: "api", Kind: bot.KindHandoff,
		Text: raw, Detail: bot.Detail{Flow: "complaint", Fields: map[string]string{"what": raw}}, CreatedAt: time.Now()}}); err != nil {
		t.Fatal(err)
	}
	tk, err := h.db.Ticket(ctx, rc.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	m, err := h.db.Message(ctx, rc.MessageID)
	if err != nil || m.Text != raw {
		t.Fatalf("stored text changed: %v %q", err, m.Text)
	}
	return tk, m
}

// TestNoRouteShowsRawPersonalData walks every GET route of the desk — API
// and pages — as a plain agent and as the admin, and requires that no
// response carries the ticket's personal data unmasked. A new GET route
// with a parameter fails until it is listed here. Only the reveal routes
// and an export with a purpose give it back, to holders of pii.reveal.
func TestNoRouteShowsRawPersonalData(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	sub, cancel := context.WithCancel(ctx)
	defer cancel()
	live, err := h.bus.Subscribe(sub, desk.StreamDesk, queue.Live)
	if err != nil {
		t.Fatal(err)
	}
	tk, m := piiTicket(t, h)
	if _, _, err := h.svc.Post(ctx, desk.AgentActor(h.agentA), desk.PostRequest{TicketID: tk.ID, Kind: desk.KindReply, Text: "收到"}); err != nil {
		t.Fatal(err)
	}

	// Live events carry the ticket and message masked (and so does Redis).
	for n := 0; n < 3; n++ {
		select {
		case e := <-live:
			if l := leaks(string(e.Data)); l != nil {
				t.Errorf("live event %s carries %v", e.Data, l)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("no live event")
		}
	}

	// A survey answered with personal data in its comment: the timeline
	// entry and the survey API mask it like messages.
	if _, err := h.svc.ChangeTicket(ctx, h.agentA, tk.ID, desk.TicketChange{Status: ptr(desk.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
	surveyToken := h.surveyToken(tk.ID, 0)
	if _, err := h.csat.Answer(ctx, surveyToken, 5, "回电 "+piiRaw["mobile"]+" 卡 "+piiRaw["bank card"]); err != nil {
		t.Fatal(err)
	}
	var phoneID string
	c, err := h.db.Contact(ctx, tk.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range c.Identities {
		if id.Kind == desk.IdentityPhone {
			phoneID = id.ID
		}
	}
	params := map[string]string{
		"/api/v1/tickets/:id": tk.ID, "/api/v1/tickets/:id/messages": tk.ID, "/api/v1/tickets/:id/sla": tk.ID,
		"/api/v1/tickets/:id/export": tk.ID, "/api/v1/contacts/:id": tk.ContactID, "/tickets/:id": tk.ID,
		"/api/v1/routing/agents/:id": h.agentA.ID, "/api/v1/tickets/:id/facts": tk.ID,
		"/desk/messages/:id/entry": m.ID, "/desk/messages/:id/html": m.ID,
		"/api/v1/tickets/:id/verification": tk.ID, "/api/v1/tickets/:id/kb-suggestions": tk.ID,
		"/api/v1/tickets/:id/complaint": tk.ID, "/tickets/:id/complaint": tk.ID,
		"/api/v1/tickets/:id/survey":   tk.ID,
		"/api/v1/tickets/:id/bot":      tk.ID,
		"/desk/recordings/:id":         "no-such-call",
		"/api/v1/contacts/:id/tickets": tk.ContactID, "/api/v1/contacts/:id/notes": tk.ContactID,
		"/api/v1/contacts/:id/merge-preview": tk.ContactID, "/api/v1/contacts/:id/merges": tk.ContactID,
	}
	// A note about the customer that quotes their data.
	if _, err := h.svc.AddContactNote(ctx, desk.AgentActor(h.agentA), tk.ContactID, "客户说 "+piiText()); err != nil {
		t.Fatal(err)
	}
	for k, v := range qaPIIFixture(t, h, tk.ID) {
		params[k] = v
	}
	// Routes that show no customer data, or stream, or are not pages.
	skip := map[string]bool{"/static/*": true, "/desk/ws": true, "/api/v1/events": true, "/api/v1/attachments/:id": true,
		// Knowledge-base articles hold no customer's data (a reply made
		// into a draft is masked when the draft is made, kbdesk's tests).
		"/api/v1/kb/articles/:id/reply-text": true, "/kb/articles/:id": true, "/kb/articles/:id/versions/:v": true,
		// Walked with its real token below.
		"/survey/:token": true}
	extra := []string{
		"/api/v1/tickets?q=" + piiRaw["mobile"], "/api/v1/tickets/" + tk.ID + "/export?format=json",
		"/api/v1/contacts?kind=phone&value=" + piiRaw["mobile"], "/api/v1/contacts?kind=email&value=" + url.QueryEscape(piiRaw["email"]),
		"/inbox?view=all", "/survey/" + surveyToken,
		"/api/v1/contacts?q=" + piiRaw["mobile"], "/api/v1/contacts/" + tk.ContactID + "/merge-preview?from=" + tk.ContactID,
		"/tickets/" + tk.ID + "?fragment=people",
	}
	srv := web.New(web.Options{Service: h.svc})
	var paths []string
	for _, r := range srv.Routes() {
		if r.Method != http.MethodGet || skip[r.Path] {
			continue
		}
		p := r.Path
		if strings.Contains(p, ":") {
			id, ok := params[p]
			if !ok {
				t.Errorf("GET %s is not in the personal-data walk: give it an id", p)
				continue
			}
			p = strings.Replace(p, ":id", id, 1)
		}
		paths = append(paths, p)
	}
	paths = append(paths, extra...)

	for _, who := range []struct{ email, secret string }{{"li@example.com", h.agent}, {"admin@example.com", h.admin}} {
		browser := h.signIn(who.email)
		for _, p := range paths {
			var status int
			var body string
			if strings.HasPrefix(p, "/api/") {
				s, b := rawCall(t, h, "GET", p, "Authorization", "Bearer "+who.secret, nil)
				status, body = s, string(b)
			} else {
				resp, b := h.page(browser, p)
				status, body = resp.StatusCode, b
			}
			if l := leaks(body); l != nil {
				t.Errorf("%s: GET %s (%d) shows %v", who.email, p, status, l)
			}
		}
	}

	// A file's download name is masked like the timeline lists it.
	files, err := h.db.Attachments(ctx, tk.ID)
	if err != nil || len(files) != 1 {
		t.Fatalf("fixture files: %v %+v", err, files)
	}
	req, _ := http.NewRequest("GET", h.srv.URL+"/api/v1/attachments/"+files[0].ID, nil)
	req.Header.Set("Authorization", "Bearer "+h.admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if cd := resp.Header.Get("Content-Disposition"); resp.StatusCode != http.StatusOK || leaks(cd) != nil || !strings.Contains(cd, "4562") {
		t.Errorf("attachment download: %d %q", resp.StatusCode, cd)
	}

	// The ticket page and the API did show the masked forms.
	_, page := h.page(h.signIn("li@example.com"), "/tickets/"+tk.ID)
	wantContains(t, page, "138****8000", "z***@example.com", "1101**********1233", "客户说 身份证 1101**********1233")

	reveal := map[string]any{"purpose": "客户来电核对身份"}
	msgPath := "/api/v1/tickets/" + tk.ID + "/messages/" + m.ID + "/reveal"
	idPath := "/api/v1/contacts/" + tk.ContactID + "/identities/" + phoneID + "/reveal"
	exportPath := "/api/v1/tickets/" + tk.ID + "/export?format=csv&purpose=" + url.QueryEscape("投诉复核")
	// A plain agent may not reveal, with or without a purpose.
	for _, p := range []string{msgPath, idPath} {
		if status, body := rawCall(t, h, "POST", p, "Authorization", "Bearer "+h.agent, reveal); status != http.StatusForbidden || leaks(string(body)) != nil {
			t.Errorf("agent reveals %s: %d %s", p, status, body)
		}
	}
	if status, body := rawCall(t, h, "GET", exportPath, "Authorization", "Bearer "+h.agent, nil); status != http.StatusForbidden || leaks(string(body)) != nil {
		t.Errorf("agent exports unmasked: %d %s", status, body)
	}
	// The admin reveals with a purpose, never without.
	if status, _ := rawCall(t, h, "POST", msgPath, "Authorization", "Bearer "+h.admin, map[string]any{"purpose": " "}); status != http.StatusBadRequest {
		t.Errorf("reveal without a purpose: %d", status)
	}
	for p, want := range map[string]string{msgPath: piiRaw["id number"], idPath: piiRaw["mobile"]} {
		if status, body := rawCall(t, h, "POST", p, "Authorization", "Bearer "+h.admin, reveal); status != http.StatusOK || !strings.Contains(string(body), want) {
			t.Errorf("admin reveals %s: %d %s", p, status, body)
		}
	}
	if status, body := rawCall(t, h, "GET", exportPath, "Authorization", "Bearer "+h.admin, nil); status != http.StatusOK || !strings.Contains(string(body), piiRaw["bank card"]) {
		t.Errorf("admin exports with a purpose: %d %s", status, body)
	}
	// A granted agent may reveal too.
	if r := h.call("PATCH", "/api/v1/agents/"+h.agentA.ID, h.admin, map[string]any{"permissions": []string{desk.PermPIIReveal}}, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("grant pii.reveal: %d", r.StatusCode)
	}
	if status, body := rawCall(t, h, "POST", msgPath, "Authorization", "Bearer "+h.agent, reveal); status != http.StatusOK || !strings.Contains(string(body), piiRaw["email"]) {
		t.Errorf("granted agent reveals: %d %s", status, body)
	}
	// Each revelation is in the audit log with its purpose.
	var audit struct {
		Entries []desk.AuditEntry `json:"entries"`
	}
	h.call("GET", "/api/v1/audit", h.admin, nil, &audit)
	n := 0
	for _, e := range audit.Entries {
		if e.Action == desk.AuditPIIReveal {
			n++
			if !strings.Contains(e.Detail, "客户来电核对身份") && !strings.Contains(e.Detail, "投诉复核") {
				t.Errorf("reveal audited without its purpose: %+v", e)
			}
		}
	}
	if n != 4 {
		t.Errorf("%d pii.reveal audit entries, want 4: %+v", n, audit.Entries)
	}
}
