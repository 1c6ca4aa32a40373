package bench

import (
	"context"
	"path/filepath"
	"testing"

	"huiliu/kb"
	"huiliu/store/storetest"
)

// BenchmarkKBSearch searches 2,000 generated articles without the result
// cache (huiliu bench kb
// runs the 10,000-article figure).
func BenchmarkKBSearch(b *testing.B) {
	ctx := context.Background()
	st := storetest.New(b)
	g, err := newArticleGen()
	if err != nil {
		b.Fatal(err)
	}
	if err := fillKB(ctx, st, g, 2000); err != nil {
		b.Fatal(err)
	}
	s, err := kb.Open(ctx, kb.Options{Store: st, IndexDir: filepath.Join(b.TempDir(), "kb.bleve"), NoResultCache: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		if _, err := s.Search(ctx, kb.Query{Text: kbQueries[i%len(kbQueries)], Locale: "zh-CN", Limit: 10}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func TestArticleGenMakesValidArticles(t *testing.T) {
	g, err := newArticleGen()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st := storetest.New(t)
	if err := fillKB(ctx, st, g, 50); err != nil {
		t.Fatal(err)
	}
	s, err := kb.Open(ctx, kb.Options{Store: st})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n := len(s.Browse("zh-CN", kb.AudienceAgent, "")); n != 50 {
		t.Errorf("%d articles indexed, want 50", n)
	}
	hits, err := s.Search(ctx, kb.Query{Text: "押金", Locale: "zh-CN"})
	if err != nil || len(hits) == 0 {
		t.Errorf("search over generated articles: %d hits, %v", len(hits), err)
	}
}
