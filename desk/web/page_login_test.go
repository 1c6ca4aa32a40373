package web_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestLoginPageSetsTheSessionCookieAndRedirects(t *testing.T) {
	h := newHarness(t)
	c := pageClient()
	resp, body := h.page(c, "/login?next=/tickets/x")
	if resp.StatusCode != 200 {
		t.Fatalf("GET /login: %d", resp.StatusCode)
	}
	wantContains(t, body, `data-hl="login-email"`, `data-hl="login-password"`, `data-hl="login-submit"`, `value="/tickets/x"`)

	resp = h.postLogin(c, "li@example.com", testPassword, h.srv.URL, "/tickets/x")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/tickets/x" {
		t.Fatalf("login: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var ck *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == "huiliu_session" {
			ck = k
		}
	}
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || !strings.HasPrefix(ck.Value, "hls_") {
		t.Fatalf("session cookie %+v", ck)
	}
	// The cookie opens the desk, and the API, with the same session.
	resp, body = h.page(c, "/inbox")
	if resp.StatusCode != 200 {
		t.Fatalf("inbox after login: %d", resp.StatusCode)
	}
	wantContains(t, body, "李娜", h.agentA.EmployeeNo, `name="csrf-token"`)
	if r, _ := h.page(c, "/api/v1/me"); r.StatusCode != 200 {
		t.Fatalf("API with the page's cookie: %d", r.StatusCode)
	}
}

func TestLoginNextStaysOnSite(t *testing.T) {
	h := newHarness(t)
	for _, next := range []string{"//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", ""} {
		c := pageClient()
		resp := h.postLogin(c, "li@example.com", testPassword, h.srv.URL, next)
		resp.Body.Close()
		if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/" {
			t.Errorf("next %q: %d to %q, want /", next, resp.StatusCode, loc)
		}
	}
}

func TestLoginBadPasswordIsTranslated(t *testing.T) {
	h := newHarness(t)
	c := pageClient()
	resp := h.postLogin(c, "li@example.com", "wrong", h.srv.URL, "/", "Accept-Language", "en-US,en;q=0.9")
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("status %d", resp.StatusCode)
	}
	wantContains(t, string(b), "Wrong email or password.", `data-hl="login-error"`, `value="li@example.com"`)
	for _, k := range resp.Cookies() {
		if k.Name == "huiliu_session" && k.Value != "" {
			t.Fatal("a failed login set a session cookie")
		}
	}
	// Chinese by default, and from the switcher's cookie over the header.
	resp = h.postLogin(c, "li@example.com", "wrong", h.srv.URL, "/")
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	wantContains(t, string(b), "邮箱或密码错误。")
	u, _ := url.Parse(h.srv.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: "lang", Value: "zh-CN"}})
	resp = h.postLogin(c, "li@example.com", "wrong", h.srv.URL, "/", "Accept-Language", "en")
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	wantContains(t, string(b), "邮箱或密码错误。", `<html lang="zh-CN">`)
}

func TestLoginRateLimitIsShown(t *testing.T) {
	h := newHarness(t)
	c := pageClient()
	var last *http.Response
	var body string
	for range 11 {
		last = h.postLogin(c, "li@example.com", "wrong", h.srv.URL, "/", "Accept-Language", "en")
		b, _ := io.ReadAll(last.Body)
		last.Body.Close()
		body = string(b)
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Fatalf("11th attempt: %d, Retry-After %q", last.StatusCode, last.Header.Get("Retry-After"))
	}
	wantContains(t, body, "Too many sign-in attempts. Try again in ")
}

func TestLoginCSRFIsRefused(t *testing.T) {
	h := newHarness(t)
	for name, hdr := range map[string][]string{
		"foreign origin":  {"Origin", "https://evil.example"},
		"foreign referer": {"Referer", "https://evil.example/login"},
		"neither":         {},
		"null origin":     {"Origin", "null"},
	} {
		c := pageClient()
		resp := h.postLogin(c, "li@example.com", testPassword, "", "/", hdr...)
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", name, resp.StatusCode)
		}
		for _, k := range resp.Cookies() {
			if k.Name == "huiliu_session" && k.Value != "" {
				t.Errorf("%s: a session cookie was set", name)
			}
		}
	}
	// A same-origin Referer without Origin (older browsers) is accepted.
	c := pageClient()
	resp := h.postLogin(c, "li@example.com", testPassword, "", "/", "Referer", h.srv.URL+"/login")
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("same-origin referer: %d", resp.StatusCode)
	}
}

func TestPagesRedirectWhenLoggedOut(t *testing.T) {
	h := newHarness(t)
	tk := h.inbound("m1", "cust", "hello")
	c := pageClient()
	for path, want := range map[string]string{
		"/":                 "/login",
		"/inbox?view=owned": "/login?next=" + url.QueryEscape("/inbox?view=owned"),
		"/tickets/" + tk.ID: "/login?next=" + url.QueryEscape("/tickets/"+tk.ID),
		"/admin/sites":      "/login?next=" + url.QueryEscape("/admin/sites"),
	} {
		resp, _ := h.page(c, path)
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != want {
			t.Errorf("%s: %d to %q, want %q", path, resp.StatusCode, resp.Header.Get("Location"), want)
		}
	}
	// A bearer token is not a page session.
	resp, _ := h.page(c, "/inbox", "Authorization", "Bearer "+h.agent)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("bearer on a page: %d", resp.StatusCode)
	}
}

func TestLogoutNeedsTheCSRFToken(t *testing.T) {
	h := newHarness(t)
	c := h.signIn("li@example.com")
	_, body := h.page(c, "/inbox")
	i := strings.Index(body, `name="csrf" value="`)
	if i < 0 {
		t.Fatal("no logout form with a CSRF token")
	}
	token := body[i+len(`name="csrf" value="`):]
	token = token[:strings.IndexByte(token, '"')]

	post := func(csrf string) *http.Response {
		resp, err := c.PostForm(h.srv.URL+"/logout", url.Values{"csrf": {csrf}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := post("wrong"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("logout with a wrong token: %d", r.StatusCode)
	}
	if r, _ := h.page(c, "/inbox"); r.StatusCode != 200 {
		t.Fatalf("still signed in after a refused logout: %d", r.StatusCode)
	}
	if r := post(token); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %d to %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r, _ := h.page(c, "/inbox"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("inbox after logout: %d", r.StatusCode)
	}
}

func TestLanguageSwitcher(t *testing.T) {
	h := newHarness(t)
	c := h.signIn("li@example.com")
	resp, _ := h.page(c, "/lang?set=en&next=/inbox%3Fview%3Downed")
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/inbox?view=owned" {
		t.Fatalf("switch: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := h.page(c, "/inbox?view=owned")
	wantContains(t, body, `<html lang="en">`, "Owned by me")
	h.page(c, "/lang?set=zh-TW&next=/inbox")
	_, body = h.page(c, "/inbox?view=owned")
	wantContains(t, body, `<html lang="zh-TW">`, "我首問負責", `"js.sending":"傳送中…"`)
	if r, _ := h.page(c, "/lang?set=en&next=//evil.example"); r.Header.Get("Location") != "/" {
		t.Fatalf("switch to a foreign next: %q", r.Header.Get("Location"))
	}
	if r, _ := h.page(c, "/lang?set=fr"); r.StatusCode != http.StatusBadRequest {
		t.Fatalf("unknown language: %d", r.StatusCode)
	}
}
