package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/store/storetest"
)

func ptr[T any](v T) *T { return &v }

// surveyToken is the token of the i-th survey of a ticket, as the sender
// puts it in the customer's link.
func (h *harness) surveyToken(ticketID string, i int) string {
	h.t.Helper()
	list, err := h.db.TicketSurveys(context.Background(), ticketID)
	if err != nil || len(list) <= i {
		h.t.Fatalf("surveys of %s: %v (%d)", ticketID, err, len(list))
	}
	tok, _, err := h.csat.SurveyLink(context.Background(), list[i].MessageID)
	if err != nil {
		h.t.Fatal(err)
	}
	return tok
}

// resolved is a ticket of team A, answered by agent A and resolved.
func (h *harness) resolved(ext string) desk.Ticket {
	h.t.Helper()
	ctx := context.Background()
	tk := h.inbound(ext, "cust-"+ext, "押金什么时候退？")
	h.moveToTeam(tk.ID, "A")
	if _, _, err := h.svc.Post(ctx, desk.AgentActor(h.agentA), desk.PostRequest{TicketID: tk.ID, Kind: desk.KindReply, Text: "已退回"}); err != nil {
		h.t.Fatal(err)
	}
	if _, err := h.svc.ChangeTicket(ctx, h.agentA, tk.ID, desk.TicketChange{Status: ptr(desk.StatusResolved)}); err != nil {
		h.t.Fatal(err)
	}
	return tk
}

