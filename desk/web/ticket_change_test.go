package web_test

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"huiliu/desk"
)

func TestChangeTicketOverTheAPI(t *testing.T) {
	h := newHarness(t)
	tk := h.inbound("x1", "cust-1", "我要投诉")
	var got desk.Ticket
	resp := h.call("PATCH", "/api/v1/tickets/"+tk.ID, h.agent, map[string]any{
		"assignee_id": "me", "status": "pending", "add_tags": []string{"投诉"}, "priority": "urgent", "category": "还款"}, &got)
	if resp.StatusCode != http.StatusOK || got.AssigneeID != h.agentA.ID || got.Status != desk.StatusPending ||
		got.Priority != desk.PriorityUrgent || !slices.Equal(got.Tags, []string{"投诉"}) || got.Category != "还款" {
		t.Fatalf("PATCH = %d %+v", resp.StatusCode, got)
	}
	var page desk.TicketPage
	h.call("GET", "/api/v1/tickets?tag=投诉", h.agent, nil, &page)
	if len(page.Tickets) != 1 || page.Tickets[0].ID != tk.ID {
		t.Fatalf("tag filter: %+v", page)
	}
	h.call("GET", "/api/v1/tickets?category=还款", h.agent, nil, &page)
	if len(page.Tickets) != 1 {
		t.Fatalf("category filter: %+v", page)
	}
	h.call("GET", "/api/v1/tickets?unassigned=true", h.agent, nil, &page)
	if len(page.Tickets) != 0 {
		t.Fatalf("unassigned filter found %d", len(page.Tickets))
	}
	var counts desk.InboxCounts
	if resp := h.call("GET", "/api/v1/tickets/counts", h.agent, nil, &counts); resp.StatusCode != http.StatusOK || counts.Mine != 1 || counts.Pending != 1 {
		t.Fatalf("counts %d %+v", resp.StatusCode, counts)
	}
	var list struct{ Messages []desk.Message }
	h.call("GET", "/api/v1/tickets/"+tk.ID+"/messages", h.agent, nil, &list)
	n := 0
	for _, m := range list.Messages {
		if m.Direction == desk.DirSystem && m.Event != nil {
			n++
		}
	}
	if n != 5 {
		t.Fatalf("%d system entries, want 5: %+v", n, list.Messages)
	}
	var e apiError
	if resp := h.call("PATCH", "/api/v1/tickets/"+tk.ID, h.agent, map[string]any{"status": "bogus"}, &e); resp.StatusCode != http.StatusBadRequest || e.Error.Code != "invalid" {
		t.Fatalf("bad status = %d %+v", resp.StatusCode, e)
	}
	if resp := h.call("PATCH", "/api/v1/tickets/"+tk.ID, h.agent, map[string]any{"colour": "red"}, &e); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("unknown field = %d", resp.StatusCode)
	}
}

func TestCannedRepliesAndSitesOverTheAPI(t *testing.T) {
	h := newHarness(t)
	var cr desk.CannedReply
	if resp := h.call("POST", "/api/v1/canned-replies", h.admin, map[string]any{"title": "问候", "text": "您好！"}, &cr); resp.StatusCode != http.StatusCreated || cr.ID == "" {
		t.Fatalf("create canned = %d %+v", resp.StatusCode, cr)
	}
	if resp := h.call("POST", "/api/v1/canned-replies", h.agent, map[string]any{"title": "x", "text": "y"}, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("agent creating canned = %d", resp.StatusCode)
	}
	var list struct {
		CannedReplies []desk.CannedReply `json:"canned_replies"`
	}
	if h.call("GET", "/api/v1/canned-replies", h.agent, nil, &list); len(list.CannedReplies) != 1 || list.CannedReplies[0].Text != "您好！" {
		t.Fatalf("agent sees %+v", list)
	}
	if resp := h.call("DELETE", "/api/v1/canned-replies/"+cr.ID, h.admin, nil, nil); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete = %d", resp.StatusCode)
	}

	var site desk.Site
	resp := h.call("POST", "/api/v1/sites", h.admin, map[string]any{"name": "商城", "origins": []string{"https://shop.example.com"}}, &site)
	if resp.StatusCode != http.StatusCreated || site.Key == "" || site.Secret != "" {
		t.Fatalf("create site = %d %+v (the secret is shown only when revealed)", resp.StatusCode, site)
	}
	var revealed desk.Site
	if resp := h.call("POST", "/api/v1/sites/"+site.ID+"/secret", h.admin, nil, &revealed); resp.StatusCode != http.StatusOK || len(revealed.Secret) < 16 {
		t.Fatalf("reveal = %d %+v", resp.StatusCode, revealed)
	}
	if resp := h.call("GET", "/api/v1/sites", h.agent, nil, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("agent listing sites = %d", resp.StatusCode)
	}
	var changed desk.Site
	if resp := h.call("PATCH", "/api/v1/sites/"+site.ID, h.admin, map[string]any{"greeting": "欢迎", "rotate_secret": true}, &changed); resp.StatusCode != http.StatusOK ||
		changed.Greeting != "欢迎" || changed.Secret != "" || changed.PreviousUntil.Sub(changed.UpdatedAt) != 24*time.Hour {
		t.Fatalf("change site = %d %+v (old secret valid 24 h by default)", resp.StatusCode, changed)
	}
	var rotated desk.Site
	if h.call("POST", "/api/v1/sites/"+site.ID+"/secret", h.admin, nil, &rotated); rotated.Secret == "" || rotated.Secret == revealed.Secret {
		t.Fatalf("after rotation the secret is %q (was %q)", rotated.Secret, revealed.Secret)
	}
	var cut desk.Site
	if resp := h.call("PATCH", "/api/v1/sites/"+site.ID, h.admin, map[string]any{"rotate_secret": true, "grace_hours": 0}, &cut); resp.StatusCode != http.StatusOK ||
		!cut.PreviousUntil.IsZero() {
		t.Fatalf("rotation without grace = %d %+v", resp.StatusCode, cut)
	}
	if resp := h.call("PATCH", "/api/v1/sites/"+site.ID, h.admin, map[string]any{"rotate_secret": true, "grace_hours": 1000}, nil); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a grace of 1000 hours = %d", resp.StatusCode)
	}
	if resp := h.call("POST", "/api/v1/sites/"+site.ID+"/secret", h.agent, nil, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("an agent revealing = %d", resp.StatusCode)
	}
	var audit struct {
		Entries []struct{ Action string } `json:"entries"`
	}
	h.call("GET", "/api/v1/audit", h.admin, nil, &audit)
	reveals := 0
	for _, e := range audit.Entries {
		if e.Action == "site.secret_reveal" {
			reveals++
		}
	}
	if reveals != 2 {
		t.Fatalf("%d reveals audited, want 2: %+v", reveals, audit.Entries)
	}
	var e apiError
	if resp := h.call("PATCH", "/api/v1/sites/"+site.ID, h.admin, map[string]any{"origins": []string{"javascript:alert(1)"}}, &e); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad origin = %d %+v", resp.StatusCode, e)
	}
}
