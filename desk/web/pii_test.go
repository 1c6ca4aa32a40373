package web_test

import (
	"strings"
	"testing"

	"huiliu/desk"
)

// Message texts in the API are masked for everyone, admins included: an
// admin sees them unmasked only by revealing one with a purpose.
func TestMessagesAPIMasksPersonalData(t *testing.T) {
	h := newHarness(t)
	tk := h.inbound("pii1", "cust-pii", "我的手机13800138000")
	for _, tt := range []struct {
		who, secret, want string
	}{
		{"agent", h.agent, "我的手机138****8000"},
		{"admin", h.admin, "我的手机138****8000"},
	} {
		var list struct {
			Messages []desk.Message `json:"messages"`
		}
		h.call("GET", "/api/v1/tickets/"+tk.ID+"/messages", tt.secret, nil, &list)
		if len(list.Messages) == 0 || list.Messages[0].Text != tt.want {
			t.Errorf("%s sees %+v, want text %q", tt.who, list.Messages, tt.want)
		}
	}
}

// The ticket page offers reveal and the unmasked export only to holders of
// pii.reveal, and the masked export to everyone.
func TestTicketPageOffersRevealToHolders(t *testing.T) {
	h := newHarness(t)
	tk := h.inbound("pii2", "cust-pii", "手机13800138000")
	h.moveToTeam(tk.ID, "A")
	for _, tt := range []struct {
		email string
		can   string
	}{{"li@example.com", "false"}, {"admin@example.com", "true"}} {
		_, body := h.page(h.signIn(tt.email), "/tickets/"+tk.ID)
		wantContains(t, body, `data-hl="pii-panel" data-can-reveal="`+tt.can+`"`, `data-hl="export-csv"`, "/static/pii.js")
		if got := strings.Contains(body, `data-hl="export-unmasked"`); got != (tt.can == "true") {
			t.Errorf("%s: unmasked export offered %t", tt.email, got)
		}
	}
}
