package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"

	"huiliu/channels/telegram/telegramtest"
)

// With Redis gone agents still sign in (the login limiter counts on the
// node), /readyz answers 200 naming what is degraded — Redis, and a bot
// whose token Telegram refuses — and /metrics, behind its token, shows it.
func TestOperatorsSeeDegradationAndAgentsStillSignIn(t *testing.T) {
	mr := miniredis.RunT(t)
	fake := telegramtest.New(t, "42:right-token")
	env := []string{"HUILIU_DATA=" + t.TempDir(), "DATABASE_URL=", "REDIS_URL=redis://" + mr.Addr(), "HUILIU_CONFIG=",
		"HUILIU_METRICS_TOKEN=scrape-me", "HUILIU_TELEGRAM_TOKEN=42:wrong-token", "HUILIU_TELEGRAM_API_ENDPOINT=" + fake.Endpoint()}
	pw := filepath.Join(t.TempDir(), "pw")
	os.WriteFile(pw, []byte("long enough password\n"), 0o600)
	if _, stderr, code := huiliu(t, env, "", "agent", "add", "--email", "ops@example.com", "--name", "Ops", "--role", "admin", "--password-file", pw); code != 0 {
		t.Fatalf("agent add: %d %s", code, stderr)
	}
	url := node(t, env)

	type readiness struct {
		Ready          bool
		Status         string
		Checks, Detail map[string]string
	}
	ready := func() (int, readiness) {
		resp, err := http.Get(url + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r readiness
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, r
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		code, r := ready()
		if code == 200 && r.Checks["telegram:main"] == "degraded" {
			if r.Status != "degraded" || r.Checks["queue"] != "ok" || !strings.Contains(r.Detail["telegram:main"], "refuses the token") {
				t.Fatalf("wrong token: %+v", r)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the refused token never showed on /readyz: %d %+v", code, r)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// A calendar in use that lacks this year's holidays is reported too.
	if code, r := ready(); r.Checks["sla_calendars"] != "ok" {
		t.Fatalf("calendars before any policy: %d %+v", code, r)
	}
	token, stderr, code := huiliu(t, env, "", "token", "add", "--agent", "ops@example.com", "--name", "tests")
	if code != 0 {
		t.Fatalf("token add: %s", stderr)
	}
	token = strings.TrimSpace(token)
	if st := apiCall(t, url, token, "POST", "/api/v1/sla/calendars", `{"name":"old","timezone":"Asia/Shanghai",
		"hours":{"mon":"09:00-18:00"},"schedule":"year 2001\nholiday 2001-01-01 元旦\n"}`, nil); st != http.StatusCreated {
		t.Fatalf("calendar: %d", st)
	}
	if st := apiCall(t, url, token, "POST", "/api/v1/sla/policies", `{"name":"p","calendar_id":"old","first_response":"1h"}`, nil); st != http.StatusCreated {
		t.Fatalf("policy: %d", st)
	}
	if code, r := ready(); code != 200 || r.Checks["sla_calendars"] != "degraded" ||
		!strings.Contains(r.Detail["sla_calendars"], `calendar "old" has no public-holiday schedule`) {
		t.Fatalf("a calendar without this year's holidays: %d %+v", code, r)
	}

	get := func(auth string) (int, string) {
		req, _ := http.NewRequest("GET", url+"/metrics", nil)
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get(""); code != http.StatusUnauthorized {
		t.Fatalf("/metrics without the token: %d", code)
	}
	code, m := get("Bearer scrape-me")
	if code != 200 {
		t.Fatalf("/metrics: %d", code)
	}
	for _, want := range []string{`huiliu_build_info{`, `huiliu_tickets{status="open",team="(none)"} 0`, `huiliu_telegram_bot_up{bot="main"} 0`,
		`huiliu_desk_metrics_up 1`, `huiliu_http_in_flight{route="/metrics"} 1`} {
		if !strings.Contains(m, want) {
			t.Errorf("/metrics lacks %s\n%s", want, grepLines(m, "huiliu_"))
		}
	}
	mr.Close() // Redis goes away
	resp, err := http.Post(url+"/api/v1/sessions", "application/json",
		strings.NewReader(`{"email":"ops@example.com","password":"long enough password","mode":"token"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("login during the Redis outage: %d %s", resp.StatusCode, body)
	}
	if code, r := ready(); code != 200 || !r.Ready || r.Status != "degraded" || r.Checks["database"] != "ok" || r.Checks["queue"] != "degraded" || r.Detail["queue"] == "" {
		t.Fatalf("readyz during the outage: %d %+v", code, r)
	}

	_, m = get("Bearer scrape-me")
	if !strings.Contains(m, "huiliu_rate_limiter_fallbacks_total ") || strings.Contains(m, "huiliu_rate_limiter_fallbacks_total 0\n") {
		t.Errorf("the login's fallback was not counted:\n%s", grepLines(m, "fallback"))
	}

}

func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
