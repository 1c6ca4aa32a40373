package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"huiliu/desk/web"
)

func loginBody(mode string) string {
	return `{"email":"li@example.com","password":"` + testPassword + `","mode":"` + mode + `"}`
}

// The login API refuses to open a browser session for a page of another
// site, as the login form does; scripts that state no origin still log in.
func TestLoginAPIRefusesForeignOrigin(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		name, mode string
		hdr        []string
		want       int
	}{
		{"foreign origin", "cookie", []string{"Origin", "https://evil.example"}, http.StatusForbidden},
		{"foreign origin, default mode", "", []string{"Origin", "https://evil.example"}, http.StatusForbidden},
		{"opaque origin", "cookie", []string{"Origin", "null"}, http.StatusForbidden},
		{"foreign referer", "cookie", []string{"Referer", "https://evil.example/page"}, http.StatusForbidden},
		{"same origin", "cookie", []string{"Origin", h.srv.URL}, http.StatusCreated},
		{"opaque origin, own referer", "cookie", []string{"Origin", "null", "Referer", h.srv.URL + "/login"}, http.StatusCreated},
		{"script without origin", "cookie", nil, http.StatusCreated},
		{"token mode from anywhere", "token", []string{"Origin", "https://evil.example"}, http.StatusCreated},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var e apiError
			r := h.call("POST", "/api/v1/sessions", "", loginBody(tc.mode), &e, tc.hdr...)
			if r.StatusCode != tc.want {
				t.Fatalf("status %d (%+v), want %d", r.StatusCode, e, tc.want)
			}
			if tc.want == http.StatusForbidden && (len(r.Cookies()) != 0 || e.Error.Code != "forbidden") {
				t.Fatalf("refused login set %v, error %+v", r.Cookies(), e)
			}
		})
	}
}

// Behind TLS the session cookie is __Host-huiliu_session (Secure, Path=/,
// no Domain, HttpOnly, SameSite=Lax), and only that name authenticates.
func TestSecureSessionCookieIsHostPrefixed(t *testing.T) {
	h := newHarness(t)
	srv := httptest.NewServer(web.New(web.Options{Service: h.svc, SecureCookies: true}))
	t.Cleanup(srv.Close)

	resp, err := http.Post(srv.URL+"/api/v1/sessions", "application/json", strings.NewReader(loginBody("cookie")))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("login: status %d", resp.StatusCode)
	}
	cookies := resp.Cookies()
	if len(cookies) != 1 {
		t.Fatalf("cookies = %v", cookies)
	}
	ck := cookies[0]
	if ck.Name != "__Host-huiliu_session" || !ck.Secure || ck.Path != "/" || ck.Domain != "" || !ck.HttpOnly ||
		ck.SameSite != http.SameSiteLaxMode || !strings.HasPrefix(ck.Value, "hls_") {
		t.Fatalf("session cookie = %+v", ck)
	}
	for name, want := range map[string]int{"__Host-huiliu_session": http.StatusOK, "huiliu_session": http.StatusUnauthorized} {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v1/me", nil)
		req.AddCookie(&http.Cookie{Name: name, Value: ck.Value})
		r, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != want {
			t.Fatalf("GET /me with cookie %s: status %d, want %d", name, r.StatusCode, want)
		}
	}
}
