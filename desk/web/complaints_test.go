package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"huiliu/desk"
)

// complaintFixture is a complaint of team A that the system filed and
// nobody owns yet.
func complaintFixture(t *testing.T, h *harness) string {
	t.Helper()
	tk := h.inbound("cmp-1", "cust-complaint", "押金不退")
	h.moveToTeam(tk.ID, "A")
	if _, err := h.svc.FileComplaint(context.Background(), desk.SystemActor("tests"), tk.ID, desk.ComplaintInput{}); err != nil {
		t.Fatal(err)
	}
	return tk.ID
}

func TestComplaintAPIAndRegister(t *testing.T) {
	h := newHarnessAt(t, nil, desk.NewComplaintWatcher())
	tk := h.inbound("m1", "cust-1", "我要打12315投诉你们，电话 13800138000")
	h.moveToTeam(tk.ID, "A")
	other := h.inbound("m2", "cust-2", "你好")
	h.moveToTeam(other.ID, "B")

	// The detector flagged the first ticket; its section shows the banner.
	browser := h.signIn("li@example.com")
	_, box := h.page(browser, "/tickets/"+tk.ID+"/complaint")
	wantContains(t, box, `data-hl="complaint-banner"`, "12315", `value="regulator" selected`)

	// Filing through the API: bad input is refused and nothing is stored.
	var e apiError
	if r := h.call("POST", "/api/v1/tickets/"+tk.ID+"/complaint", h.agent, map[string]any{"source": "regulator", "regulator_due": "tomorrow"}, &e); r.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad due: %d", r.StatusCode)
	}
	var c desk.Complaint
	r := h.call("POST", "/api/v1/tickets/"+tk.ID+"/complaint", h.agent, map[string]any{
		"source": "regulator", "regulator_ref": "12315", "regulator_due": "2030-01-04T18:00:00+08:00", "severity": "high",
		"summary": "=HYPERLINK(\"http://evil\") 客户电话 13800138000", "wants": "退押金"}, &c)
	if r.StatusCode != http.StatusCreated || c.Source != desk.SourceRegulator || c.OwnerID != h.agentA.ID || c.DeadlineResolution == nil {
		t.Fatalf("file: %d %+v", r.StatusCode, c)
	}
	if strings.Contains(c.Summary, "13800138000") {
		t.Fatalf("the API shows the summary unmasked: %q", c.Summary)
	}
	if r := h.call("POST", "/api/v1/tickets/"+tk.ID+"/complaint", h.agent, map[string]any{}, &e); r.StatusCode != http.StatusConflict {
		t.Fatalf("filing twice: %d", r.StatusCode)
	}
	// The other team's complaint, filed by the admin.
	if r := h.call("POST", "/api/v1/tickets/"+other.ID+"/complaint", h.admin, map[string]any{"source": "social"}, nil); r.StatusCode != http.StatusCreated {
		t.Fatalf("admin files: %d", r.StatusCode)
	}

	var list struct {
		Complaints []desk.Complaint `json:"complaints"`
	}
	h.call("GET", "/api/v1/complaints", h.agent, nil, &list)
	if len(list.Complaints) != 1 || list.Complaints[0].TicketID != tk.ID {
		t.Fatalf("the agent's register: %+v", list.Complaints)
	}
	h.call("GET", "/api/v1/complaints?source=social", h.admin, nil, &list)
	if len(list.Complaints) != 1 || list.Complaints[0].TicketID != other.ID {
		t.Fatalf("the admin's social complaints: %+v", list.Complaints)
	}
	for _, q := range []string{"status=lost", "sort=random", "limit=-1", "from=yesterday", "source=press", "format=xml"} {
		if r := h.call("GET", "/api/v1/complaints?"+q, h.admin, nil, &e); r.StatusCode != http.StatusBadRequest {
			t.Errorf("GET /api/v1/complaints?%s: %d", q, r.StatusCode)
		}
	}

	// CSV: formula defused, personal data masked, only what the agent sees.
	csvReq, _ := http.NewRequest("GET", h.srv.URL+"/api/v1/complaints?format=csv", nil)
	csvReq.Header.Set("Authorization", "Bearer "+h.agent)
	resp, err := http.DefaultClient.Do(csvReq)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	csv := string(raw)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.Contains(csv, `"'=HYPERLINK(""http://evil"")`) || strings.Contains(csv, "13800138000") ||
		strings.Count(strings.TrimSpace(csv), "\n") != 1 {
		t.Fatalf("csv %d:\n%s", resp.StatusCode, csv)
	}

	// The register page and the ticket's section.
	_, page := h.page(browser, "/complaints")
	wantContains(t, page, `data-hl="complaint-row"`, tk.ID, "12315")
	if strings.Contains(page, other.ID) || strings.Contains(page, "13800138000") {
		t.Fatal("the register shows another team's complaint or personal data")
	}
	_, page = h.page(h.signIn("admin@example.com"), "/complaints?source=social&overdue=false")
	if !strings.Contains(page, other.ID) || strings.Contains(page, `data-ticket-id="`+tk.ID) {
		t.Fatal("the admin's filtered register")
	}
	_, box = h.page(browser, "/tickets/"+tk.ID+"/complaint")
	wantContains(t, box, `data-hl="complaint-panel"`)
	// A regulator's referral is the supervisors' to withdraw, not its owner's.
	if strings.Contains(box, `data-hl="complaint-banner"`) || strings.Contains(box, "13800138000") || strings.Contains(box, "complaint-withdraw-form") {
		t.Fatal("the filed complaint's section shows the banner, raw data or the owner's withdrawal")
	}
	_, box = h.page(h.signIn("admin@example.com"), "/tickets/"+tk.ID+"/complaint")
	wantContains(t, box, `data-hl="complaint-withdraw-form"`)

	// Withdrawn by a regulator referral's owner: refused; by a supervisor: done.
	if r := h.call("DELETE", "/api/v1/tickets/"+tk.ID+"/complaint", h.agent, map[string]any{"reason": "误会"}, &e); r.StatusCode != http.StatusForbidden {
		t.Fatalf("owner withdrawing a referral: %d", r.StatusCode)
	}
	if r := h.call("DELETE", "/api/v1/tickets/"+tk.ID+"/complaint", h.admin, map[string]any{"reason": "客户撤回"}, &c); r.StatusCode != http.StatusOK || c.Status != desk.ComplaintWithdrawn {
		t.Fatalf("admin withdrawing: %d %+v", r.StatusCode, c)
	}
}
