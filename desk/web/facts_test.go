package web_test

import (
	"net/http"
	"strings"
	"testing"

	"huiliu/desk"
	"huiliu/store/storetest"
)

const webFacts = `[{"customer_no": "C-1001", "name": "王芳", "phone": "13812348001", "id_last4": "123X",
  "contracts": [{"no": "HT-2026-0001", "kind": "loan", "balance": "12345.60",
                 "next_due_date": "2026-12-05", "next_due_amount": "1234.50"}]}]`

func newFactsHarness(t *testing.T) *harness {
	t.Helper()
	db := storetest.New(t)
	return newHarnessWith(t, db, desk.Options{Facts: db.FactsSource()})
}

type factsViewBody struct {
	CustomerNo string `json:"customer_no"`
	Source     string `json:"source"`
	Found      bool   `json:"found"`
	Name       struct {
		Value string `json:"value"`
		Shown bool   `json:"shown"`
	} `json:"name"`
	Contracts []struct {
		Balance struct {
			Value string `json:"value"`
			Need  int    `json:"need"`
			Shown bool   `json:"shown"`
		} `json:"balance"`
	} `json:"contracts"`
	Questions []struct {
		ID      string   `json:"id"`
		Answers []string `json:"answers"`
	} `json:"questions"`
	Tickets []desk.Ticket `json:"tickets"`
}

func TestFactsAPIMasksClaimsAndGuardsReplies(t *testing.T) {
	h := newFactsHarness(t)
	var sum desk.ImportSummary
	if r := h.call("POST", "/api/v1/facts/import", h.agent, webFacts, nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("agent import: %d", r.StatusCode)
	}
	if r := h.call("POST", "/api/v1/facts/import", h.admin, webFacts, &sum); r.StatusCode != http.StatusOK || sum.Created != 1 {
		t.Fatalf("import: %d %+v", r.StatusCode, sum)
	}
	tk := h.inbound("m1", "visitor-1", "我想查一下账单")
	base := "/api/v1/tickets/" + tk.ID

	var v factsViewBody
	if r := h.call("GET", base+"/facts", h.agent, nil, &v); r.StatusCode != http.StatusOK || v.CustomerNo != "" || len(v.Tickets) != 1 {
		t.Fatalf("no claim: %d %+v", r.StatusCode, v)
	}
	if r := h.call("POST", base+"/claim", h.agent, map[string]string{"customer_no": "C-1001"}, nil); r.StatusCode != http.StatusOK {
		t.Fatalf("claim: %d", r.StatusCode)
	}
	if r := h.call("POST", base+"/claim", h.agent, map[string]string{"customer_no": "../x"}, nil); r.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad claim: %d", r.StatusCode)
	}
	h.call("GET", base+"/facts", h.agent, nil, &v)
	if !v.Found || v.Source != "claim" || v.Name.Shown || v.Name.Value != "****" || len(v.Contracts) != 1 ||
		v.Contracts[0].Balance.Shown || v.Contracts[0].Balance.Value != "****" || v.Contracts[0].Balance.Need != 2 {
		t.Fatalf("claimed view: %+v", v)
	}
	if len(v.Questions) == 0 || v.Questions[0].Answers[0] != "123X" {
		t.Fatalf("questions: %+v", v.Questions)
	}

	var check desk.DisclosureCheck
	if r := h.call("POST", base+"/disclosure-check", h.agent, map[string]string{"text": "本期应还 1,234.50 元，12月5日前"}, &check); r.StatusCode != http.StatusOK ||
		len(check.Findings) != 2 || check.Level != 0 {
		t.Fatalf("check: %d %+v", r.StatusCode, check)
	}
	var refused struct {
		Error struct {
			Code    string               `json:"code"`
			Details desk.DisclosureCheck `json:"details"`
		} `json:"error"`
	}
	reply := map[string]string{"kind": "reply", "text": "本期应还 ¥1234.5"}
	if r := h.call("POST", base+"/messages", h.agent, reply, &refused); r.StatusCode != http.StatusConflict ||
		refused.Error.Code != "disclosure" || len(refused.Error.Details.Findings) != 1 || refused.Error.Details.Findings[0].Fact != "next_due" {
		t.Fatalf("refused: %d %+v", r.StatusCode, refused)
	}
	reply["override_reason"] = "客户已通过电话核实"
	if r := h.call("POST", base+"/messages", h.agent, reply, nil); r.StatusCode != http.StatusCreated {
		t.Fatalf("override: %d", r.StatusCode)
	}
	var audit struct {
		Entries []desk.AuditEntry `json:"entries"`
	}
	h.call("GET", "/api/v1/audit", h.admin, nil, &audit)
	found := false
	for _, e := range audit.Entries {
		found = found || (e.Action == "ticket.disclosure_override" && strings.Contains(e.Detail, "客户已通过电话核实"))
	}
	if !found {
		t.Fatalf("no override in the audit log: %+v", audit.Entries)
	}

	var kv desk.Verification
	if r := h.call("POST", base+"/knowledge-verification", h.agent, map[string]any{"questions": []string{"id_last4"}}, &kv); r.StatusCode != http.StatusOK || kv.Level != desk.LevelChannel {
		t.Fatalf("knowledge: %d %+v", r.StatusCode, kv)
	}
	h.call("GET", base+"/facts", h.agent, nil, &v)
	if !v.Name.Shown || v.Name.Value != "王芳" || v.Contracts[0].Balance.Shown {
		t.Fatalf("level 1 view: %+v", v)
	}
}

