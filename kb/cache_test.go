package kb_test

import (
	"context"
	"testing"

	"huiliu/kb"
	"huiliu/store/storetest"
)

// Repeated searches are answered from the result cache, which every change
// of the published articles or of the synonyms empties.
func TestSearchCacheFollowsChanges(t *testing.T) {
	ctx := context.Background()
	s := open(t, storetest.New(t), nil, "")
	count := func(q string) int {
		t.Helper()
		hits, err := s.Search(ctx, kb.Query{Text: q, Locale: "zh-CN"})
		if err != nil {
			t.Fatal(err)
		}
		return len(hits)
	}
	if n := count("发票"); n != 0 {
		t.Fatalf("empty base: %d hits", n)
	}
	publish(t, s, kb.Article{ID: "invoice", Locale: "zh-CN", Title: "如何开发票", Body: "在订单页申请电子发票。"})
	if n := count("发票"); n != 1 {
		t.Errorf("after publishing: %d hits, want 1", n)
	}
	if n := count("凭证"); n != 0 {
		t.Fatalf("before the synonym: %d hits", n)
	}
	if err := s.SetSynonyms(ctx, supervisor, [][]string{{"凭证", "发票"}}); err != nil {
		t.Fatal(err)
	}
	if n := count("凭证"); n != 1 {
		t.Errorf("after the synonym: %d hits, want 1", n)
	}
	hits, _ := s.Search(ctx, kb.Query{Text: "发票", Locale: "zh-CN"})
	hits[0].Article.Title = "changed by a caller"
	if again, _ := s.Search(ctx, kb.Query{Text: "发票", Locale: "zh-CN"}); again[0].Article.Title != "如何开发票" {
		t.Errorf("a caller changed the cached answer: %q", again[0].Article.Title)
	}
	if err := s.Unpublish(ctx, supervisor, "invoice"); err != nil {
		t.Fatal(err)
	}
	if n := count("发票"); n != 0 {
		t.Errorf("after unpublishing: %d hits, want 0", n)
	}
}
