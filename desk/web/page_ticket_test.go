package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"huiliu/channels"
	"huiliu/desk"
)

const (
	xssName = `<script>alert(1)</script>`
	xssText = `<img src=x onerror=alert(2)>"'&`
)

// hostileTicket is a Telegram conversation whose customer name and text
// are markup, with a verified phone number linked to the contact, an
// agent's reply, an internal note and a tag.
func (h *harness) hostileTicket() desk.Ticket {
	h.t.Helper()
	ctx := context.Background()
	rc, err := h.svc.Ingest(ctx, channels.Inbound{
		Channel: "telegram", ExternalID: "bot:1", ThreadKey: "chat-42",
		From: channels.Party{Kind: "telegram", Value: "42", Name: xssName}, Text: xssText,
		Links: []channels.Party{{Kind: "phone", Value: "+8613800138000", Verified: true, Method: "telegram_contact"}},
	})
	if err != nil {
		h.t.Fatal(err)
	}
	for _, m := range []desk.PostRequest{
		{TicketID: rc.TicketID, Kind: desk.KindReply, Text: "您好 </textarea><b>bold</b>"},
		{TicketID: rc.TicketID, Kind: desk.KindNote, Text: "internal: check the contract"},
	} {
		if _, _, err := h.svc.Post(ctx, desk.AgentActor(h.agentA), m); err != nil {
			h.t.Fatal(err)
		}
	}
	if _, err := h.svc.ChangeTicket(ctx, h.agentA, rc.TicketID, desk.TicketChange{AddTags: []string{"vip"}}); err != nil {
		h.t.Fatal(err)
	}
	t, err := h.db.Ticket(ctx, rc.TicketID)
	if err != nil {
		h.t.Fatal(err)
	}
	return t
}

func TestTicketPageRendersTheTimelineAndContact(t *testing.T) {
	h := newHarness(t)
	tk := h.hostileTicket()
	c := h.signIn("li@example.com")
	resp, body := h.page(c, "/tickets/"+tk.ID)
	if resp.StatusCode != 200 {
		t.Fatalf("ticket page: %d", resp.StatusCode)
	}
	wantContains(t, body,
		`data-hl="timeline"`, `data-direction="in"`, `data-direction="out"`, `data-direction="note"`, `data-direction="system"`,
		`data-hl="reply-input"`, `data-hl="reply-send"`, `data-hl="note-toggle"`, `data-hl="assign-me"`, `data-hl="status-select"`,
		// identities: the Telegram one unverified, the linked phone verified with its method
		`data-kind="telegram" data-verified="false"`, `data-kind="phone" data-verified="true"`, "138****8000", "telegram_contact", "已验证", "未验证",
		// the first reply made li owner; her employee number is on her reply
		"首问负责人", h.agentA.EmployeeNo, "内部备注",
		// the system entry is translated from its action
		"李娜 添加了标签 vip", `data-tag="vip"`,
		// delivery state of the reply
		`data-hl="delivery" data-state="pending"`,
	)
	owner := body[strings.Index(body, `data-hl="owner"`):]
	owner = owner[:strings.Index(owner, "</div>")]
	if !strings.Contains(owner, "李娜") {
		t.Errorf("owner block %q does not name li", owner)
	}
	// Every entry carries its id, in timeline order.
	msgs, err := h.db.Messages(context.Background(), tk.ID, "", 100)
	if err != nil {
		t.Fatal(err)
	}
	last := 0
	for _, m := range msgs {
		i := strings.Index(body, `data-id="`+m.ID+`"`)
		if i < last {
			t.Fatalf("entry %s missing or out of order", m.ID)
		}
		last = i
	}
	// English on request.
	_, body = h.page(c, "/tickets/"+tk.ID, "Accept-Language", "en")
	wantContains(t, body, "李娜 added the tag vip", "Owner (first contact)", "Not verified", "Verified")
}

