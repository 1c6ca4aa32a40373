package kb_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"huiliu/desk"
	"huiliu/kb"
	"huiliu/queue"
	"huiliu/queue/memory"
	"huiliu/queue/redisq"
	"huiliu/store/storetest"
)

var (
	system     = desk.SystemActor("test")
	agent      = desk.AgentActor(desk.Agent{ID: "a1", Role: desk.RoleAgent})
	supervisor = desk.AgentActor(desk.Agent{ID: "s1", Role: desk.RoleSupervisor})
)

func open(t *testing.T, st kb.Store, bus queue.Bus, dir string) *kb.Service {
	t.Helper()
	s, err := kb.Open(context.Background(), kb.Options{Store: st, Bus: bus, IndexDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func publish(t *testing.T, s *kb.Service, a kb.Article) kb.Article {
	t.Helper()
	ctx := context.Background()
	a, err := s.SaveDraft(ctx, agent, a)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Submit(ctx, agent, a.ID); err != nil {
		t.Fatal(err)
	}
	a, err = s.Approve(ctx, supervisor, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func ids(hits []kb.Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.Article.ID)
	}
	return out
}

func TestWorkflowKeepsEveryPublishedVersion(t *testing.T) {
	ctx := context.Background()
	s := open(t, storetest.New(t), nil, "")
	a := publish(t, s, kb.Article{ID: "deposit", Locale: "zh-CN", Title: "押金怎么退", Body: "还机验收后 **3 个工作日**内退还押金。", Tags: []string{"押金"}})
	if a.Version != 1 || a.Status != kb.Published {
		t.Fatalf("after approve: version %d status %s", a.Version, a.Status)
	}
	if !strings.Contains(a.HTML, "<strong>3 个工作日</strong>") {
		t.Errorf("html = %q", a.HTML)
	}
	// A new draft does not change what readers see until it is approved.
	a.Body = "还机验收后 5 个工作日内退还押金。"
	if _, err := s.SaveDraft(ctx, agent, a); err != nil {
		t.Fatal(err)
	}
	pub, err := s.Published(ctx, "deposit", "zh-CN", kb.AudiencePublic)
	if err != nil || !strings.Contains(pub.Body, "3 个工作日") {
		t.Fatalf("published while a draft is open = %q, %v", pub.Body, err)
	}
	if _, err := s.Approve(ctx, agent, "deposit"); desk.CodeOf(err) != desk.CodeForbidden {
		t.Errorf("agent approve: %v, want forbidden", err)
	}
	if _, err := s.Submit(ctx, agent, "deposit"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Reject(ctx, supervisor, "deposit", "写清楚是工作日还是自然日"); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(ctx, "deposit")
	if got.Status != kb.Draft || got.ReviewNote == "" {
		t.Errorf("after reject: %s %q", got.Status, got.ReviewNote)
	}
	if _, err := s.Submit(ctx, agent, "deposit"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Approve(ctx, supervisor, "deposit"); err != nil {
		t.Fatal(err)
	}
	vs, err := s.Versions(ctx, "deposit")
	if err != nil || len(vs) != 2 || vs[0].Version != 2 || vs[1].Version != 1 || vs[0].ApprovedBy != "s1" || vs[0].AuthorID != "a1" {
		t.Fatalf("versions = %+v, %v", vs, err)
	}
	if !strings.Contains(vs[1].Body, "3 个工作日") || !strings.Contains(vs[0].Body, "5 个工作日") {
		t.Errorf("versions hold the wrong text")
	}
	pub, _ = s.Published(ctx, "deposit", "zh-CN", kb.AudiencePublic)
	if !strings.Contains(pub.Body, "5 个工作日") {
		t.Errorf("published after second approval = %q", pub.Body)
	}
}

func TestTranslationsAndVisibility(t *testing.T) {
	ctx := context.Background()
	s := open(t, storetest.New(t), nil, "")
	publish(t, s, kb.Article{ID: "bill", Locale: "zh-CN", Title: "如何查询账单", Body: "在 App 的“我的账单”里查看。"})
	publish(t, s, kb.Article{ID: "bill-tw", Group: "bill", Locale: "zh-TW", Title: "如何查詢帳單", Body: "在 App 的「我的帳單」裡查看。"})
	publish(t, s, kb.Article{ID: "bill-en", Group: "bill", Locale: "en", Title: "How to check your bill", Body: "Open My bills in the app."})
	if _, err := s.SaveDraft(ctx, agent, kb.Article{ID: "bill-tw2", Group: "bill", Locale: "zh-TW", Title: "x"}); desk.CodeOf(err) != desk.CodeConflict {
		t.Errorf("second zh-TW translation: %v", err)
	}
	tr, err := s.Translations(ctx, "bill-en")
	if err != nil || len(tr) != 3 || tr[0].ID != "bill" || tr[1].ID != "bill-tw" || tr[2].ID != "bill-en" {
		t.Fatalf("translations = %v, %v", tr, err)
	}
	a, err := s.Published(ctx, "bill", "en", kb.AudiencePublic)
	if err != nil || a.ID != "bill-en" {
		t.Errorf("published(bill, en) = %s, %v", a.ID, err)
	}
	hits, err := s.Search(ctx, kb.Query{Text: "帳單", Locale: "zh-TW"})
	if err != nil || len(hits) != 1 || hits[0].Article.ID != "bill-tw" {
		t.Errorf("search 帳單 in zh-TW = %v, %v", ids(hits), err)
	}
	publish(t, s, kb.Article{ID: "internal-note", Locale: "zh-CN", Title: "账单争议内部处理口径", Body: "仅供客服。", Visibility: kb.Internal})
	hits, _ = s.Search(ctx, kb.Query{Text: "账单争议", Locale: "zh-CN"})
	for _, h := range hits {
		if h.Article.ID == "internal-note" {
			t.Errorf("the public found an internal article")
		}
	}
	if _, err := s.Published(ctx, "internal-note", "zh-CN", kb.AudiencePublic); desk.CodeOf(err) != desk.CodeNotFound {
		t.Errorf("public read of an internal article: %v", err)
	}
	hits, _ = s.Search(ctx, kb.Query{Text: "账单争议", Locale: "zh-CN", Audience: kb.AudienceAgent})
	if len(hits) == 0 || hits[0].Article.ID != "internal-note" {
		t.Errorf("agent search = %v", ids(hits))
	}
}

func TestFoldingSynonymsAndMixedQueries(t *testing.T) {
	ctx := context.Background()
	s := open(t, storetest.New(t), nil, "")
	publish(t, s, kb.Article{ID: "deposit", Locale: "zh-CN", Title: "押金退还说明", Tags: []string{"deposit"}, Body: "归还设备并验收后，押金原路退还。Deposits are refunded to the original card."})
	publish(t, s, kb.Article{ID: "overdue", Locale: "zh-CN", Title: "逾期会有什么后果", Body: "逾期会产生罚息并影响信用记录。"})
	publish(t, s, kb.Article{ID: "bill", Locale: "zh-CN", Title: "账单查询", Body: "每月 1 日出账单。"})
	for _, c := range []struct{ q, want string }{
		{"退還押金", "deposit"},
		{"帳單", "bill"},
		{"保证金", "deposit"},   // synonym
		{"按金幾時退", "deposit"}, // synonym + Traditional
		{"拖欠", "overdue"},
		{"押金 refund", "deposit"},
		{"ＤＥＰＯＳＩＴ", "deposit"}, // full width + case
		{"refunding deposits", "deposit"},
		{"depositt", "deposit"}, // a typo (fuzzy on titles and tags)
	} {
		hits, err := s.Search(ctx, kb.Query{Text: c.q, Locale: "zh-CN"})
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) == 0 || hits[0].Article.ID != c.want {
			t.Errorf("search %q = %v, want %s first", c.q, ids(hits), c.want)
		}
	}
	hits, _ := s.Search(ctx, kb.Query{Text: "退還押金"})
	if len(hits) == 0 || !strings.Contains(hits[0].Snippet, "<mark>押金</mark>") {
		t.Errorf("snippet = %v", hits)
	}
	// Synonyms are editable and apply at once.
	if _, err := s.Search(ctx, kb.Query{Text: "租金押款"}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetSynonyms(ctx, supervisor, [][]string{{"押款", "押金"}}); err != nil {
		t.Fatal(err)
	}
	hits, _ = s.Search(ctx, kb.Query{Text: "押款"})
	if len(hits) == 0 || hits[0].Article.ID != "deposit" {
		t.Errorf("after adding 押款 ~ 押金: %v", ids(hits))
	}
	if err := s.SetSynonyms(ctx, agent, nil); desk.CodeOf(err) != desk.CodeForbidden {
		t.Errorf("agent sets synonyms: %v", err)
	}
}

func TestIndexRebuiltWhenMissingOrStale(t *testing.T) {
	ctx := context.Background()
	st := storetest.New(t)
	dir := filepath.Join(t.TempDir(), "kb.bleve")
	s, err := kb.Open(ctx, kb.Options{Store: st, IndexDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	publish(t, s, kb.Article{ID: "deposit", Locale: "zh-CN", Title: "押金退还说明", Body: "押金原路退还。"})
	s.Close()
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	s = open(t, st, nil, dir)
	if hits, _ := s.Search(ctx, kb.Query{Text: "押金"}); len(hits) != 1 {
		t.Fatalf("after deleting the index: %v", ids(hits))
	}
	// An edit made while this node's index was closed (another process)
	// makes it stale: it is rebuilt on open.
	s.Close()
	other := open(t, st, nil, "")
	publish(t, other, kb.Article{ID: "overdue", Locale: "zh-CN", Title: "逾期后果", Body: "逾期会产生罚息。"})
	s = open(t, st, nil, dir)
	if hits, _ := s.Search(ctx, kb.Query{Text: "逾期"}); len(hits) != 1 || hits[0].Article.ID != "overdue" {
		t.Fatalf("stale index not rebuilt: %v", ids(hits))
	}
}

func TestTwoNodesSeeAnEdit(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := storetest.New(t)
	busA, busB := twoBuses(t)
	a := open(t, st, busA, "")
	b := open(t, st, busB, "")
	go a.Run(ctx)
	go b.Run(ctx)
	publish(t, a, kb.Article{ID: "invoice", Locale: "zh-CN", Title: "如何开发票", Body: "在订单页申请电子发票。"})
	waitFor(t, func() bool {
		hits, _ := b.Search(ctx, kb.Query{Text: "发票"})
		return len(hits) == 1
	})
	if err := a.Unpublish(ctx, supervisor, "invoice"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		hits, _ := b.Search(ctx, kb.Query{Text: "发票"})
		return len(hits) == 0
	})
	if err := a.SetSynonyms(ctx, supervisor, [][]string{{"开票", "发票"}}); err != nil {
		t.Fatal(err)
	}
	publish(t, a, kb.Article{ID: "invoice2", Locale: "zh-CN", Title: "发票", Body: "电子发票。"})
	waitFor(t, func() bool {
		hits, _ := b.Search(ctx, kb.Query{Text: "开票"})
		return len(hits) == 1
	})
}

func waitFor(t *testing.T, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 10 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// twoBuses are two nodes' buses: two clients of the Redis at REDIS_URL
// (under a fresh prefix, deleted afterwards) or, without it, one process's
// memory bus shared.
func twoBuses(t *testing.T) (queue.Bus, queue.Bus) {
	t.Helper()
	url := os.Getenv("REDIS_URL")
	if url == "" {
		b := memory.New().Bus()
		return b, b
	}
	ctx := context.Background()
	var raw [6]byte
	_, _ = rand.Read(raw[:])
	prefix := "kbtest:" + hex.EncodeToString(raw[:]) + ":"
	var out [2]queue.Bus
	for i := range out {
		be, err := redisq.New(ctx, url, redisq.WithPrefix(prefix))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { be.Close() })
		out[i] = be.Bus()
	}
	t.Cleanup(func() {
		opt, err := redis.ParseURL(url)
		if err != nil {
			return
		}
		c := redis.NewClient(opt)
		defer c.Close()
		keys, _ := c.Keys(ctx, prefix+"*").Result()
		if len(keys) > 0 {
			c.Del(ctx, keys...)
		}
	})
	return out[0], out[1]
}