func TestFactPolicyAPIForSupervisors(t *testing.T) {
	h := newFactsHarness(t)
	if r := h.call("GET", "/api/v1/verification/policy", h.agent, nil, nil); r.StatusCode != http.StatusForbidden {
		t.Fatalf("agent read: %d", r.StatusCode)
	}
	var p desk.FactPolicySettings
	if r := h.call("GET", "/api/v1/verification/policy", h.admin, nil, &p); r.StatusCode != http.StatusOK || p.Saved || p.Policy["balance"] != 2 {
		t.Fatalf("get: %d %+v", r.StatusCode, p)
	}
	if r := h.call("PUT", "/api/v1/verification/policy", h.admin, map[string]any{"policy": map[string]int{"balance": 9}}, nil); r.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad level: %d", r.StatusCode)
	}
	if r := h.call("PUT", "/api/v1/verification/policy", h.admin, map[string]any{"policy": map[string]int{"balance": 1}}, &p); r.StatusCode != http.StatusOK ||
		!p.Saved || p.Policy["balance"] != 1 || p.Policy["next_due"] != 2 {
		t.Fatalf("put: %d %+v", r.StatusCode, p)
	}
}

func TestTicketPageHasTheCustomerRecordPanel(t *testing.T) {
	h := newFactsHarness(t)
	tk := h.inbound("m1", "visitor-1", "hello")
	c := h.signIn("li@example.com")
	_, body := h.page(c, "/tickets/"+tk.ID, "Accept-Language", "zh-CN")
	wantContains(t, body, `data-hl="facts"`, "客户档案", `data-hl="facts-claim"`, "/static/facts.js", `"facts.guard_send":"仍要发送"`)
	_, body = h.page(c, "/tickets/"+tk.ID, "Accept-Language", "zh-TW")
	wantContains(t, body, "客戶檔案", "記錄自稱")
	_, body = h.page(c, "/tickets/"+tk.ID, "Accept-Language", "en")
	wantContains(t, body, "Customer record", "Record claim")
}

func TestVerificationPageForSupervisors(t *testing.T) {
	h := newFactsHarness(t)
	h.createAgent("boss@example.com", "主管", desk.RoleSupervisor)
	agent := h.signIn("li@example.com")
	if r, _ := h.page(agent, "/admin/verification"); r.StatusCode != http.StatusForbidden {
		t.Fatalf("agent: %d", r.StatusCode)
	}
	boss := h.signIn("boss@example.com")
	_, body := h.page(boss, "/admin/verification", "Accept-Language", "en")
	wantContains(t, body, "Verification policy", "Once saved here, this page wins", `data-fact="balance"`, "The configuration file (or the defaults) applies now.")
	wantLacks(t, body, `data-hl="facts-import"`) // imports are for admins
	if r := h.call("PUT", "/api/v1/verification/policy", h.admin, map[string]any{"policy": map[string]int{"balance": 1}}, nil); r.StatusCode != http.StatusOK {
		t.Fatal(r.StatusCode)
	}
	_, body = h.page(boss, "/admin/verification", "Accept-Language", "zh-CN")
	wantContains(t, body, "上次保存", "Admin", "验证策略")
	admin := h.signIn("admin@example.com")
	_, body = h.page(admin, "/admin/verification", "Accept-Language", "zh-TW")
	wantContains(t, body, `data-hl="facts-import"`, "匯入客戶檔案")
}
