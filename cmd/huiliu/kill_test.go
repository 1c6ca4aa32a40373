package main

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var messageIDField = regexp.MustCompile(`"message_id":"([0-9A-Z]+)"`)

// TestAcknowledgedMessagesSurviveKill9 posts messages from several clients,
// kills the server with SIGKILL mid-stream, restarts it on the same store,
// and replays every message the first server acknowledged: each must come
// back as a duplicate with the same id, none may be new.
func TestAcknowledgedMessagesSurviveKill9(t *testing.T) {
	env := sharedBackends(t)
	token := adminToken(t, env, "k@example.com")

	post := func(base, extID string) (int, string, error) {
		body := fmt.Sprintf(`{"external_id":%q,"thread_key":"t","from":{"kind":"api","value":"c-%s"},"text":"催收提醒 %s"}`, extID, extID[len(extID)-1:], extID)
		req, _ := http.NewRequest("POST", base+"/api/v1/inbound", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		m := messageIDField.FindSubmatch(raw)
		if m == nil {
			return resp.StatusCode, "", nil
		}
		return resp.StatusCode, string(m[1]), nil
	}

	first := startNode(t, env)
	var mu sync.Mutex
	acked := map[string]string{} // external id -> message id
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for c := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				ext := fmt.Sprintf("k-%d-%d", c, i)
				code, id, err := post(first.url, ext)
				if err != nil {
					return // the server is gone
				}
				if code == http.StatusCreated {
					mu.Lock()
					acked[ext] = id
					mu.Unlock()
				}
			}
		}()
	}
	// Kill once a few hundred messages were acknowledged.
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 300 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := first.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-first.exited
	close(stop)
	wg.Wait()
	if len(acked) < 50 {
		t.Fatalf("only %d messages acknowledged before the kill", len(acked))
	}

	second := node(t, env)
	for ext, id := range acked {
		code, got, err := post(second, ext)
		if err != nil {
			t.Fatal(err)
		}
		if code != http.StatusOK || got != id {
			t.Fatalf("acknowledged message %s (id %s) after kill -9: status %d id %s", ext, id, code, got)
		}
	}
	t.Logf("%d acknowledged messages all present after kill -9", len(acked))
}
