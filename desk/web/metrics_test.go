package web_test

import (
	"bufio"
	"context"
	"errors"
	"html"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"huiliu/desk"
	"huiliu/desk/web"
	"huiliu/queue/memory"
	"huiliu/store/storetest"
)

const metricsToken = "metrics-test-token"

// opsServer is a desk whose /metrics opens to metricsToken and whose
// readiness includes the given extra checks; h.agent is an agent's token.
func opsServer(t *testing.T, checks ...web.Check) *harness {
	t.Helper()
	db := storetest.New(t)
	q := memory.New()
	t.Cleanup(func() { q.Close() })
	svc := desk.NewService(desk.Options{Store: db, Events: q.Bus(), Limiter: q.Limiter()})
	srv := web.New(web.Options{Service: svc, Events: q.Bus(), MetricsToken: metricsToken,
		Ready: append([]web.Check{{Name: "database", Ping: db.Ping}}, checks...)})
	h := &harness{t: t, svc: svc, db: db, srv: httptest.NewServer(srv)}
	t.Cleanup(h.srv.Close)
	t.Cleanup(srv.CloseStreams)
	h.createAgent("li@example.com", "李娜", desk.RoleAgent)
	var err error
	if _, h.agent, err = svc.CreateToken(context.Background(), desk.Actor{}, "li@example.com", "tests"); err != nil {
		t.Fatal(err)
	}
	return h
}

func get(t *testing.T, url, auth string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// scrape returns the value of the sample line starting with series (0 if
// absent).
func scrape(t *testing.T, url, series string) float64 {
	t.Helper()
	resp := get(t, url+"/metrics", "Bearer "+metricsToken)
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("/metrics: %d", resp.StatusCode)
	}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			v, err := strconv.ParseFloat(rest, 64)
			if err != nil {
				t.Fatalf("%s: %v", sc.Text(), err)
			}
			return v
		}
	}
	return 0
}

func TestMetricsNeedTheToken(t *testing.T) {
	url := opsServer(t).srv.URL
	for _, auth := range []string{"", "Bearer wrong", metricsToken} {
		if resp := get(t, url+"/metrics", auth); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("/metrics with %q: %d", auth, resp.StatusCode)
		}
	}
	if resp := get(t, url+"/metrics", "Bearer "+metricsToken); resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics with the token: %d", resp.StatusCode)
	}
	// Without a token configured the public address has no metrics at all.
	h := newHarness(t)
	if resp := get(t, h.srv.URL+"/metrics", ""); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("/metrics without metrics_token: %d", resp.StatusCode)
	}
}

// Errors are counted with the status the client got, not the 200 the
// response held before the error handler wrote it.
func TestMetricsCountErrorStatuses(t *testing.T) {
	h := opsServer(t)
	url, secret := h.srv.URL, h.agent
	const ticket = `huiliu_http_requests_total{method="GET",route="/api/v1/tickets/:id",status="%s"}`
	series := func(status string) string { return strings.Replace(ticket, "%s", status, 1) }
	before404, before401, before200 := scrape(t, url, series("404")), scrape(t, url, series("401")), scrape(t, url, series("200"))
	if resp := get(t, url+"/api/v1/tickets/nope", "Bearer "+secret); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown ticket: %d", resp.StatusCode)
	}
	if resp := get(t, url+"/api/v1/tickets/nope", ""); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no credentials: %d", resp.StatusCode)
	}
	if d := scrape(t, url, series("404")) - before404; d != 1 {
		t.Errorf("404s counted %v, want 1", d)
	}
	if d := scrape(t, url, series("401")) - before401; d != 1 {
		t.Errorf("401s counted %v, want 1", d)
	}
	if d := scrape(t, url, series("200")) - before200; d != 0 {
		t.Errorf("errors counted as 200: %v", d)
	}

	failures := scrape(t, url, "huiliu_login_failures_total")
	resp, err := http.Post(url+"/api/v1/sessions", "application/json", strings.NewReader(`{"email":"li@example.com","password":"wrong password","mode":"token"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	if d := scrape(t, url, "huiliu_login_failures_total") - failures; d != 1 {
		t.Errorf("login failures counted %v, want 1", d)
	}
}

func TestReadinessSaysWhatIsDegraded(t *testing.T) {
	redisDown := web.Check{Name: "queue", Optional: true, Ping: func(context.Context) error { return errors.New("redis: connection refused") }}
	h := opsServer(t, redisDown)
	var r struct {
		Ready  bool
		Status string
		Checks map[string]string
		Detail map[string]string
	}
	if resp := h.call("GET", "/readyz", "", nil, &r); resp.StatusCode != http.StatusOK || !r.Ready || r.Status != "degraded" ||
		r.Checks["database"] != "ok" || r.Checks["queue"] != "degraded" || !strings.Contains(r.Detail["queue"], "connection refused") {
		t.Fatalf("redis down: %d %+v", resp.StatusCode, r)
	}
	dbDown := web.Check{Name: "database", Ping: func(context.Context) error { return errors.New("database is closed") }}
	h = opsServer(t, redisDown, dbDown)
	r.Detail = nil
	if resp := h.call("GET", "/readyz", "", nil, &r); resp.StatusCode != http.StatusServiceUnavailable || r.Ready || r.Status != "down" ||
		r.Checks["queue"] != "degraded" || r.Detail["database"] != "database is closed" {
		t.Fatalf("database down: %d %+v", resp.StatusCode, r)
	}
}

// A failing dependency (here a bot whose token Telegram refuses) is on
// the supervisors' overview, not only in the log.
func TestSupervisorPageShowsFailingDependencies(t *testing.T) {
	const reason = "telegram bot main: the Bot API refuses the token (401 Unauthorized)"
	bot := web.Check{Name: "telegram:main", Optional: true, Ping: func(context.Context) error { return errors.New(reason) }}
	h := opsServer(t, bot)
	h.createAgent("sup@example.com", "Supervisor Wu", desk.RoleSupervisor)
	_, body := h.page(h.signIn("sup@example.com"), "/supervisor", "Accept-Language", "en")
	wantContains(t, body, `data-check="telegram:main"`, "degraded (still serving)", html.EscapeString(reason))
	wantLacks(t, body, `data-check="database"`)
	_, body = h.page(h.signIn("sup@example.com"), "/supervisor", "Accept-Language", "zh-CN")
	wantContains(t, body, "系统状态", "降级（仍可服务）")
}
