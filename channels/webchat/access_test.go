package webchat

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestOriginRefused(t *testing.T) {
	e := newEnv(t, nil)
	for _, origin := range []string{"https://evil.example.com", "https://shop.example.com.evil.net", "http://shop.example.com", ""} {
		_, resp, err := e.dialOrigin(testSiteKey, origin)
		if err == nil {
			t.Fatalf("origin %q: connected", origin)
		}
		if resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Fatalf("origin %q: response %v, want 403", origin, resp)
		}
		var body jsonError
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.Error.Code != CodeOriginRefused {
			t.Fatalf("origin %q: body %+v (%v)", origin, body, err)
		}
	}
	if !strings.Contains(e.logs.String(), "origin the site does not list") {
		t.Fatalf("refusal not logged:\n%s", e.logs)
	}
	if n := e.srv.hub.count(); n != 0 {
		t.Fatalf("%d connections registered", n)
	}
}

func TestUnknownSite(t *testing.T) {
	e := newEnv(t, nil)
	c, _, err := e.dialOrigin("nope", "https://anything.example")
	if err != nil {
		t.Fatal(err)
	}
	defer c.close()
	if f := c.next(t); f.Type != frameError || f.Code != CodeUnknownSite {
		t.Fatalf("got %+v", f)
	}
	if code := c.closeCode(t); code != CloseUnknownSite {
		t.Fatalf("close %d, want %d", code, CloseUnknownSite)
	}

	resp, err := http.Get(e.ts.URL + "/webchat/config?site=nope")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body jsonError
	_ = json.NewDecoder(resp.Body).Decode(&body)
	if resp.StatusCode != http.StatusNotFound || body.Error.Code != CodeUnknownSite ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("config: %d %+v", resp.StatusCode, body)
	}
}

func TestShortSecretRefused(t *testing.T) {
	e := newEnv(t, nil)
	e.sites["weak"] = Site{Key: "weak", Secret: []byte("short"), Origins: []string{testOrigin}}
	_, resp, err := e.dialOrigin("weak", testOrigin)
	if err == nil || resp == nil || resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("connected or wrong status: %v %v", err, resp)
	}
	if !strings.Contains(e.logs.String(), "secret is shorter") {
		t.Fatal("not logged")
	}
}

func TestConfigEndpoint(t *testing.T) {
	e := newEnv(t, nil)
	get := func(origin string) (*http.Response, configBody) {
		req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/webchat/config?site="+testSiteKey, nil)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body configBody
		_ = json.NewDecoder(resp.Body).Decode(&body)
		return resp, body
	}
	resp, body := get(testOrigin)
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != testOrigin ||
		body.Site.Greeting != "您好，有什么可以帮您？" || body.Site.HoursNote != "9:00–18:00" ||
		body.Limits.MaxTextBytes != DefaultMaxTextBytes || body.Limits.MessagesPerMinute != DefaultMessagesPerMinute {
		t.Fatalf("config: %d %v %+v", resp.StatusCode, resp.Header, body)
	}
	if resp, _ := get("https://evil.example.com"); resp.StatusCode != http.StatusForbidden || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("foreign origin: %d %v", resp.StatusCode, resp.Header)
	}
}
