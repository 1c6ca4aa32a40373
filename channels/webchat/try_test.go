package webchat

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestTryPage(t *testing.T) {
	e := newEnv(t, nil)
	get := func(path string) (int, string, http.Header) {
		resp, err := http.Get(e.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), resp.Header
	}
	code, body, h := get("/webchat/try?site=" + testSiteKey)
	if code != http.StatusOK || !strings.Contains(body, `data-site="`+testSiteKey+`"`) || !strings.Contains(body, "示例商城") {
		t.Fatalf("try page = %d %s", code, body)
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Fatalf("CSP %q", csp)
	}
	// The test server's origin is not among the site's: the page says so.
	if !strings.Contains(body, "not among this site's allowed origins") {
		t.Fatalf("no hint about the missing origin: %s", body)
	}
	e.sites[testSiteKey] = func() Site { s := e.sites[testSiteKey]; s.Origins = append(s.Origins, e.ts.URL); return s }()
	if _, body, _ = get("/webchat/try?site=" + testSiteKey); strings.Contains(body, "not among") {
		t.Fatalf("hint shown although the origin is allowed")
	}
	if code, _, _ := get("/webchat/try?site=nope"); code != http.StatusNotFound {
		t.Fatalf("unknown site = %d", code)
	}
}
