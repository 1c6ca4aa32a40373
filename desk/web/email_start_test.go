package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/desk/web"
)

// fakeMailboxes stands in for cmd/huiliu's directory over the email
// channel (a unit-test double; the real one is tested in channels/email).
type fakeMailboxes struct{}

func (fakeMailboxes) Mailboxes(context.Context) ([]desk.MailboxInfo, error) {
	return []desk.MailboxInfo{
		{Name: "support", Address: "support@example.com", DisplayName: "客服", Source: "config", IMAP: "imap.example.com:993 (tls)", SMTP: "smtp.example.com:465 (tls)",
			State: desk.MailboxState{Name: "support", State: desk.MailboxFailing, Error: "login as support@example.com refused"}},
		{Name: "old", Address: "old@example.com", Source: "config", Disabled: true},
	}, nil
}

func (fakeMailboxes) TestMailbox(_ context.Context, name string) (desk.MailboxTest, error) {
	if name != "support" {
		return desk.MailboxTest{}, desk.Errorf(desk.CodeNotFound, "mailbox not found")
	}
	return desk.MailboxTest{IMAPOK: false, IMAP: "login refused", SMTPOK: true}, nil
}

func (fakeMailboxes) SaveMailbox(_ context.Context, in desk.MailboxInput) error {
	if in.Name == "support" {
		return desk.Errorf(desk.CodeConflict, "mailbox %q is set in the configuration file; change it there", in.Name)
	}
	return nil
}

// withMailboxes serves the harness's desk with a mailbox directory.
func (h *harness) withMailboxes() string {
	h.t.Helper()
	svc := desk.NewService(desk.Options{Store: h.db, Events: h.bus, Mailboxes: fakeMailboxes{}})
	srv := httptest.NewServer(web.New(web.Options{Service: svc, Events: h.bus}))
	h.t.Cleanup(srv.Close)
	return srv.URL
}

func TestStartEmail(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	base := h.withMailboxes()
	orig := h.srv.URL
	h.srv.URL = base
	defer func() { h.srv.URL = orig }()

	var out struct {
		Ticket  desk.Ticket  `json:"ticket"`
		Message desk.Message `json:"message"`
	}
	body := map[string]any{"address": "Chen <chen@example.org>", "name": "陈先生", "subject": "您的还款计划", "cc": "boss@example.org", "text": "陈先生您好，附上还款计划。"}
	if r := h.call("POST", "/api/v1/emails", h.agent, body, &out, "Idempotency-Key", "k1"); r.StatusCode != http.StatusCreated {
		t.Fatalf("start email: %d", r.StatusCode)
	}
	tk := out.Ticket
	if tk.Channel != "email" || tk.OwnerID != h.agentA.ID || tk.AssigneeID != h.agentA.ID || tk.Status != desk.StatusPending || tk.Subject != "您的还款计划" {
		t.Fatalf("ticket %+v", tk)
	}
	m, err := h.db.Message(ctx, out.Message.ID)
	if err != nil {
		t.Fatal(err)
	}
	if e := m.Email; m.Direction != desk.DirOut || m.Delivery != desk.DeliveryPending || e == nil || e.Subject != "您的还款计划" ||
		e.Mailbox != "support" || len(e.Cc) != 1 || e.Cc[0].Value != "boss@example.org" || len(e.To) != 1 || e.To[0].Value != "chen@example.org" {
		t.Fatalf("message %+v header %+v", m, m.Email)
	}
	ident, err := h.db.IdentityByValue(ctx, "email", "chen@example.org")
	if err != nil || ident.VerifiedAt != nil || ident.ContactID != tk.ContactID || ident.ID != tk.IdentityID {
		t.Fatalf("identity %+v, %v", ident, err)
	}
	items, err := h.db.ClaimOutbox(ctx, time.Now().Add(time.Minute), time.Minute, 10)
	if err != nil || len(items) != 1 || items[0].MessageID != m.ID || items[0].Channel != "email" {
		t.Fatalf("outbox %+v, %v", items, err)
	}

	// A retry returns the same ticket; nothing is created twice.
	var again struct {
		Ticket desk.Ticket `json:"ticket"`
	}
	if r := h.call("POST", "/api/v1/emails", h.agent, body, &again, "Idempotency-Key", "k1"); r.StatusCode != http.StatusOK || again.Ticket.ID != tk.ID {
		t.Fatalf("retry: %d %s", r.StatusCode, again.Ticket.ID)
	}

	// To a contact on record: the address comes from the contact.
	var second struct {
		Ticket desk.Ticket `json:"ticket"`
	}
	if r := h.call("POST", "/api/v1/emails", h.agent, map[string]any{"contact_id": tk.ContactID, "subject": "补充", "text": "还有一件事"}, &second); r.StatusCode != http.StatusCreated || second.Ticket.IdentityID != tk.IdentityID {
		t.Fatalf("to the contact: %d %+v", r.StatusCode, second.Ticket)
	}

	// Another team's customer is not there for a stranger.
	other := h.inbound("m-other", "cust-b", "hi")
	h.moveToTeam(other.ID, "A")
	stranger := h.createAgent("zhao@example.com", "赵六", desk.RoleAgent, "B")
	_, strangerToken, err := h.svc.CreateToken(ctx, desk.Actor{}, stranger.Email, "tests")
	if err != nil {
		t.Fatal(err)
	}
	var e1, e2 apiError
	r1 := h.call("POST", "/api/v1/emails", strangerToken, map[string]any{"contact_id": other.ContactID, "address": "x@example.org", "subject": "s", "text": "t"}, &e1)
	r2 := h.call("POST", "/api/v1/emails", strangerToken, map[string]any{"contact_id": "01J0000000000000000000NONE", "address": "x@example.org", "subject": "s", "text": "t"}, &e2)
	if r1.StatusCode != http.StatusNotFound || r2.StatusCode != http.StatusNotFound || e1 != e2 {
		t.Fatalf("stranger: %d %+v vs unknown %d %+v", r1.StatusCode, e1, r2.StatusCode, e2)
	}

	for name, b := range map[string]map[string]any{
		"no subject":      {"address": "a@example.org", "text": "t"},
		"CR/LF subject":   {"address": "a@example.org", "subject": "a\r\nBcc: x@example.org", "text": "t"},
		"not an address":  {"address": "nobody", "subject": "s", "text": "t"},
		"CR/LF address":   {"address": "a@example.org\r\nBcc: x@example.org", "subject": "s", "text": "t"},
		"no text":         {"address": "a@example.org", "subject": "s"},
		"unknown mailbox": {"address": "a@example.org", "subject": "s", "text": "t", "mailbox": "nope"},
		"disabled":        {"address": "a@example.org", "subject": "s", "text": "t", "mailbox": "old"},
	} {
		if r := h.call("POST", "/api/v1/emails", h.agent, b, nil); r.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d", name, r.StatusCode)
		}
	}

	// Without mailboxes the desk says so.
	h.srv.URL = orig
	var e apiError
	if r := h.call("POST", "/api/v1/emails", h.agent, map[string]any{"address": "a@example.org", "subject": "s", "text": "t"}, &e); r.StatusCode != http.StatusBadRequest || !strings.Contains(e.Error.Message, "no email mailbox") {
		t.Fatalf("no mailboxes: %d %+v", r.StatusCode, e)
	}
}