func TestTicketPageEscapesCustomerText(t *testing.T) {
	h := newHarness(t)
	tk := h.hostileTicket()
	c := h.signIn("li@example.com")
	_, body := h.page(c, "/tickets/"+tk.ID)
	wantLacks(t, body, xssName, "<img src=x", "<b>bold</b>", "</textarea><b>")
	wantContains(t, body, "&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt;", "&lt;/textarea&gt;&lt;b&gt;bold&lt;/b&gt;")
	// The contact's name also travels to the script as JSON, escaped so it
	// cannot end the data block.
	block := body[strings.Index(body, `id="hl-page"`):]
	block = block[:strings.Index(block, "</script>")]
	if strings.Contains(block, "<") {
		t.Errorf("page data holds a raw '<': %.300s", block)
	}
	// The inbox shows the same name and preview escaped.
	_, inbox := h.page(c, "/inbox")
	wantLacks(t, inbox, xssName, "<img src=x")
	wantContains(t, inbox, "&lt;script&gt;alert(1)&lt;/script&gt;")
}

func TestTicketPageHonoursVisibility(t *testing.T) {
	h := newHarness(t)
	tk := h.inbound("m1", "c1", "team B only")
	h.moveToTeam(tk.ID, "B")
	c := h.signIn("li@example.com")
	resp, body := h.page(c, "/tickets/"+tk.ID)
	if resp.StatusCode != http.StatusNotFound || strings.Contains(body, "team B only") {
		t.Fatalf("another team's ticket: %d", resp.StatusCode)
	}
	if resp, _ := h.page(c, "/tickets/nope"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown ticket: %d", resp.StatusCode)
	}
}

func TestTicketHeadFragment(t *testing.T) {
	h := newHarness(t)
	tk := h.hostileTicket()
	c := h.signIn("li@example.com")
	resp, body := h.page(c, "/tickets/"+tk.ID+"?fragment=head")
	if resp.StatusCode != 200 {
		t.Fatalf("head fragment: %d", resp.StatusCode)
	}
	wantContains(t, body, `data-hl="ticket-header"`, `data-hl="contact"`, `data-verified="true"`)
	wantLacks(t, body, "<html", `data-hl="timeline"`, xssName)
}

func TestAdminPagesNeedTheirRoles(t *testing.T) {
	h := newHarness(t)
	h.createAgent("sup@example.com", "Sup", desk.RoleSupervisor)
	agent, sup := h.signIn("li@example.com"), h.signIn("sup@example.com")
	for _, c := range []struct {
		who  string
		c    *http.Client
		path string
		want int
	}{
		{"agent", agent, "/admin/canned", 403},
		{"agent", agent, "/admin/sites", 403},
		{"supervisor", sup, "/admin/canned", 200},
		{"supervisor", sup, "/admin/sites", 403},
	} {
		if resp, _ := h.page(c.c, c.path); resp.StatusCode != c.want {
			t.Errorf("%s %s: %d, want %d", c.who, c.path, resp.StatusCode, c.want)
		}
	}
	h.createAgent("root@example.com", "Root", desk.RoleAdmin)
	_, body := h.page(h.signIn("root@example.com"), "/admin/sites")
	wantContains(t, body, `data-hl="site-form"`, `data-origin="`+h.srv.URL+`"`, "/static/admin.js?v=")
}

// An anonymous website visitor is "访客 <start of id>" everywhere, and a
// host-signed customer number shows as a translated system entry.
func TestAnonymousVisitorAndIdentityEntry(t *testing.T) {
	h := newHarness(t)
	rc, err := h.svc.Ingest(context.Background(), channels.Inbound{
		Channel: "webchat", ExternalID: "Xq7pLm2vRt9sKw:c1", ThreadKey: "s_site",
		From: channels.Party{Kind: "webchat", Value: "Xq7pLm2vRt9sKw"}, Text: "在吗？",
		Links: []channels.Party{{Kind: "customer_no", Value: "C10023", Verified: true, Method: "site_signature"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	c := h.signIn("li@example.com")
	_, body := h.page(c, "/tickets/"+rc.TicketID)
	wantContains(t, body, `data-hl="contact-name">访客 Xq7pLm<`, "身份已验证：客户号 C10023（网站签名）")
	_, body = h.page(c, "/inbox?view=unassigned", "Accept-Language", "en")
	if !strings.Contains(body, "访客 Xq7pLm") && !strings.Contains(body, "Visitor Xq7pLm") {
		t.Fatalf("inbox does not label the visitor:\n%s", body)
	}
}
