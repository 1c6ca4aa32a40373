package web_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"huiliu/desk"
	"huiliu/desk/web"
	"huiliu/kb"
)

// publish stores an article and publishes it as the system (an import).
func (h *harness) publish(a kb.Article) kb.Article {
	h.t.Helper()
	ctx := context.Background()
	saved, err := h.kb.SaveDraft(ctx, desk.Actor{}, a)
	if err != nil {
		h.t.Fatal(err)
	}
	out, err := h.kb.Approve(ctx, desk.Actor{}, saved.ID)
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

// kbFixture makes the articles and the category the IDOR table's kb routes
// name: published ones (to read, to withdraw), drafts to save and submit,
// one in review.
func kbFixture(t *testing.T, h *harness, ids map[string]string) {
	t.Helper()
	ctx := context.Background()
	ids[":kb-published"] = h.publish(kb.Article{ID: "deposit", Locale: "zh-CN", Title: "押金怎么退", Body: "还机后 7 个工作日内原路退回。", Visibility: kb.Public}).ID
	ids[":kb-unpublish"] = h.publish(kb.Article{ID: "renew", Locale: "zh-CN", Title: "如何续租", Body: "到期前在订单页续租。", Visibility: kb.Public}).ID
	for _, name := range []string{":kb-draft", ":kb-submit", ":kb-review"} {
		a, err := h.kb.SaveDraft(ctx, desk.Actor{}, kb.Article{Locale: "zh-CN", Title: "草稿 " + name, Body: "正文"})
		if err != nil {
			t.Fatal(err)
		}
		ids[name] = a.ID
	}
	if _, err := h.kb.Submit(ctx, desk.Actor{}, ids[":kb-review"]); err != nil {
		t.Fatal(err)
	}
	if err := h.kb.SaveCategory(ctx, desk.Actor{}, kb.Category{ID: "deposit", Names: map[string]string{"zh-CN": "押金"}}); err != nil {
		t.Fatal(err)
	}
	ids[":kb-category"] = "deposit"
}

// demoArticles loads the demo help centre (kb.Demo) as huiliu demo does.
func (h *harness) demoArticles() {
	h.t.Helper()
	rep, err := h.kb.Import(context.Background(), desk.Actor{}, kb.Demo())
	if err != nil || len(rep.Failed) > 0 {
		h.t.Fatalf("import the demo: %v %v", err, rep.Failed)
	}
}

type hitsJSON struct {
	Query string   `json:"query"`
	Hits  []kb.Hit `json:"hits"`
}

func TestKBSuggestionsForTheLatestCustomerMessage(t *testing.T) {
	h := newHarness(t)
	h.demoArticles()
	tk := h.inbound("kb1", "cust-kb", "你好，我想问下还款")
	h.inbound("kb2", "cust-kb", "设备已经还了，押金啥时候退回来？手机 13812345678")

	var got hitsJSON
	if r := h.call("GET", "/api/v1/tickets/"+tk.ID+"/kb-suggestions?locale=zh-CN", h.agent, nil, &got); r.StatusCode != http.StatusOK {
		t.Fatalf("suggestions: %d", r.StatusCode)
	}
	if len(got.Hits) == 0 || got.Hits[0].Article.ID != "deposit-refund" {
		t.Fatalf("suggestions for the latest message = %+v, want deposit-refund first", got.Hits)
	}
	if !strings.Contains(got.Query, "押金") || strings.Contains(got.Query, "13812345678") {
		t.Errorf("query = %q: want the latest message, masked for an agent without pii.reveal", got.Query)
	}
	// The agent's language picks the translation.
	got = hitsJSON{}
	h.call("GET", "/api/v1/tickets/"+tk.ID+"/kb-suggestions?locale=en", h.agent, nil, &got)
	if len(got.Hits) == 0 || got.Hits[0].Article.ID != "deposit-refund-en" {
		t.Fatalf("suggestions in English = %+v, want the en translation", got.Hits)
	}

	// Agents also find internal articles; the search box works alone.
	got = hitsJSON{}
	h.call("GET", "/api/v1/kb/search?q="+url.QueryEscape("还款困难 口径"), h.agent, nil, &got)
	found := false
	for _, hit := range got.Hits {
		found = found || hit.Article.ID == "internal-hardship-script"
	}
	if !found {
		t.Errorf("search for 还款困难 口径 = %+v, want the internal hardship script", got.Hits)
	}
	var e apiError
	if r := h.call("GET", "/api/v1/kb/search?q=x&limit=500", h.agent, nil, &e); r.StatusCode != http.StatusBadRequest || e.Error.Code != "invalid" {
		t.Errorf("limit 500: %d %+v", r.StatusCode, e)
	}

	// A ticket with no customer text suggests nothing, without an error.
	stranger := h.createAgent("wu@example.com", "吴", desk.RoleAgent, "B")
	_ = stranger
	h.moveToTeam(tk.ID, "A")
	_, strangerToken, err := h.svc.CreateToken(context.Background(), desk.Actor{}, "wu@example.com", "t")
	if err != nil {
		t.Fatal(err)
	}
	if r := h.call("GET", "/api/v1/tickets/"+tk.ID+"/kb-suggestions", strangerToken, nil, nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("another team's ticket: %d, want 404", r.StatusCode)
	}
}

func TestKBReplyTextIsPlainWithTheHelpLink(t *testing.T) {
	h := newHarness(t)
	h.demoArticles()
	var got struct {
		Text, Link, Title, Locale string
	}
	if r := h.call("GET", "/api/v1/kb/articles/deposit-refund/reply-text?locale=zh-CN", h.agent, nil, &got); r.StatusCode != http.StatusOK {
		t.Fatalf("reply text: %d", r.StatusCode)
	}
	if strings.Contains(got.Text, "**") || !strings.Contains(got.Text, "3 个工作日") || !strings.Contains(got.Text, "\n- 验收发现") {
		t.Errorf("text = %q: want plain text with list items on their own lines", got.Text)
	}
	if !strings.HasSuffix(got.Link, "/help/a/deposit-refund?lang=zh-CN") || !strings.HasPrefix(got.Link, "http://") {
		t.Errorf("link = %q", got.Link)
	}
	// With a public URL configured, links point there rather than at the
	// host the agent reached.
	pub := httptest.NewServer(web.New(web.Options{Service: h.svc, KB: h.kb, PublicURL: "https://help.example.com/"}))
	t.Cleanup(pub.Close)
	req, _ := http.NewRequest("GET", pub.URL+"/api/v1/kb/articles/deposit-refund/reply-text?locale=zh-CN", nil)
	req.Header.Set("Authorization", "Bearer "+h.agent)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var viaPublic struct{ Link string }
	if err := json.NewDecoder(resp.Body).Decode(&viaPublic); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if viaPublic.Link != "https://help.example.com/help/a/deposit-refund?lang=zh-CN" {
		t.Errorf("link with a public URL = %q", viaPublic.Link)
	}
	h.call("GET", "/api/v1/kb/articles/deposit-refund/reply-text?locale=en", h.agent, nil, &got)
	if got.Locale != "en" || !strings.Contains(got.Text, "3 working days") {
		t.Errorf("en reply text = %+v", got)
	}
	got.Link = "x"
	h.call("GET", "/api/v1/kb/articles/internal-hardship-script/reply-text", h.agent, nil, &got)
	if got.Link != "" {
		t.Errorf("an internal article has a public link %q", got.Link)
	}
	if r := h.call("GET", "/api/v1/kb/articles/nope/reply-text", h.agent, nil, nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown article: %d", r.StatusCode)
	}
}

func TestKBWorkflowRolesOverTheAPI(t *testing.T) {
	h := newHarness(t)
	sup := h.createAgent("sup@example.com", "主管", desk.RoleSupervisor)
	_, supToken, err := h.svc.CreateToken(context.Background(), desk.Actor{}, sup.Email, "t")
	if err != nil {
		t.Fatal(err)
	}
	var a kb.Article
	if r := h.call("POST", "/api/v1/kb/articles", h.agent, map[string]any{"id": "invoice", "locale": "zh-CN", "title": "如何开发票", "body": "在订单页申请。"}, &a); r.StatusCode != http.StatusCreated {
		t.Fatalf("agent creates a draft: %d", r.StatusCode)
	}
	if a.Status != kb.Draft || a.AuthorID != h.agentA.ID {
		t.Errorf("draft = %+v", a)
	}
	if r := h.call("POST", "/api/v1/kb/articles", h.agent, map[string]any{"id": "invoice", "locale": "zh-CN", "title": "again", "body": "x"}, nil); r.StatusCode != http.StatusConflict {
		t.Errorf("creating over an existing id: %d, want 409", r.StatusCode)
	}
	if r := h.call("PUT", "/api/v1/kb/articles/nope", h.agent, map[string]any{"locale": "zh-CN", "title": "t", "body": "x"}, nil); r.StatusCode != http.StatusNotFound {
		t.Errorf("saving an unknown article: %d, want 404", r.StatusCode)
	}
	var e apiError
	if r := h.call("PUT", "/api/v1/kb/articles/invoice", h.agent, map[string]any{"locale": "xx", "title": "t", "body": "x"}, &e); r.StatusCode != http.StatusBadRequest || !strings.Contains(e.Error.Message, "locale") {
		t.Errorf("bad locale: %d %+v", r.StatusCode, e)
	}
	if r := h.call("POST", "/api/v1/kb/articles/invoice/submit", h.agent, nil, &a); r.StatusCode != http.StatusOK || a.Status != kb.Review {
		t.Fatalf("submit: %d %+v", r.StatusCode, a)
	}
	for _, c := range []struct{ method, path string }{
		{"POST", "/api/v1/kb/articles/invoice/review"}, {"PUT", "/api/v1/kb/categories/billing"}, {"PUT", "/api/v1/kb/synonyms"},
	} {
		if r := h.call(c.method, c.path, h.agent, map[string]any{}, nil); r.StatusCode != http.StatusForbidden {
			t.Errorf("agent %s %s: %d, want 403", c.method, c.path, r.StatusCode)
		}
	}
	if r := h.call("POST", "/api/v1/kb/articles/invoice/review", supToken, map[string]any{"approve": false}, &e); r.StatusCode != http.StatusBadRequest {
		t.Errorf("a rejection without a reason: %d", r.StatusCode)
	}
	if r := h.call("POST", "/api/v1/kb/articles/invoice/review", supToken, map[string]any{"approve": false, "comment": "写清楚入口"}, &a); r.StatusCode != http.StatusOK || a.Status != kb.Draft || a.ReviewNote != "写清楚入口" {
		t.Fatalf("reject: %d %+v", r.StatusCode, a)
	}
	h.call("POST", "/api/v1/kb/articles/invoice/submit", h.agent, nil, &a)
	if r := h.call("POST", "/api/v1/kb/articles/invoice/review", supToken, map[string]any{"approve": true}, &a); r.StatusCode != http.StatusOK || a.Status != kb.Published || a.Version != 1 {
		t.Fatalf("approve: %d %+v", r.StatusCode, a)
	}
	vs, err := h.kb.Versions(context.Background(), "invoice")
	if err != nil || len(vs) != 1 || vs[0].ApprovedBy != sup.ID || vs[0].AuthorID != h.agentA.ID {
		t.Fatalf("versions = %+v, %v", vs, err)
	}

	// Settings: categories and synonyms (supervisors), and search picks
	// up the synonyms at once.
	if r := h.call("PUT", "/api/v1/kb/categories/billing", supToken, map[string]any{"names": map[string]string{"zh-CN": "账单", "en": "Billing"}, "position": 2}, nil); r.StatusCode != http.StatusOK {
		t.Errorf("save category: %d", r.StatusCode)
	}
	var syn struct{ Groups [][]string }
	if r := h.call("PUT", "/api/v1/kb/synonyms", supToken, map[string]any{"text": "# 票据\n发票 ~ 收据 ~ 票据\n"}, &syn); r.StatusCode != http.StatusOK || len(syn.Groups) != 1 {
		t.Fatalf("synonyms: %d %+v", r.StatusCode, syn)
	}
	var got hitsJSON
	h.call("GET", "/api/v1/kb/search?q="+url.QueryEscape("收据"), h.agent, nil, &got)
	if len(got.Hits) == 0 || got.Hits[0].Article.ID != "invoice" {
		t.Errorf("search 收据 after the synonym = %+v, want invoice", got.Hits)
	}
	if r := h.call("PUT", "/api/v1/kb/synonyms", supToken, map[string]any{"text": "孤单"}, &e); r.StatusCode != http.StatusBadRequest {
		t.Errorf("a group of one term: %d", r.StatusCode)
	}
	var prev struct{ HTML string }
	if r := h.call("POST", "/api/v1/kb/preview", h.agent, map[string]any{"body": "# 标题\n\n**粗体**"}, &prev); r.StatusCode != http.StatusOK || !strings.Contains(prev.HTML, "<strong>粗体</strong>") {
		t.Errorf("preview: %d %q", r.StatusCode, prev.HTML)
	}
}

func TestKBPagesByRole(t *testing.T) {
	h := newHarness(t)
	h.demoArticles()
	ctx := context.Background()
	h.createAgent("sup@example.com", "主管", desk.RoleSupervisor)
	if err := h.kb.RecordQuery(ctx, "押金", "zh-CN", kb.AudiencePublic, 2); err != nil {
		t.Fatal(err)
	}
	if err := h.kb.RecordQuery(ctx, "违章罚单", "zh-CN", kb.AudiencePublic, 0); err != nil {
		t.Fatal(err)
	}
	for _, f := range []kb.Feedback{{Helpful: true}, {Helpful: true}, {Helpful: true}, {Helpful: false, Comment: "没说清到账时间"}} {
		f.ArticleID, f.Locale = "deposit-refund", "zh-CN"
		if err := h.kb.RecordFeedback(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := h.kb.SaveDraft(ctx, desk.Actor{}, kb.Article{ID: "in-review", Locale: "zh-CN", Title: "待审文章", Body: "内容"}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.kb.Submit(ctx, desk.Actor{}, "in-review"); err != nil {
		t.Fatal(err)
	}

	agent := h.signIn("li@example.com")
	sup := h.signIn("sup@example.com")
	for _, p := range []struct {
		path          string
		agent, sup    int
		supShows      []string
		supNotContain []string
	}{
		{"/kb", 200, 200, []string{"押金什么时候退？怎么退？", `href="/kb/articles/deposit-refund"`}, nil},
		{"/kb?status=review", 200, 200, []string{"待审文章"}, []string{"押金什么时候退"}},
		{"/kb?visibility=internal", 200, 200, []string{"内部：还款困难客户的沟通口径"}, []string{"押金什么时候退"}},
		{"/kb?locale=en", 200, 200, []string{"When and how is my deposit refunded?"}, []string{"有哪些还款方式"}},
		{"/kb?q=" + url.QueryEscape("押金"), 200, 200, []string{"押金什么时候退？怎么退？"}, []string{"如何修改绑定的手机号"}},
		{"/kb?status=bogus", 400, 400, nil, nil},
		{"/kb/articles/new", 200, 200, []string{`data-hl="kb-form"`}, nil},
		{"/kb/articles/deposit-refund", 200, 200, []string{`data-hl="kb-versions"`, "v1", `data-hl="kb-translation" data-locale="en"`, `data-locale="zh-TW"`, "<strong>验收通过</strong>"}, []string{`data-hl="kb-add-translation"`}},
		{"/kb/articles/deposit-free", 200, 200, []string{`data-hl="kb-add-translation" data-locale="zh-TW"`, `data-hl="kb-add-translation" data-locale="en"`}, nil},
		{"/kb/articles/deposit-refund-en", 200, 200, []string{`data-hl="kb-source"`, "押金什么时候退？怎么退？"}, nil},
		{"/kb/articles/deposit-refund/versions/1", 200, 200, []string{"押金什么时候退？怎么退？", "<li>验收发现"}, nil},
		{"/kb/articles/deposit-refund/versions/9", 404, 404, nil, nil},
		{"/kb/articles/nope", 404, 404, nil, nil},
		{"/kb/articles/new?translation_of=deposit-refund&locale=zh-TW", 200, 200, []string{`data-hl="kb-source"`, `value="deposit-refund"`}, nil},
		{"/kb/review", 403, 200, []string{"待审文章", `data-hl="kb-approve"`}, nil},
		{"/kb/categories", 403, 200, []string{`data-hl="kb-category-form"`}, nil},
		{"/kb/synonyms", 403, 200, []string{"押金 ~ 保证金"}, nil},
		{"/kb/analytics", 403, 200, []string{"违章罚单", "75%", "没说清到账时间"}, nil},
	} {
		if r, _ := h.page(agent, p.path); r.StatusCode != p.agent {
			t.Errorf("agent GET %s: %d, want %d", p.path, r.StatusCode, p.agent)
		}
		r, body := h.page(sup, p.path)
		if r.StatusCode != p.sup {
			t.Errorf("supervisor GET %s: %d, want %d", p.path, r.StatusCode, p.sup)
			continue
		}
		for _, s := range p.supShows {
			if !strings.Contains(body, s) {
				t.Errorf("GET %s lacks %q", p.path, s)
			}
		}
		for _, s := range p.supNotContain {
			if strings.Contains(body, s) {
				t.Errorf("GET %s shows %q", p.path, s)
			}
		}
	}
	// The agents' nav leads to the knowledge base; review links only for
	// supervisors.
	_, body := h.page(agent, "/kb")
	wantContains(t, body, `data-hl="nav-kb"`)
	wantLacks(t, body, `data-hl="kb-nav-review"`)
	// Every language has the page.
	for _, lang := range []string{"zh-CN", "zh-TW", "en"} {
		_, body := h.page(sup, "/kb/analytics", "Accept-Language", lang)
		// The scripts' catalog names its keys; the page itself must not.
		if _, after, ok := strings.Cut(body, `id="hl-page"`); !ok || strings.Contains(after, "kbdesk.") {
			t.Errorf("%s: an untranslated key on the analytics page", lang)
		}
	}
}

func TestKBDraftFromAnAgentsReply(t *testing.T) {
	h := newHarness(t)
	tk := h.inbound("d1", "cust-d", "押金怎么退")
	reply := "您好，押金会退到尾号卡上，如有问题请拨打 13812345678 或发邮件到 wang.li@example.com 联系我们。"
	var m desk.Message
	if r := h.call("POST", "/api/v1/tickets/"+tk.ID+"/messages", h.agent, map[string]any{"kind": "reply", "text": reply}, &m, "Idempotency-Key", "k1"); r.StatusCode != http.StatusCreated {
		t.Fatalf("reply: %d", r.StatusCode)
	}
	agent := h.signIn("li@example.com")
	r, body := h.page(agent, "/kb/articles/new?ticket="+tk.ID+"&message="+m.ID)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("draft from reply: %d", r.StatusCode)
	}
	text := html.UnescapeString(body)
	if !strings.Contains(text, "押金会退到尾号卡上") || strings.Contains(text, "13812345678") || strings.Contains(text, "wang.li@example.com") {
		t.Errorf("the draft must hold the reply with personal data masked")
	}
	wantContains(t, body, `data-hl="kb-from-ticket"`)

	// The customer's own message is not an agent's reply.
	msgs, err := h.svc.TicketMessages(context.Background(), h.agentA, tk.ID, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := h.page(agent, "/kb/articles/new?ticket="+tk.ID+"&message="+msgs[0].ID); r.StatusCode != http.StatusBadRequest {
		t.Errorf("a customer message: %d, want 400", r.StatusCode)
	}
	// Another team's agent cannot read the reply through the editor.
	h.moveToTeam(tk.ID, "A")
	h.createAgent("wu@example.com", "吴", desk.RoleAgent, "B")
	stranger := h.signIn("wu@example.com")
	if r, _ := h.page(stranger, "/kb/articles/new?ticket="+tk.ID+"&message="+m.ID); r.StatusCode != http.StatusNotFound {
		t.Errorf("another team's ticket: %d, want 404", r.StatusCode)
	}
	// The ticket page offers the action on agents' replies.
	_, page := h.page(agent, "/tickets/"+tk.ID)
	wantContains(t, page, `data-direction="out" data-author="agent"`, `data-hl="kb-suggest"`, "kb_ticket.js")
}

func TestCannedReplyStandsForAnArticle(t *testing.T) {
	h := newHarness(t)
	h.demoArticles()
	var cr desk.CannedReply
	if r := h.call("POST", "/api/v1/canned-replies", h.admin, map[string]any{"title": "押金", "text": "请稍候，我们确认后回复您。", "article_id": "deposit-refund"}, &cr); r.StatusCode != http.StatusCreated || cr.ArticleID != "deposit-refund" {
		t.Fatalf("create: %d %+v", r.StatusCode, cr)
	}
	var e apiError
	if r := h.call("POST", "/api/v1/canned-replies", h.admin, map[string]any{"title": "x", "text": "y", "article_id": "no-such"}, &e); r.StatusCode != http.StatusBadRequest || !strings.Contains(e.Error.Message, "no-such") {
		t.Errorf("unknown article: %d %+v", r.StatusCode, e)
	}
	list := func(lang string) desk.CannedReply {
		var out struct {
			CannedReplies []desk.CannedReply `json:"canned_replies"`
		}
		h.call("GET", "/api/v1/canned-replies", h.agent, nil, &out, "Accept-Language", lang)
		for _, c := range out.CannedReplies {
			if c.ID == cr.ID {
				return c
			}
		}
		t.Fatalf("canned reply %s not listed", cr.ID)
		return desk.CannedReply{}
	}
	got := list("zh-CN")
	if !strings.HasPrefix(got.Text, "设备归还并验收通过后，押金在 3 个工作日内原路退回。\n") || !strings.Contains(got.Text, "/help/a/deposit-refund?lang=zh-CN") {
		t.Errorf("canned text = %q: want the article's published summary and link", got.Text)
	}
	if got := list("en"); !strings.Contains(got.Text, "3 working days") {
		t.Errorf("English canned text = %q: want the en translation", got.Text)
	}
	// A new published version is what agents insert from then on.
	a, err := h.kb.Get(context.Background(), "deposit-refund")
	if err != nil {
		t.Fatal(err)
	}
	a.Summary = "验收通过后 2 个工作日内退回。"
	h.publish(a)
	if got := list("zh-CN"); !strings.HasPrefix(got.Text, "验收通过后 2 个工作日内退回。") {
		t.Errorf("after a new version: %q", got.Text)
	}
	// Withdrawn: the reply's own text.
	if err := h.kb.Unpublish(context.Background(), desk.Actor{}, "deposit-refund"); err != nil {
		t.Fatal(err)
	}
	if got := list("zh-CN"); got.Text != "请稍候，我们确认后回复您。" {
		t.Errorf("withdrawn article: %q, want the fallback text", got.Text)
	}
}

// TestKBHostileArticleIsInert: a title and a body written to attack the
// desk come out as text on every page that shows them.
func TestKBHostileArticleIsInert(t *testing.T) {
	h := newHarness(t)
	title := `<img src=x onerror=alert(1)>"><script>alert(2)</script>`
	body := "<script>alert(3)</script>\n\n[click](javascript:alert(4)) <img src=x onerror=alert(5)>\n\n<a href=\"javascript:alert(6)\">x</a>"
	h.publish(kb.Article{ID: "evil", Locale: "zh-CN", Title: title, Summary: title, Body: body, Visibility: kb.Public})
	a, err := h.kb.SaveDraft(context.Background(), desk.Actor{}, kb.Article{ID: "evil", Locale: "zh-CN", Title: title, Body: body})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.kb.Submit(context.Background(), desk.Actor{}, a.ID); err != nil {
		t.Fatal(err)
	}
	h.createAgent("sup@example.com", "主管", desk.RoleSupervisor)
	sup := h.signIn("sup@example.com")
	for _, p := range []string{"/kb", "/kb/articles/evil", "/kb/articles/evil/versions/1", "/kb/review", "/kb/articles/new?translation_of=evil&locale=en"} {
		r, page := h.page(sup, p)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", p, r.StatusCode)
		}
		for _, bad := range []string{"<script>alert", "<img src=x onerror", "<img src=\"x\" onerror", "href=\"javascript:", "<a href=\"javascript"} {
			if strings.Contains(page, bad) {
				t.Errorf("GET %s contains %q", p, bad)
			}
		}
		if !strings.Contains(page, "&lt;img src=x onerror=alert(1)&gt;") {
			t.Errorf("GET %s does not show the title as text", p)
		}
	}
	var prev struct{ HTML string }
	h.call("POST", "/api/v1/kb/preview", h.agent, map[string]any{"body": body}, &prev)
	for _, bad := range []string{"<script", "onerror", "javascript:"} {
		if strings.Contains(prev.HTML, bad) {
			t.Errorf("preview %q contains %q", prev.HTML, bad)
		}
	}
}
