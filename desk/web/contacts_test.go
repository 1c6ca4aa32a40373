package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"huiliu/channels"
	"huiliu/desk"
)

// verifiedCustomer is a customer of team A who proved a phone number.
func verifiedCustomer(t *testing.T, h *harness, ext, from, phone string) desk.Ticket {
	t.Helper()
	rc, err := h.svc.Ingest(context.Background(), channels.Inbound{Channel: "api", ExternalID: ext, ThreadKey: "t",
		From: channels.Party{Kind: desk.IdentityAPI, Value: from, Name: from}, Text: "hello",
		Links: []channels.Party{{Kind: desk.IdentityPhone, Value: phone, Verified: true, Method: "site_identity"}}})
	if err != nil {
		t.Fatal(err)
	}
	h.moveToTeam(rc.TicketID, "A")
	tk, err := h.db.Ticket(context.Background(), rc.TicketID)
	if err != nil {
		t.Fatal(err)
	}
	return tk
}

// contactIDFixture adds a note of agent A's and a merge agent A made, on
// team A's customers, for the access table.
func contactIDFixture(t *testing.T, h *harness, ids map[string]string) {
	t.Helper()
	ctx := context.Background()
	n, err := h.svc.AddContactNote(ctx, desk.AgentActor(h.agentA), ids[":contact"], "prefers mornings")
	if err != nil {
		t.Fatal(err)
	}
	ids[":note"] = n.ID
	keep := verifiedCustomer(t, h, "merge-1", "cust-keep", "+8613700137001")
	gone := verifiedCustomer(t, h, "merge-2", "cust-gone", "+8613700137002")
	m, err := h.svc.MergeContactsByHand(ctx, desk.AgentActor(h.agentA), keep.ContactID, gone.ContactID)
	if err != nil {
		t.Fatal(err)
	}
	ids[":merge"] = m.ID
}

// TestMergeRefusalIsExplainedInTheReadersLanguage: the preview says why a
// merge would be refused, and the merge itself is refused with the same
// words, in Chinese and English.
func TestMergeRefusalIsExplainedInTheReadersLanguage(t *testing.T) {
	h := newHarness(t)
	keep := verifiedCustomer(t, h, "m-1", "cust-keep", "+8613700137001")
	anon := h.inbound("m-2", "cust-anon", "hi")
	h.moveToTeam(anon.ID, "A")
	preview := "/api/v1/contacts/" + keep.ContactID + "/merge-preview?from=" + anon.ContactID
	merge := "/api/v1/contacts/" + keep.ContactID + "/merges"
	for lang, want := range map[string]string{"zh-CN": "对方客户没有已验证的身份", "en": "The other customer has no verified identity"} {
		var r struct {
			Refusal struct{ Message string } `json:"refusal"`
		}
		resp := h.call("GET", preview, h.agent, nil, &r, "Accept-Language", lang)
		if resp.StatusCode != http.StatusOK || !strings.Contains(r.Refusal.Message, want) {
			t.Errorf("%s preview: %d %+v", lang, resp.StatusCode, r)
		}
		var e apiError
		resp = h.call("POST", merge, h.agent, map[string]any{"from_id": anon.ContactID}, &e, "Accept-Language", lang)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(e.Error.Message, want) {
			t.Errorf("%s merge: %d %+v", lang, resp.StatusCode, e)
		}
	}
	if c, _ := h.db.Contact(context.Background(), anon.ContactID); c.MergedInto != "" {
		t.Fatal("a refused merge merged")
	}
}
