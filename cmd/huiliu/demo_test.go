package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"huiliu/store/storetest"
)

func TestDemoLoadsAWorkingDesk(t *testing.T) {
	cfg := storetest.Config(t)
	env := []string{"HUILIU_DATA=" + cfg.DataDir, "DATABASE_URL=" + cfg.URL}
	if cfg.DataDir == "" {
		env[0] = "HUILIU_DATA=" + t.TempDir()
	}
	out, stderr, code := huiliu(t, env, "", "demo", "--origin", "http://127.0.0.1:8123")
	if code != 0 {
		t.Fatalf("demo: exit %d %s", code, stderr)
	}
	m := regexp.MustCompile(`password for every demo account: (\S+)`).FindStringSubmatch(out)
	if m == nil || !strings.Contains(out, `data-site="s_`) {
		t.Fatalf("demo printed no password or widget snippet:\n%s", out)
	}
	base := node(t, env)
	var login struct {
		Token string `json:"token"`
	}
	body := `{"email":"zhou@demo.huiliu.local","password":"` + m[1] + `","mode":"token"}`
	if code := apiCall(t, base, "", "POST", "/api/v1/sessions", body, &login); code != http.StatusCreated || login.Token == "" {
		t.Fatalf("supervisor login with the printed password = %d", code)
	}
	var page struct {
		Tickets []struct {
			Subject string   `json:"subject"`
			Tags    []string `json:"tags"`
			OwnerID string   `json:"owner_id"`
		} `json:"tickets"`
	}
	if code := apiCall(t, base, login.Token, "GET", "/api/v1/tickets", "", &page); code != http.StatusOK || len(page.Tickets) != 6 {
		t.Fatalf("tickets = %d, %d of them; want 6", code, len(page.Tickets))
	}
	var english, owned bool
	for _, tk := range page.Tickets {
		english = english || strings.Contains(tk.Subject, "charged twice")
		owned = owned || tk.OwnerID != ""
	}
	if !english || !owned {
		t.Fatalf("demo conversations lack English or answered ones: %+v", page.Tickets)
	}
	// Loading again changes nothing.
	out, _, code = huiliu(t, env, "", "demo")
	if code != 0 || !strings.Contains(out, "already loaded") {
		t.Fatalf("second demo: exit %d %s", code, out)
	}
	if apiCall(t, base, login.Token, "GET", "/api/v1/tickets", "", &page); len(page.Tickets) != 6 {
		t.Fatalf("after a second demo %d tickets", len(page.Tickets))
	}
}
