package main

import (
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"huiliu/desk"
)

// slaRedisDB keeps the SLA tests' Redis keys apart from the other packages'.
const slaRedisDB = 7

// slaBackends is sharedBackends with a real Redis moved to slaRedisDB
// (flushed: only that database).
func slaBackends(t *testing.T) []string {
	t.Helper()
	env := sharedBackends(t)
	ru := os.Getenv("REDIS_URL")
	if ru == "" {
		return env // a miniredis of its own
	}
	u, err := url.Parse(ru)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = fmt.Sprintf("/%d", slaRedisDB)
	if out, err := exec.Command("redis-cli", "-u", u.String(), "FLUSHDB").CombinedOutput(); err != nil {
		t.Fatalf("flush redis db %d: %v %s", slaRedisDB, err, out)
	}
	for i, kv := range env {
		if strings.HasPrefix(kv, "REDIS_URL=") {
			env[i] = "REDIS_URL=" + u.String()
		}
	}
	return env
}

// Three nodes share one store and one Redis; the node that took the ticket
// is killed at once, possibly before it recomputed the ticket's SLA, which
// the others' reconcile (every 30 s) then does. Each escalation step is
// taken exactly once by whichever node claims its timer.
func TestSLAEscalatesOnceAcrossThreeNodes(t *testing.T) {
	env := slaBackends(t)
	token := adminToken(t, env, "ops@example.com")
	node1 := node(t, env)
	node2 := node(t, env)
	victim := startNode(t, env)

	var cal desk.SLACalendar
	if st := apiCall(t, node1, token, "POST", "/api/v1/sla/calendars", `{"name":"24x7","timezone":"UTC","always_open":true}`, &cal); st != 201 {
		t.Fatalf("calendar: %d", st)
	}
	policy := fmt.Sprintf(`{"name":"fast","calendar_id":%q,"first_response":"3s","ladder":[
		{"target":"first_response","percent":50,"notify":["owner","supervisors"]},
		{"target":"first_response","after_breach":"1s","raise_priority":true,"tag":"late"}]}`, cal.ID)
	if st := apiCall(t, node2, token, "POST", "/api/v1/sla/policies", policy, nil); st != 201 {
		t.Fatalf("policy: %d", st)
	}
	var rc struct {
		TicketID string `json:"ticket_id"`
	}
	body := `{"external_id":"sla-3n","thread_key":"t","from":{"kind":"api","value":"cust-sla"},"text":"等了很久"}`
	if st := apiCall(t, victim.url, token, "POST", "/api/v1/inbound", body, &rc); st != 201 {
		t.Fatalf("inbound: %d", st)
	}
	_ = victim.cmd.Process.Kill()
	<-victim.exited

	var msgs struct {
		Messages []desk.Message `json:"messages"`
	}
	var steps []string
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		steps = steps[:0]
		apiCall(t, node1, token, "GET", "/api/v1/tickets/"+rc.TicketID+"/messages", "", &msgs)
		for _, m := range msgs.Messages {
			if m.Event != nil && m.Event.Action == "sla_escalation" {
				steps = append(steps, m.Event.Args["step"])
			}
		}
		var v desk.SLAView
		apiCall(t, node2, token, "GET", "/api/v1/tickets/"+rc.TicketID+"/sla", "", &v)
		if len(steps) >= 2 && v.NextEscalationAt == nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if strings.Join(steps, ",") != "1,2" {
		t.Fatalf("escalation entries %v, want steps 1 and 2 once each", steps)
	}
	var got struct {
		Ticket desk.Ticket `json:"ticket"`
	}
	apiCall(t, node1, token, "GET", "/api/v1/tickets/"+rc.TicketID, "", &got)
	if tk := got.Ticket; tk.Priority != desk.PriorityHigh || strings.Join(tk.Tags, ",") != "late" {
		t.Fatalf("ticket after the ladder: %s %v", tk.Priority, tk.Tags)
	}
}
