package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/queue/memory"
)

// teamRow is the overview's table row of one team.
func teamRow(t *testing.T, body, teamID string) string {
	t.Helper()
	i := strings.Index(body, `data-team-id="`+teamID+`"`)
	if i < 0 {
		t.Fatalf("no row for team %q", teamID)
	}
	row := body[i:]
	return row[:strings.Index(row, "</tr>")]
}

func TestSupervisorOverviewPerTeam(t *testing.T) {
	clk := newFakeClock()
	q := memory.New()
	t.Cleanup(func() { q.Close() })
	h := newHarnessAt(t, clk.Now, desk.NewRouter(desk.RouterOptions{Presence: q.Presence(), Leases: q.Leases()}))
	slaSetup(t, h, "std")
	h.createAgent("sup@example.com", "Supervisor Wu", desk.RoleSupervisor)
	h.createAgent("wang@example.com", "王伟", desk.RoleAgent, "A")

	a1 := h.inbound("s1", "cust-1", "one")
	a2 := h.inbound("s2", "cust-2", "two")
	a3 := h.inbound("s3", "cust-3", "three")
	b1 := h.inbound("s4", "cust-4", "four")
	h.inbound("s5", "cust-5", "unrouted")
	for _, id := range []string{a1.ID, a2.ID, a3.ID} {
		h.moveToTeam(id, "A")
	}
	h.moveToTeam(b1.ID, "B")
	// li takes a1 and puts a2 on hold.
	if r := h.call("POST", "/api/v1/tickets/"+a1.ID+"/messages", h.agent, map[string]string{"text": "on it"}, nil); r.StatusCode != http.StatusCreated {
		t.Fatalf("reply: %d", r.StatusCode)
	}
	if r := h.call("PATCH", "/api/v1/tickets/"+a2.ID, h.admin, map[string]any{"status": "pending"}, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("pending: %d", r.StatusCode)
	}
	reconcileSLA(t, h)
	ctx := context.Background()
	if err := q.Presence().Heartbeat(ctx, h.agentA.ID, "conn-1", desk.PresenceOnline, time.Minute); err != nil {
		t.Fatal(err)
	}
	clk.Advance(65 * time.Minute) // a3's and b1's first response is overrun; a1's is met

	agent := h.signIn("li@example.com")
	if r, _ := h.page(agent, "/supervisor"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("overview for an agent: %d", r.StatusCode)
	}
	_, body := h.page(agent, "/inbox")
	wantLacks(t, body, `href="/supervisor"`, `href="/admin/sla"`)

	sup := h.signIn("sup@example.com")
	resp, body := h.page(sup, "/supervisor", "Accept-Language", "en")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("overview: %d", resp.StatusCode)
	}
	wantContains(t, body, `href="/supervisor"`, "Team overview")
	wantLacks(t, body, `href="/admin/sla"`) // admins only
	teamA, err := h.db.TeamByName(ctx, "A")
	if err != nil {
		t.Fatal(err)
	}
	row := teamRow(t, body, teamA.ID)
	wantContains(t, row, `data-hl="sup-open">2<`, `data-hl="sup-pending">1<`, `data-hl="sup-unassigned">1<`,
		`data-hl="sup-breached" class="sla-breached">1<`, `data-hl="sup-at-risk">0<`, "李娜", "Online", "1/8", "<time")
	wantLacks(t, row, "王伟") // offline
	teamB, _ := h.db.TeamByName(ctx, "B")
	wantContains(t, teamRow(t, body, teamB.ID), `data-hl="sup-open">1<`, `data-hl="sup-breached" class="sla-breached">1<`, "Nobody at the desk")
	wantContains(t, teamRow(t, body, ""), `data-hl="sup-open">1<`, "No team yet")

	_, frag := h.page(sup, "/supervisor?fragment=teams")
	wantContains(t, frag, `data-hl="supervisor-teams"`)
	wantLacks(t, frag, "<html")
}

func TestSLAAdminPageNeedsAdmin(t *testing.T) {
	h := newHarness(t)
	h.createAgent("sup@example.com", "Supervisor Wu", desk.RoleSupervisor)
	slaSetup(t, h, `<img src=x>`)
	for _, who := range []string{"li@example.com", "sup@example.com"} {
		if r, _ := h.page(h.signIn(who), "/admin/sla"); r.StatusCode != http.StatusForbidden {
			t.Fatalf("/admin/sla for %s: %d", who, r.StatusCode)
		}
	}
	c := h.signIn("admin@example.com")
	resp, body := h.page(c, "/admin/sla", "Accept-Language", "en")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/admin/sla: %d", resp.StatusCode)
	}
	wantContains(t, body, "cn-mainland", "24x7", "Always open (24×7)", "&lt;img src=x&gt;", ">1 h<", ">10 h<",
		`data-hl="calendar-form"`, `data-hl="calendar-schedule"`, `data-day="sat"`, `data-hl="policy-form"`, `data-hl="ladder-add"`,
		`href="/admin/sla"`, `href="/admin/routing"`, `href="/admin/sites"`, `href="/supervisor"`, "sla_admin.js")
	wantLacks(t, body, "<img src=x>", "1h0m0s", "10h0m0s")
}