func TestMailboxesForAgentsAndAdmins(t *testing.T) {
	h := newHarness(t)
	base := h.withMailboxes()
	h.srv.URL = base
	var list struct {
		Mailboxes []desk.MailboxInfo `json:"mailboxes"`
	}
	h.call("GET", "/api/v1/mailboxes", h.agent, nil, &list)
	if len(list.Mailboxes) != 1 || list.Mailboxes[0].Name != "support" || list.Mailboxes[0].IMAP != "" || list.Mailboxes[0].State.Error != "" {
		t.Fatalf("an agent sees %+v", list.Mailboxes)
	}
	h.call("GET", "/api/v1/mailboxes", h.admin, nil, &list)
	if len(list.Mailboxes) != 2 || list.Mailboxes[0].State.State != desk.MailboxFailing {
		t.Fatalf("an admin sees %+v", list.Mailboxes)
	}
	if r := h.call("POST", "/api/v1/mailboxes/support/test", h.agent, nil, nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("agent test: %d", r.StatusCode)
	}
	var res desk.MailboxTest
	if r := h.call("POST", "/api/v1/mailboxes/support/test", h.admin, nil, &res); r.StatusCode != http.StatusOK || res.IMAPOK || res.IMAP != "login refused" || !res.SMTPOK {
		t.Fatalf("admin test: %d %+v", r.StatusCode, res)
	}
	if r := h.call("POST", "/api/v1/mailboxes/nope/test", h.admin, nil, nil); r.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown mailbox test: %d", r.StatusCode)
	}

	save := map[string]any{"name": "sales", "address": "sales@example.com", "imap_host": "imap.example.com", "smtp_host": "smtp.example.com", "imap_password": "secret"}
	if r := h.call("POST", "/api/v1/mailboxes", h.agent, save, nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("agent saves a mailbox: %d", r.StatusCode)
	}
	if r := h.call("POST", "/api/v1/mailboxes", h.admin, save, nil); r.StatusCode != http.StatusNoContent {
		t.Fatalf("admin saves a mailbox: %d", r.StatusCode)
	}
	save["name"] = "support"
	if r := h.call("POST", "/api/v1/mailboxes", h.admin, save, nil); r.StatusCode != http.StatusConflict {
		t.Fatalf("admin changes a file mailbox: %d", r.StatusCode)
	}
	save["name"], save["smtp_host"] = "sales", "smtp.example.com\r\nX: y"
	if r := h.call("POST", "/api/v1/mailboxes", h.admin, save, nil); r.StatusCode != http.StatusBadRequest {
		t.Fatalf("a line break in a mailbox field: %d", r.StatusCode)
	}

	admin := h.signIn("admin@example.com")
	if resp, body := h.page(admin, "/admin/mailboxes"); resp.StatusCode != http.StatusOK ||
		!strings.Contains(body, "login as support@example.com refused") || !strings.Contains(body, `data-hl="mailbox-test"`) || !strings.Contains(body, "imap.example.com:993") {
		t.Fatalf("admin page: %d", resp.StatusCode)
	}
	agent := h.signIn("li@example.com")
	if resp, _ := h.page(agent, "/admin/mailboxes"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("admin page for an agent: %d", resp.StatusCode)
	}
	if resp, body := h.page(agent, "/email/new"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "support@example.com") || strings.Contains(body, "old@example.com") {
		t.Fatalf("new email page: %d", resp.StatusCode)
	}
}
