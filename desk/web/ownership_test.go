package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"huiliu/desk"
)

// handedOff is a ticket that 赵<i>敏</i> (a name that must be escaped)
// answered first and the admin then moved to team B.
func handedOff(t *testing.T, h *harness) (tk desk.Ticket, owner, super desk.Agent, superToken, ownerToken string) {
	t.Helper()
	ctx := context.Background()
	owner = h.createAgent("min@example.com", "赵<i>敏</i>", desk.RoleAgent, "A")
	super = h.createAgent("wang@example.com", "王强", desk.RoleSupervisor)
	tk = h.inbound("o1", "cust-1", "我想申请延期还款")
	h.moveToTeam(tk.ID, "A")
	if _, _, err := h.svc.Post(ctx, desk.AgentActor(owner), desk.PostRequest{TicketID: tk.ID, Kind: desk.KindReply, Text: "您好"}); err != nil {
		t.Fatal(err)
	}
	h.moveToTeam(tk.ID, "B")
	var err error
	if _, superToken, err = h.svc.CreateToken(ctx, desk.Actor{}, super.Email, "tests"); err != nil {
		t.Fatal(err)
	}
	if _, ownerToken, err = h.svc.CreateToken(ctx, desk.Actor{}, owner.Email, "tests"); err != nil {
		t.Fatal(err)
	}
	return tk, owner, super, superToken, ownerToken
}

func TestOutcomeConfirmationOverTheAPI(t *testing.T) {
	h := newHarness(t)
	tk, owner, super, superToken, ownerToken := handedOff(t, h)
	path := "/api/v1/tickets/" + tk.ID
	var got desk.Ticket
	if h.call("GET", path, ownerToken, nil, nil).StatusCode != http.StatusOK {
		t.Fatal("the owner lost sight of the transferred ticket")
	}
	var e apiError
	resp := h.call("PATCH", path, h.admin, map[string]any{"status": "resolved"}, &e)
	want := "赵<i>敏</i> (" + owner.EmployeeNo + ") must confirm the customer was told the outcome"
	if resp.StatusCode != http.StatusConflict || e.Error.Code != "conflict" || !strings.Contains(e.Error.Message, want) {
		t.Fatalf("resolve before confirmation = %d %+v", resp.StatusCode, e)
	}
	// 李娜 of team A sees the ticket no more (it is B's); the page-level
	// rule is the same as for any ticket she may not see.
	if resp := h.call("POST", path+"/outcome-confirmation", h.agent, map[string]any{}, &e); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("agent who cannot see it = %d", resp.StatusCode)
	}
	other := h.createAgent("han@example.com", "韩梅梅", desk.RoleAgent, "B")
	_, otherToken, err := h.svc.CreateToken(context.Background(), desk.Actor{}, other.Email, "tests")
	if err != nil {
		t.Fatal(err)
	}
	if resp := h.call("POST", path+"/outcome-confirmation", otherToken, map[string]any{"note": "done"}, &e); resp.StatusCode != http.StatusForbidden || e.Error.Code != "forbidden" {
		t.Fatalf("another agent = %d %+v", resp.StatusCode, e)
	}
	if resp := h.call("POST", path+"/outcome-confirmation", superToken, map[string]any{"note": "x"}, &e); resp.StatusCode != http.StatusBadRequest || !strings.Contains(e.Error.Message, "reason") {
		t.Fatalf("supervisor without reason = %d %+v", resp.StatusCode, e)
	}
	if resp := h.call("POST", path+"/outcome-confirmation", superToken, map[string]any{"reson": "typo"}, &e); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("unknown field = %d", resp.StatusCode)
	}
	h.call("GET", path, h.admin, nil, &struct {
		Ticket *desk.Ticket `json:"ticket"`
	}{&got})
	if !got.ConfirmationRequired || got.OwnerID != owner.ID || got.ConfirmedBy != "" {
		t.Fatalf("GET before confirmation: %+v", got)
	}
	resp = h.call("POST", path+"/outcome-confirmation", superToken, map[string]any{"reason": "负责人休假，主管已致电客户"}, &got)
	if resp.StatusCode != http.StatusOK || got.ConfirmedBy != super.ID || got.ConfirmedAt == nil || got.ConfirmationRequired {
		t.Fatalf("supervisor with reason = %d %+v", resp.StatusCode, got)
	}
	if resp := h.call("PATCH", path, otherToken, map[string]any{"status": "resolved"}, &got); resp.StatusCode != http.StatusOK || got.Status != desk.StatusResolved {
		t.Fatalf("resolve after confirmation = %d %+v", resp.StatusCode, got)
	}
}

func TestTicketPageShowsPendingConfirmation(t *testing.T) {
	h := newHarness(t)
	tk, _, _, _, ownerToken := handedOff(t, h)
	path := "/tickets/" + tk.ID

	_, body := h.page(h.signIn("min@example.com"), path)
	wantContains(t, body, `data-hl="confirm-pending"`, "须由首问负责人 赵&lt;i&gt;敏&lt;/i&gt;", `data-hl="confirm-outcome"`, "确认已告知客户", `data-hl="confirm-note"`)
	wantLacks(t, body, "<i>敏</i>", `data-hl="confirm-reason"`)

	_, body = h.page(h.signIn("wang@example.com"), path, "Accept-Language", "en")
	wantContains(t, body, "must confirm the customer was told the outcome", `data-hl="confirm-reason"`, "Confirm the customer was told")

	h.createAgent("han@example.com", "韩梅梅", desk.RoleAgent, "B")
	_, body = h.page(h.signIn("han@example.com"), path)
	wantContains(t, body, `data-hl="confirm-pending"`)
	wantLacks(t, body, `data-hl="confirm-outcome"`)

	var got desk.Ticket
	if resp := h.call("POST", "/api/v1/tickets/"+tk.ID+"/outcome-confirmation", ownerToken, map[string]any{"note": "已电话告知"}, &got); resp.StatusCode != http.StatusOK {
		t.Fatalf("owner confirms = %d", resp.StatusCode)
	}
	_, body = h.page(h.signIn("min@example.com"), path)
	wantContains(t, body, `data-hl="confirmed"`, "赵&lt;i&gt;敏&lt;/i&gt; 确认已告知客户处理结果")
	wantLacks(t, body, `data-hl="confirm-pending"`, `data-hl="confirm-outcome"`)
}
