package web_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
)

// The admin pages for agents, tokens and the audit log: admins see them,
// agents are refused; the audit filter and its CSV export agree and the
// export defuses formulas.
func TestPeoplePages(t *testing.T) {
	h := newHarness(t)
	var tok struct {
		ID     string `json:"id"`
		Secret string `json:"secret"`
	}
	if r := h.call("POST", "/api/v1/tokens", h.admin, map[string]any{"agent_email": "li@example.com", "name": "=HYPERLINK(\"x\")"}, &tok); r.StatusCode != http.StatusCreated {
		t.Fatalf("create token: %d", r.StatusCode)
	}
	admin := h.signIn("admin@example.com")
	agent := h.signIn("li@example.com")
	for path, want := range map[string][]string{
		"/admin/agents": {`data-hl="agent-row"`, "李娜", `value="A" checked`, "people.js"},
		"/admin/tokens": {`data-hl="token-row"`, `data-id="` + tok.ID + `"`, `data-hl="token-revoke"`},
		"/admin/audit":  {`data-hl="audit-row"`, "token.create"},
	} {
		resp, body := h.page(admin, path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s for an admin: %d", path, resp.StatusCode)
		}
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s lacks %s", path, w)
			}
		}
		if resp, _ := h.page(agent, path); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s for an agent: %d", path, resp.StatusCode)
		}
	}
	if r := h.call("DELETE", "/api/v1/tokens/"+tok.ID, h.admin, nil, nil); r.StatusCode != http.StatusNoContent {
		t.Fatalf("revoke: %d", r.StatusCode)
	}
	if r := h.call("GET", "/api/v1/tickets", tok.Secret, nil, nil); r.StatusCode != http.StatusUnauthorized {
		t.Fatalf("a revoked token was accepted: %d", r.StatusCode)
	}
	_, page := h.page(admin, "/admin/tokens")
	row := page[strings.Index(page, `data-id="`+tok.ID+`"`):]
	if row = row[:strings.Index(row, "</tr>")]; strings.Contains(row, `data-hl="token-revoke"`) {
		t.Errorf("the revoked token still offers revoke: %s", row)
	}

	// The filter finds the revoke only; the export holds the same rows.
	_, body := h.page(admin, "/admin/audit?action=token.rev")
	if strings.Count(body, `data-hl="audit-row"`) != 1 || !strings.Contains(body, "token.revoke") {
		t.Fatalf("filtered audit page: %d rows", strings.Count(body, `data-hl="audit-row"`))
	}
	req, _ := http.NewRequest("GET", h.srv.URL+"/api/v1/audit/export?action=token.", nil)
	req.Header.Set("Authorization", "Bearer "+h.admin)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil || len(rows) < 3 || rows[0][3] != "action" {
		t.Fatalf("export rows %v %v", rows, err)
	}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		seen[r[3]] = true
		if !strings.HasPrefix(r[3], "token.") {
			t.Errorf("the export holds %s outside the filter", r[3])
		}
		if strings.Contains(r[5], "HYPERLINK") && !strings.HasPrefix(r[5], "'=") {
			t.Errorf("a formula detail was not defused: %q", r[5])
		}
	}
	if !seen["token.revoke"] || !seen["token.create"] {
		t.Errorf("export actions %v", seen)
	}
	if r := h.call("GET", "/api/v1/audit?from=yesterday", h.admin, nil, nil); r.StatusCode != http.StatusBadRequest {
		t.Errorf("a bad date: %d", r.StatusCode)
	}
}
