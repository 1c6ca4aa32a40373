package main

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// adminToken creates an admin account and an API token for it through the
// command line, on the store env points at.
func adminToken(t *testing.T, env []string, email string) string {
	t.Helper()
	if _, stderr, code := huiliu(t, env, "long enough pw\n", "agent", "add", "--email", email, "--name", "管理员", "--role", "admin"); code != 0 {
		t.Fatalf("agent add: %s", stderr)
	}
	token, stderr, code := huiliu(t, env, "", "token", "add", "--agent", email, "--name", "tests")
	token = strings.TrimSpace(token)
	if code != 0 || !strings.HasPrefix(token, "hlt_") {
		t.Fatalf("token add: exit %d %q %s", code, token, stderr)
	}
	return token
}

// apiCall sends a JSON request with a bearer token, decodes a JSON answer
// into out when given, and returns the status.
func apiCall(t *testing.T, base, token, method, path, body string, out any) int {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode
}
