package webchat

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"huiliu/channels"
)

// The widget's check passes the visitor's open conversation to the desk
// only for a valid visitor token; the answer has one shape for every
// number, and refusals are plain HTTP errors.
func TestAgentCheckFromTheWidget(t *testing.T) {
	var gotTicket []string
	e := newEnv(t, func(o *Options) {
		o.CheckAgent = func(_ context.Context, no, caller, ticketID string) (AgentAnswer, error) {
			gotTicket = append(gotTicket, ticketID)
			no = strings.ToUpper(strings.ReplaceAll(no, " ", "")) // as the desk reads it
			if no == "HL999999" {
				return AgentAnswer{Wait: 30 * time.Second}, nil
			}
			return AgentAnswer{Current: no == "HL101024" || no == "HL202020", Handling: no == "HL101024" && ticketID != ""}, nil
		}
	})
	visitor := newVisitorID()
	rc, err := e.desk.Ingest(context.Background(), channels.Inbound{Channel: ChannelName, ExternalID: visitor + ":1", ThreadKey: testSiteKey,
		From: channels.Party{Kind: ChannelName, Value: visitor}, Text: "在吗"})
	if err != nil {
		t.Fatal(err)
	}
	token := signVisitor(testSecret, testSiteKey, visitor)
	ask := func(site, origin, body string) (int, map[string]any, http.Header) {
		req, _ := http.NewRequest("POST", e.ts.URL+"/webchat/agent-check?site="+site, strings.NewReader(body))
		req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		_ = json.Unmarshal(raw, &out)
		return resp.StatusCode, out, resp.Header
	}
	q := func(tok, no string) string {
		b, _ := json.Marshal(agentCheckRequest{Visitor: tok, No: no})
		return string(b)
	}
	for _, tt := range []struct {
		name, token, no   string
		current, handling bool
		ticket            string
	}{
		{"my agent", token, "hl 101024", true, true, rc.TicketID},
		{"another current agent", token, "HL202020", true, false, rc.TicketID},
		{"an unknown number", token, "HL000000", false, false, rc.TicketID},
		{"a forged token", token + "x", "HL101024", true, false, ""},
		{"no token", "", "HL101024", true, false, ""},
	} {
		gotTicket = nil
		status, body, hdr := ask(testSiteKey, testOrigin, q(tt.token, tt.no))
		if status != http.StatusOK || body["current"] != tt.current || body["handling"] != tt.handling || len(body) != 3 {
			t.Errorf("%s: %d %v", tt.name, status, body)
		}
		if hdr.Get("Access-Control-Allow-Origin") != testOrigin {
			t.Errorf("%s: CORS %q", tt.name, hdr.Get("Access-Control-Allow-Origin"))
		}
		if len(gotTicket) != 1 || gotTicket[0] != tt.ticket {
			t.Errorf("%s: the desk was asked about %q, want %q", tt.name, gotTicket, tt.ticket)
		}
	}
	if status, _, hdr := ask(testSiteKey, testOrigin, q(token, "HL999999")); status != http.StatusTooManyRequests || hdr.Get("Retry-After") != "30" {
		t.Errorf("rate limited: %d %q", status, hdr.Get("Retry-After"))
	}
	for name, c := range map[string]struct {
		site, origin, body string
		want               int
	}{
		"empty number":   {testSiteKey, testOrigin, q(token, " "), http.StatusBadRequest},
		"not JSON":       {testSiteKey, testOrigin, "no=HL1", http.StatusBadRequest},
		"unknown site":   {"nope", testOrigin, q(token, "HL101024"), http.StatusNotFound},
		"foreign origin": {testSiteKey, "https://evil.example", q(token, "HL101024"), http.StatusForbidden},
	} {
		if status, _, _ := ask(c.site, c.origin, c.body); status != c.want {
			t.Errorf("%s: %d, want %d", name, status, c.want)
		}
	}
}
