package webchat

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestTryPage(t *testing.T) {
	e := newEnv(t, nil)
	get := func(path string, accept ...string) (int, string, http.Header) {
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+path, nil)
		for _, a := range accept {
			req.Header.Set("Accept-Language", a)
		}
		resp, err := http.DefaultClient.Do(req)
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
	// The test server's origin is not among the site's: the page says so,
	// in the visitor's language, and tells the widget that language.
	if !strings.Contains(body, `<html lang="zh-CN">`) || !strings.Contains(body, "窗口无法连接") {
		t.Fatalf("no hint about the missing origin: %s", body)
	}
	if _, body, _ = get("/webchat/try?site="+testSiteKey, "en-US,en;q=0.9"); !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "allowed origins, so the widget cannot connect") {
		t.Fatalf("English page: %s", body)
	}
	if _, body, _ = get("/webchat/try?site="+testSiteKey, "zh-HK"); !strings.Contains(body, `<html lang="zh-TW">`) || !strings.Contains(body, "視窗無法連線") {
		t.Fatalf("zh-TW page: %s", body)
	}
	e.sites[testSiteKey] = func() Site { s := e.sites[testSiteKey]; s.Origins = append(s.Origins, e.ts.URL); return s }()
	if _, body, _ = get("/webchat/try?site=" + testSiteKey); strings.Contains(body, "窗口无法连接") {
		t.Fatalf("hint shown although the origin is allowed")
	}
	if code, _, _ := get("/webchat/try?site=nope"); code != http.StatusNotFound {
		t.Fatalf("unknown site = %d", code)
	}
}
