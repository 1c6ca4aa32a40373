package desk_test

import (
	"context"
	"testing"

	"huiliu/desk"
)

// TestSupervisorsAndAdminsAreAutoAssignedOnlyWhenTheyOptIn: an online
// supervisor in an auto team gets nothing from the router until their
// routing says auto_assign; agents need no opt-in.
func TestSupervisorsAndAdminsAreAutoAssignedOnlyWhenTheyOptIn(t *testing.T) {
	r := newRouted(t)
	ctx := context.Background()
	r.team(t, "Support", desk.TeamRouting{Mode: desk.ModeAuto, Default: true})
	sup := mkAgent(t, r.svc, "sup@example.com", "王主管", desk.RoleSupervisor, "Support")
	adm := mkAgent(t, r.svc, "adm@example.com", "管理员", desk.RoleAdmin, "Support")
	r.svc.DeskConnected(ctx, sup.ID)
	r.svc.DeskConnected(ctx, adm.ID)

	t1 := ingest(t, r.svc, customer("C1", "押金什么时候退")).TicketID
	r.round(t)
	if tk := r.ticket(t, t1); tk.AssigneeID != "" {
		t.Fatalf("given to %s, who did not opt in", tk.AssigneeID)
	}
	ar, err := r.svc.SetAgentRouting(ctx, r.admin, desk.AgentRouting{AgentID: sup.ID, Capacity: 5, AutoAssign: true})
	if err != nil || !ar.AutoAssign {
		t.Fatalf("opt in: %+v %v", ar, err)
	}
	r.round(t)
	if tk := r.ticket(t, t1); tk.AssigneeID != sup.ID {
		t.Fatalf("not given to the supervisor who opted in: %q", tk.AssigneeID)
	}
	ag := mkAgent(t, r.svc, "li@example.com", "李雷", desk.RoleAgent, "Support")
	r.svc.DeskConnected(ctx, ag.ID)
	t2 := ingest(t, r.svc, customer("C2", "扣款失败")).TicketID
	r.round(t)
	if tk := r.ticket(t, t2); tk.AssigneeID != ag.ID {
		t.Fatalf("the agent (no opt-in needed, least loaded) did not get it: %q", tk.AssigneeID)
	}
}
