package help_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"huiliu/desk"
	"huiliu/kb"
	"huiliu/kb/help"
	"huiliu/queue/memory"
	"huiliu/store/storetest"
)

func newHelp(t *testing.T) (*httptest.Server, *kb.Service) {
	t.Helper()
	ctx := context.Background()
	s, err := kb.Open(ctx, kb.Options{Store: storetest.New(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if rep, err := s.Import(ctx, desk.SystemActor("test"), kb.Demo()); err != nil || len(rep.Failed) > 0 {
		t.Fatalf("import: %v %v", rep.Failed, err)
	}
	srv := httptest.NewServer(help.New(help.Options{KB: s, Limiter: memory.New().Limiter()}))
	t.Cleanup(srv.Close)
	return srv, s
}

func get(t *testing.T, u string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestLanguageChoice(t *testing.T) {
	srv, _ := newHelp(t)
	_, body := get(t, srv.URL+"/help", "Accept-Language", "zh-Hant-TW,zh;q=0.8")
	if !strings.Contains(body, `<html lang="zh-TW">`) || !strings.Contains(body, "說明中心") {
		t.Errorf("Accept-Language zh-Hant did not give zh-TW")
	}
	_, body = get(t, srv.URL+"/help?lang=en", "Accept-Language", "zh-CN")
	if !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "Help centre") {
		t.Errorf("?lang=en did not win over Accept-Language")
	}
	for _, want := range []string{`hreflang="zh-CN"`, `hreflang="zh-TW"`, `hreflang="en"`, `<link rel="canonical"`, `<meta name="description"`} {
		if !strings.Contains(body, want) {
			t.Errorf("home lacks %s", want)
		}
	}
	if strings.Contains(body, "<script") || strings.Contains(body, "https://") {
		t.Errorf("the page loads a script or an external asset")
	}
}

func TestArticlePages(t *testing.T) {
	srv, _ := newHelp(t)
	// The visitor's translation has its own address.
	resp, _ := get(t, srv.URL+"/help/a/deposit-refund?lang=en")
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/help/a/deposit-refund-en?lang=en" {
		t.Errorf("redirect to translation: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := get(t, srv.URL+"/help/a/deposit-refund-en?lang=en")
	if resp.StatusCode != 200 || !strings.Contains(body, "<title>When and how is my deposit refunded? - Help centre</title>") {
		t.Fatalf("article page: %d", resp.StatusCode)
	}
	for _, want := range []string{`hreflang="zh-TW" href="` + srv.URL + `/help/a/deposit-refund-tw?lang=zh-TW"`, `rel="canonical" href="` + srv.URL + `/help/a/deposit-refund-en?lang=en"`, "Was this article helpful?"} {
		if !strings.Contains(body, want) {
			t.Errorf("article lacks %s", want)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") {
		t.Errorf("csp = %q", csp)
	}
	// No English translation: the Chinese article with a note.
	_, body = get(t, srv.URL+"/help/a/late-fee?lang=en")
	if !strings.Contains(body, "shown in 简体中文") {
		t.Errorf("no note about the article's language")
	}
	// Internal articles and unknown ids are not found.
	for _, id := range []string{"internal-hardship-script", "nope"} {
		if resp, _ := get(t, srv.URL+"/help/a/"+id); resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", id, resp.StatusCode)
		}
	}
	resp, body = get(t, srv.URL+"/help/c/overdue?lang=zh-CN")
	if resp.StatusCode != 200 || !strings.Contains(body, "逾期未还会有什么后果") || strings.Contains(body, "沟通口径") {
		t.Errorf("category page: %d (internal article listed: %v)", resp.StatusCode, strings.Contains(body, "沟通口径"))
	}
	_, body = get(t, srv.URL+"/help/search?lang=zh-TW&q="+url.QueryEscape("退還押金"))
	if !strings.Contains(body, "/help/a/deposit-refund-tw?lang=zh-TW") || !strings.Contains(body, "<mark>") {
		t.Errorf("search page lacks the zh-TW deposit article")
	}
}

func TestFeedbackIsStoredAndLimited(t *testing.T) {
	srv, s := newHelp(t)
	post := func(form url.Values) int {
		resp, err := http.PostForm(srv.URL+"/help/a/invoice/feedback?lang=zh-CN", form)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := post(url.Values{"helpful": {"maybe"}}); code != http.StatusBadRequest {
		t.Errorf("bad value: %d", code)
	}
	if code := post(url.Values{"helpful": {"no"}, "comment": {"<script>alert(1)</script>邮箱没收到"}}); code != 200 {
		t.Fatalf("feedback: %d", code)
	}
	fb, err := s.FeedbackFor(context.Background(), "invoice", 10)
	if err != nil || len(fb) != 1 || fb[0].Helpful || !strings.Contains(fb[0].Comment, "邮箱没收到") {
		t.Fatalf("stored feedback = %+v, %v", fb, err)
	}
	last := 0
	for range help.FeedbackPerHour {
		last = post(url.Values{"helpful": {"yes"}})
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("feedback %d times an hour: last %d, want 429", help.FeedbackPerHour+1, last)
	}
}

func TestSuggest(t *testing.T) {
	srv, _ := newHelp(t)
	resp, body := get(t, srv.URL+"/help/api/suggest?lang=zh-CN&q="+url.QueryEscape("押金怎么退"))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("suggest: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var out struct {
		Heading  string
		Articles []struct{ ID, Title, URL string }
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	if out.Heading == "" || len(out.Articles) == 0 || len(out.Articles) > help.SuggestMax || out.Articles[0].ID != "deposit-refund" ||
		out.Articles[0].URL != "/help/a/deposit-refund?lang=zh-CN" {
		t.Errorf("suggest = %+v", out)
	}
	_, body = get(t, srv.URL+"/help/api/suggest?q=x")
	if !strings.Contains(body, `"articles":[]`) {
		t.Errorf("one-letter query = %s", body)
	}
	code := 0
	for range help.SuggestPerMinute + 1 {
		resp, _ := get(t, srv.URL+"/help/api/suggest?q=abc")
		code = resp.StatusCode
	}
	if code != http.StatusTooManyRequests {
		t.Errorf("after the limit: %d", code)
	}
}

func TestArticleImages(t *testing.T) {
	srv, s := newHelp(t)
	ctx := context.Background()
	png := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 64)...)
	if _, err := s.SaveImage(ctx, desk.SystemActor("test"), "logo.svg", []byte(`<svg onload="alert(1)"></svg>`)); desk.CodeOf(err) != desk.CodeInvalid {
		t.Errorf("an SVG was accepted: %v", err)
	}
	img, err := s.SaveImage(ctx, desk.SystemActor("test"), "step1.png", png)
	if err != nil {
		t.Fatal(err)
	}
	a, err := s.SaveDraft(ctx, desk.SystemActor("test"), kb.Article{ID: "pic", Locale: "zh-CN", Title: "如何还机（图解）",
		Body: "![打包示意](" + kb.ImageURL(img.ID) + ")"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Approve(ctx, desk.SystemActor("test"), a.ID); err != nil {
		t.Fatal(err)
	}
	_, body := get(t, srv.URL+"/help/a/pic?lang=zh-CN")
	if !strings.Contains(body, `<img src="/help/img/`+img.ID+`" alt="打包示意">`) {
		t.Errorf("article does not show the image: %s", body[strings.Index(body, `class="body"`):][:200])
	}
	resp, got := get(t, srv.URL+kb.ImageURL(img.ID))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || got != string(png) {
		t.Errorf("image: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if resp, _ := get(t, srv.URL+"/help/img/nope"); resp.StatusCode != 404 {
		t.Errorf("unknown image: %d", resp.StatusCode)
	}

	// A picture of an internal article, or of a draft, is for agents only.
	secret, err := s.SaveImage(ctx, desk.SystemActor("test"), "backoffice.png", png)
	if err != nil {
		t.Fatal(err)
	}
	draft, err := s.SaveImage(ctx, desk.SystemActor("test"), "draft.png", png)
	if err != nil {
		t.Fatal(err)
	}
	in, err := s.SaveDraft(ctx, desk.SystemActor("test"), kb.Article{ID: "pic-internal", Locale: "zh-CN", Title: "后台减免操作",
		Visibility: kb.Internal, Body: "![后台](" + kb.ImageURL(secret.ID) + ")"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Approve(ctx, desk.SystemActor("test"), in.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveDraft(ctx, desk.SystemActor("test"), kb.Article{ID: "pic-draft", Locale: "zh-CN", Title: "草稿",
		Body: "![草稿](" + kb.ImageURL(draft.ID) + ")"}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{secret.ID, draft.ID} {
		if resp, got := get(t, srv.URL+kb.ImageURL(id)); resp.StatusCode != 404 || got == string(png) {
			t.Errorf("anonymous visitor got agents' image %s: %d", id, resp.StatusCode)
		}
	}
	agents := httptest.NewServer(help.New(help.Options{KB: s, Agent: func(r *http.Request) bool { return r.Header.Get("X-Agent") == "yes" }}))
	defer agents.Close()
	resp, got = get(t, agents.URL+kb.ImageURL(secret.ID), "X-Agent", "yes")
	if resp.StatusCode != 200 || got != string(png) || resp.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("agent's view of an internal image: %d %q", resp.StatusCode, resp.Header.Get("Cache-Control"))
	}
	if resp, _ := get(t, agents.URL+kb.ImageURL(secret.ID), "X-Agent", "no"); resp.StatusCode != 404 {
		t.Errorf("internal image without an agent: %d", resp.StatusCode)
	}
	// Withdrawn, the public article's picture is no longer public.
	if err := s.Unpublish(ctx, desk.SystemActor("test"), a.ID); err != nil {
		t.Fatal(err)
	}
	if resp, _ := get(t, srv.URL+kb.ImageURL(img.ID)); resp.StatusCode != 404 {
		t.Errorf("image of an unpublished article: %d", resp.StatusCode)
	}
}
