package desk_test

import (
	"context"
	"strings"
	"testing"

	"huiliu/desk"
)

// Canned replies are edited by supervisors (audited), keep their id and
// author, and refuse a variable the ticket page cannot fill.
func TestUpdateCannedReplyAndVariables(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	sup := mkAgent(t, svc, "sup@example.com", "王主管", desk.RoleSupervisor, "Support")
	agent := mkAgent(t, svc, "li@example.com", "李雷", desk.RoleAgent, "Support")
	c, err := svc.CreateCannedReply(ctx, desk.AgentActor(sup), desk.CannedReply{Title: "问候", Text: "{{客户姓名}}您好，我是{{ agent_name }}（工号 {{工號}}）。"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CreateCannedReply(ctx, desk.AgentActor(sup), desk.CannedReply{Title: "x", Text: "您的余额是 {{balance}}"}); desk.CodeOf(err) != desk.CodeInvalid || !strings.Contains(err.Error(), "{{balance}}") {
		t.Fatalf("an unknown variable: %v", err)
	}
	got, err := svc.UpdateCannedReply(ctx, desk.AgentActor(sup), c.ID, desk.CannedReply{Title: " 问候（新） ", Text: "工单 {{ticket_number}} 已收到"})
	if err != nil || got.ID != c.ID || got.Title != "问候（新）" || got.CreatedBy != sup.ID || got.TeamID != "" {
		t.Fatalf("updated %+v %v", got, err)
	}
	list, err := svc.CannedReplies(ctx, agent)
	if err != nil || len(list) != 1 || list[0].Text != "工单 {{ticket_number}} 已收到" {
		t.Fatalf("list after the edit: %+v %v", list, err)
	}
	if _, err := svc.UpdateCannedReply(ctx, desk.AgentActor(agent), c.ID, desk.CannedReply{Title: "t", Text: "x"}); desk.CodeOf(err) != desk.CodeForbidden {
		t.Fatalf("an agent edited a canned reply: %v", err)
	}
	if _, err := svc.UpdateCannedReply(ctx, desk.AgentActor(sup), "nope", desk.CannedReply{Title: "t", Text: "x"}); desk.CodeOf(err) != desk.CodeNotFound {
		t.Fatalf("edit of a missing reply: %v", err)
	}
	if _, err := svc.UpdateCannedReply(ctx, desk.AgentActor(sup), c.ID, desk.CannedReply{Title: "t", Text: "x", TeamID: "no-team"}); desk.CodeOf(err) != desk.CodeNotFound {
		t.Fatalf("edit into a missing team: %v", err)
	}
	es, err := svc.AuditLog(ctx, desk.Actor{}, "", 50)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range es {
		if e.Action == "canned.update" && e.Target == c.ID {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("%d canned.update audit entries, want 1", n)
	}
}