// postSurvey posts the public page's form, stating origin (empty: none).
// The page speaks the language the question was asked in (zh-CN here).
func (h *harness) postSurvey(token, origin string, form url.Values) (int, string) {
	h.t.Helper()
	req, _ := http.NewRequest("POST", h.srv.URL+"/survey/"+token, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestSurveyPageAnswersOnceAndExpires(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	h := newHarnessAt(t, clock)
	tk := h.resolved("p1")
	tok := h.surveyToken(tk.ID, 0)
	anon := &http.Client{}

	resp, body := h.page(anon, "/survey/"+tok)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-hl="survey-form"`) || !strings.Contains(body, "请为本次服务打分") ||
		!strings.Contains(body, `value="1"`) || !strings.Contains(body, `<html lang="zh-CN"`) {
		t.Fatalf("survey page %d:\n%s", resp.StatusCode, body)
	}
	if resp, body := h.page(anon, "/survey/"+tok[:len(tok)-2]+"AA"); resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "找不到") {
		t.Fatalf("forged token: %d", resp.StatusCode)
	}
	if status, _ := h.postSurvey(tok, "https://evil.example", url.Values{"score": {"1"}}); status != http.StatusForbidden {
		t.Fatalf("a cross-site form answered %d", status)
	}
	if status, body := h.postSurvey(tok, "", url.Values{"score": {"9"}}); status != http.StatusBadRequest || !strings.Contains(body, "1 到 5") {
		t.Fatalf("score 9: %d %s", status, body)
	}
	status, body := h.postSurvey(tok, h.srv.URL, url.Values{"score": {"4"}, "comment": {"退得很快"}})
	if status != http.StatusOK || !strings.Contains(body, `data-hl="survey-thanks"`) || !strings.Contains(body, "4/5") {
		t.Fatalf("answer: %d\n%s", status, body)
	}
	status, body = h.postSurvey(tok, "", url.Values{"score": {"1"}, "comment": {"again"}})
	if status != http.StatusConflict || !strings.Contains(body, "已经回答过") {
		t.Fatalf("second answer: %d\n%s", status, body)
	}
	// The page now says thanks; the agent sees the answer.
	if resp, body := h.page(anon, "/survey/"+tok); resp.StatusCode != http.StatusOK || !strings.Contains(body, "4/5") {
		t.Fatalf("answered page: %d", resp.StatusCode)
	}
	var got struct{ Surveys []desk.Survey }
	if resp := h.call("GET", "/api/v1/tickets/"+tk.ID+"/survey", h.agent, nil, &got); resp.StatusCode != 200 ||
		len(got.Surveys) != 1 || got.Surveys[0].Score != 4 || got.Surveys[0].Comment != "退得很快" {
		t.Fatalf("survey API: %d %+v", resp.StatusCode, got)
	}

	// A second resolution's survey, answered after 7 days.
	h.inbound("p1b", "cust-p1", "还有问题")
	if _, err := h.svc.ChangeTicket(context.Background(), h.agentA, tk.ID, desk.TicketChange{Status: ptr(desk.StatusResolved)}); err != nil {
		t.Fatal(err)
	}
	late := h.surveyToken(tk.ID, 1)
	mu.Lock()
	now = now.Add(desk.SurveyValidity + time.Minute)
	mu.Unlock()
	if resp, body := h.page(anon, "/survey/"+late); resp.StatusCode != http.StatusGone || !strings.Contains(body, "过期") || strings.Contains(body, "survey-form") {
		t.Fatalf("expired page: %d\n%s", resp.StatusCode, body)
	}
	if status, body := h.postSurvey(late, "", url.Values{"score": {"5"}}); status != http.StatusConflict || !strings.Contains(body, "已过期") {
		t.Fatalf("expired answer: %d\n%s", status, body)
	}
}

// TestSurveyAPIAnswer: the API channel's integration answers with the
// token from its callback.
func TestSurveyAPIAnswer(t *testing.T) {
	h := newHarnessWith(t, storetest.New(t), desk.Options{})
	tk := h.resolved("j1")
	tok := h.surveyToken(tk.ID, 0)
	var ans struct {
		Score int `json:"score"`
	}
	if resp := h.call("POST", "/api/v1/public/survey-answers", "", map[string]any{"token": tok, "score": 3, "comment": "ok"}, &ans); resp.StatusCode != 200 || ans.Score != 3 {
		t.Fatalf("answer: %d %+v", resp.StatusCode, ans)
	}
	var e apiError
	if resp := h.call("POST", "/api/v1/public/survey-answers", "", map[string]any{"token": tok, "score": 5}, &e); resp.StatusCode != http.StatusConflict || e.Error.Code != "conflict" {
		t.Fatalf("second answer: %d %+v", resp.StatusCode, e)
	}
	if resp := h.call("POST", "/api/v1/public/survey-answers", "", map[string]any{"token": tok, "score": 5, "extra": 1}, &e); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("unknown field: %d", resp.StatusCode)
	}
}

func TestCSATSettingsAdmin(t *testing.T) {
	h := newHarness(t)
	teams, err := h.db.Teams(context.Background())
	if err != nil || len(teams) == 0 {
		t.Fatal(err)
	}
	body := map[string]any{"scope": teams[0].ID, "enabled": false, "threshold": 3, "notify": true,
		"wording": map[string]string{"en": "Rate us", "zh-TW": "請評分"}}
	if resp := h.call("PUT", "/api/v1/csat/settings", h.agent, body, nil); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("an agent saved settings: %d", resp.StatusCode)
	}
	if resp := h.call("PUT", "/api/v1/csat/settings", h.admin, map[string]any{"threshold": 9}, nil); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("threshold 9: %d", resp.StatusCode)
	}
	if resp := h.call("PUT", "/api/v1/csat/settings", h.admin, map[string]any{"wording": map[string]string{"fr": "x"}}, nil); resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("wording in French: %d", resp.StatusCode)
	}
	if resp := h.call("PUT", "/api/v1/csat/settings", h.admin, body, nil); resp.StatusCode != 200 {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	var list desk.CSATSettingsList
	if resp := h.call("GET", "/api/v1/csat/settings", h.admin, nil, &list); resp.StatusCode != 200 || !list.Default.Enabled ||
		len(list.Teams) != 1 || list.Teams[0].Enabled || list.Teams[0].Threshold != 3 || list.Teams[0].Wording["zh-TW"] != "請評分" {
		t.Fatalf("settings: %+v", list)
	}
	// Team A switched surveys off: resolving its ticket asks nothing.
	tk := h.resolved("off1")
	if list, _ := h.db.TicketSurveys(context.Background(), tk.ID); len(list) != 0 {
		t.Fatalf("%d surveys with surveys off", len(list))
	}
	browser := h.signIn("admin@example.com")
	resp, page := h.page(browser, "/admin/csat")
	if resp.StatusCode != 200 || !strings.Contains(page, `data-hl="csat-form"`) || !strings.Contains(page, "csat_admin.js") {
		t.Fatalf("admin page %d", resp.StatusCode)
	}
	if resp, _ := h.page(h.signIn("li@example.com"), "/admin/csat"); resp.StatusCode != http.StatusForbidden {
		t.Fatalf("an agent opened the admin page: %d", resp.StatusCode)
	}
}
