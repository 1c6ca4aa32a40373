package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"huiliu/channels/api"
)

// TestReplyReachesTheIntegrationsCallback runs a real server configured
// with an API callback: an agent's reply to an API-channel ticket arrives at
// the integration, signed, and the message is then marked sent.
func TestReplyReachesTheIntegrationsCallback(t *testing.T) {
	const secret = "cb-secret"
	var mu sync.Mutex
	var got []map[string]any
	cb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := api.Verify(secret, r.Header.Get(api.HeaderTimestamp), r.Header.Get(api.HeaderSignature), body, time.Now(), time.Minute); err != nil {
			t.Errorf("callback signature: %v", err)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		var m map[string]any
		_ = json.Unmarshal(body, &m)
		mu.Lock()
		got = append(got, m)
		mu.Unlock()
		_, _ = io.WriteString(w, `{"id":"crm-msg-1"}`)
	}))
	defer cb.Close()

	env := []string{"HUILIU_DATA=" + t.TempDir(), "DATABASE_URL=", "REDIS_URL=",
		"HUILIU_API_CALLBACK_URL=" + cb.URL, "HUILIU_API_CALLBACK_SECRET=" + secret, "HUILIU_ALLOW_PRIVATE_CALLBACKS=true"}
	token := adminToken(t, env, "a@example.com")
	base := node(t, env)

	do := func(method, path, body string, out any) {
		t.Helper()
		if code := apiCall(t, base, token, method, path, body, out); code >= 300 {
			t.Fatalf("%s %s: %d", method, path, code)
		}
	}
	var rc struct {
		TicketID string `json:"ticket_id"`
	}
	do("POST", "/api/v1/inbound", `{"external_id":"x1","thread_key":"loan-9","from":{"kind":"api","value":"cust-9"},"text":"我要办理延期"}`, &rc)
	var msg struct {
		ID string `json:"id"`
	}
	do("POST", "/api/v1/tickets/"+rc.TicketID+"/messages", `{"text":"已为您登记，稍后回电"}`, &msg)

	deadline := time.Now().Add(15 * time.Second)
	for {
		var ms struct {
			Messages []struct {
				ID       string `json:"id"`
				Delivery string `json:"delivery"`
			} `json:"messages"`
		}
		do("GET", "/api/v1/tickets/"+rc.TicketID+"/messages", "", &ms)
		if n := len(ms.Messages); n == 2 && ms.Messages[1].ID == msg.ID && ms.Messages[1].Delivery == "sent" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("reply not marked sent: %+v", ms.Messages)
		}
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0]["text"] != "已为您登记，稍后回电" || got[0]["thread_key"] != "loan-9" || got[0]["message_id"] != msg.ID {
		t.Fatalf("callbacks = %+v", got)
	}
	to, _ := got[0]["to"].(map[string]any)
	if to["value"] != "cust-9" || to["kind"] != "api" {
		t.Fatalf("callback addressed to %+v", to)
	}
}
