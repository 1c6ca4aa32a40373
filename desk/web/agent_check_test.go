package web_test

import (
	"io"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
)

// agentCheckNumbers are a current agent's, a former agent's and a never
// issued employee number, in that order.
func agentCheckNumbers(h *harness) (current, former, unknown string) {
	h.t.Helper()
	gone := h.createAgent("gone@example.com", "Gone", "agent")
	if resp := h.call("PATCH", "/api/v1/agents/"+gone.ID, h.admin, map[string]any{"active": false}, nil); resp.StatusCode != http.StatusOK {
		h.t.Fatalf("deactivate: %d", resp.StatusCode)
	}
	return h.agentA.EmployeeNo, gone.EmployeeNo, "HL000001"
}

// TestAgentCheckJSON: without credentials, the JSON check says true only
// for a current agent; a former agent's number and an unknown one get the
// same status and the same body apart from the number.
func TestAgentCheckJSON(t *testing.T) {
	h := newHarness(t)
	current, former, unknown := agentCheckNumbers(h)
	bodies := map[string]map[string]any{}
	for _, no := range []string{current, former, unknown} {
		var got map[string]any
		resp := h.call("GET", "/api/v1/public/agent-check?no="+url.QueryEscape(strings.ToLower(no)), "", nil, &got)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", no, resp.StatusCode)
		}
		if got["employee_no"] != no {
			t.Errorf("%s: employee_no = %v", no, got["employee_no"])
		}
		delete(got, "employee_no")
		bodies[no] = got
	}
	if bodies[current]["current"] != true {
		t.Errorf("current agent: %v", bodies[current])
	}
	if bodies[former]["current"] != false || !reflect.DeepEqual(bodies[former], bodies[unknown]) {
		t.Errorf("former %v and unknown %v differ or say current", bodies[former], bodies[unknown])
	}
	if resp := h.call("GET", "/api/v1/public/agent-check?no=", "", nil, nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("blank number: status %d, want 400", resp.StatusCode)
	}
}

// TestVerifyAgentPage: the page answers in the visitor's language, never
// shows the agent's name, and words a former and an unknown number alike.
func TestVerifyAgentPage(t *testing.T) {
	h := newHarness(t)
	current, former, unknown := agentCheckNumbers(h)
	c := pageClient()
	resp, body := h.page(c, "/verify-agent", "Accept-Language", "en")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `name="no"`) || strings.Contains(body, `data-hl="verify-result"`) {
		t.Fatalf("empty form: %d\n%s", resp.StatusCode, body)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP = %q", csp)
	}
	_, body = h.page(c, "/verify-agent?no="+current, "Accept-Language", "en")
	wantContains(t, body, `data-current="true"`, current+" is the employee number of a current agent")
	wantLacks(t, body, h.agentA.Name)
	answers := map[string]string{}
	for _, no := range []string{former, unknown} {
		resp, body := h.page(c, "/verify-agent?no="+no, "Accept-Language", "zh-CN")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", no, resp.StatusCode)
		}
		wantContains(t, body, `data-current="false"`, no+" 不是在职员工工号")
		answers[no] = strings.ReplaceAll(body, no, "NO")
	}
	if answers[former] != answers[unknown] {
		t.Error("the page words a former agent's number differently from an unknown one")
	}
	wantLacks(t, answers[former], "Gone")
}

// TestAgentCheckRateLimited: checks from one address run out with a clear
// message and the wait, on the page and in JSON.
func TestAgentCheckRateLimited(t *testing.T) {
	h := newHarness(t)
	var resp *http.Response
	for i := 0; i < 100; i++ {
		if resp = h.call("GET", "/api/v1/public/agent-check?no=HL000001", "", nil, nil); resp.StatusCode != http.StatusOK {
			break
		}
	}
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("after many checks: status %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	resp, body := h.page(pageClient(), "/verify-agent?no=HL000001", "Accept-Language", "en")
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("page: status %d", resp.StatusCode)
	}
	wantContains(t, body, "Too many checks from your network. Try again in "+resp.Header.Get("Retry-After")+" seconds")
	wantLacks(t, body, `data-hl="verify-result"`)
}

// TestVerifyAgentPageHonoursLang: a link with ?lang= opens the check page in
// that language whatever the browser prefers, the forms carry it on, an
// unknown value falls back to the browser's language, and the language
// switcher's way back drops it (or it would beat the switcher's cookie).
func TestVerifyAgentPageHonoursLang(t *testing.T) {
	h := newHarness(t)
	current, _, _ := agentCheckNumbers(h)
	c := pageClient()
	_, body := h.page(c, "/verify-agent?lang=en&no="+current, "Accept-Language", "zh-CN")
	wantContains(t, body, `<html lang="en">`, current+" is the employee number of a current agent",
		`<input type="hidden" name="lang" value="en">`, "next=%2fverify-agent%3fno%3d"+current)
	_, body = h.page(c, "/verify-agent?lang=zh-TW", "Accept-Language", "en")
	wantContains(t, body, "核驗客服身分", `href="/verify-agent?report=1&amp;lang=zh-TW#report"`)
	_, body = h.page(c, "/verify-agent?lang=xx", "Accept-Language", "en")
	wantContains(t, body, "Is this agent genuine?")
	wantLacks(t, body, `name="lang"`)
	resp, err := c.PostForm(h.srv.URL+"/verify-agent/report", url.Values{"lang": {"en"}, "what": {""}})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	wantContains(t, string(b), `<html lang="en">`)
}
