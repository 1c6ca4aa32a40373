package main

import (
	"net/http"
	"testing"
	"time"
)

// A real node: a new ticket meets the rules (the default team), and the
// team's one agent, online through the desk socket, gets it without asking.
func TestServeAutoAssignsToAnOnlineAgent(t *testing.T) {
	env := sharedBackends(t)
	token := adminToken(t, env, "ops@example.com")
	base := node(t, env)

	var team struct{ ID string }
	if st := apiCall(t, base, token, "POST", "/api/v1/teams", `{"name":"客服一组"}`, &team); st != http.StatusCreated {
		t.Fatalf("create team: %d", st)
	}
	if st := apiCall(t, base, token, "PUT", "/api/v1/routing/teams/"+team.ID, `{"mode":"auto","default":true}`, nil); st != http.StatusOK {
		t.Fatalf("team routing: %d", st)
	}
	var agent struct{ ID string }
	const password = "long enough password"
	if st := apiCall(t, base, token, "POST", "/api/v1/agents",
		`{"email":"mei@example.com","name":"李梅","role":"agent","password":"`+password+`","teams":["客服一组"]}`, &agent); st != http.StatusCreated {
		t.Fatalf("create agent: %d", st)
	}
	cookie, _ := chatTestLogin(t, base, "mei@example.com", password)
	chatTestDial(t, wsURL(base, "/desk/ws"), http.Header{"Origin": {base}, "Cookie": {"huiliu_session=" + cookie}})

	var rc struct {
		TicketID string `json:"ticket_id"`
	}
	if st := apiCall(t, base, token, "POST", "/api/v1/inbound",
		`{"external_id":"route-1","thread_key":"t","from":{"kind":"api","value":"cust-r1"},"text":"我想查询还款计划"}`, &rc); st != http.StatusCreated {
		t.Fatalf("inbound: %d", st)
	}
	var got struct {
		Ticket struct {
			TeamID     string `json:"team_id"`
			AssigneeID string `json:"assignee_id"`
			Language   string `json:"language"`
		} `json:"ticket"`
	}
	// The router runs on a nudge and every few seconds; wait for the
	// outcome, not for a duration.
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if st := apiCall(t, base, token, "GET", "/api/v1/tickets/"+rc.TicketID, "", &got); st != http.StatusOK {
			t.Fatalf("ticket: %d", st)
		}
		if got.Ticket.AssigneeID != "" {
			break
		}
	}
	if got.Ticket.TeamID != team.ID || got.Ticket.Language != "zh" || got.Ticket.AssigneeID != agent.ID {
		t.Fatalf("ticket %+v, want team %s, language zh, assignee %s", got.Ticket, team.ID, agent.ID)
	}
}
