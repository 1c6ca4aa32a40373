package desk_test

import (
	"context"
	"testing"

	"huiliu/desk"
)

// Admins list tokens without their hashes and revoke them; a revoked
// token is refused at once on this node and cannot be revoked twice;
// agents do neither. Both are audited.
func TestRevokeToken(t *testing.T) {
	svc, _ := newService(t)
	ctx := context.Background()
	admin := mkAgent(t, svc, "admin@example.com", "管理员", desk.RoleAdmin)
	agent := mkAgent(t, svc, "li@example.com", "李雷", desk.RoleAgent)
	adminActor, agentActor := desk.AgentActor(admin), desk.AgentActor(agent)
	tok, secret, err := svc.CreateToken(ctx, adminActor, "li@example.com", "crm")
	if err != nil {
		t.Fatal(err)
	}
	if p, err := svc.Authenticate(ctx, secret); err != nil || p.Agent.ID != agent.ID {
		t.Fatalf("fresh token: %+v %v", p, err)
	}
	list, err := svc.Tokens(ctx, adminActor)
	if err != nil || len(list) != 1 || list[0].ID != tok.ID || list[0].Hash != nil || list[0].LastUsedAt == nil {
		t.Fatalf("tokens %+v %v", list, err)
	}
	if _, err := svc.Tokens(ctx, agentActor); desk.CodeOf(err) != desk.CodeForbidden {
		t.Fatalf("agent listed tokens: %v", err)
	}
	if err := svc.RevokeToken(ctx, agentActor, tok.ID); desk.CodeOf(err) != desk.CodeForbidden {
		t.Fatalf("agent revoked a token: %v", err)
	}
	if err := svc.RevokeToken(ctx, adminActor, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Authenticate(ctx, secret); desk.CodeOf(err) != desk.CodeUnauthorized {
		t.Fatalf("revoked token still accepted: %v", err)
	}
	if err := svc.RevokeToken(ctx, adminActor, tok.ID); desk.CodeOf(err) != desk.CodeNotFound {
		t.Fatalf("second revoke: %v", err)
	}
	list, _ = svc.Tokens(ctx, adminActor)
	if len(list) != 1 || list[0].RevokedAt == nil {
		t.Fatalf("revoked token listed as %+v", list)
	}
	es, err := svc.AuditSearch(ctx, adminActor, desk.AuditQuery{Action: "token.revoke", Target: tok.ID})
	if err != nil || len(es) != 1 || es[0].ActorID != admin.ID {
		t.Fatalf("audit of the revoke: %+v %v", es, err)
	}
}
