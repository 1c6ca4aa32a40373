package bench

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"path"
	"strings"
	"sync"
	"time"

	"huiliu/kb"
)

// kbQueries are what customers type, searched round-robin by bench kb.
var kbQueries = []string{
	"押金什么时候退", "帳單", "还款方式", "逾期会怎样", "提前还款", "分期", "手机摔坏了", "发票", "转人工", "冒充客服",
	"deposit refund", "late payment", "invoce", "押金 refund", "换手机号", "还不上了怎么办", "征信", "续租", "投訴", "扣款失败",
}

func runBenchKB(ctx context.Context, o Options, args []string, stdout, stderr io.Writer) error {
	var articles, searches int
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	a, closeDesk, err := o.OpenDesk(ctx, "bench kb", args, stderr, func(fs *flag.FlagSet) {
		fs.IntVar(&articles, "articles", 10000, "published articles to generate and index")
		fs.IntVar(&searches, "searches", 5000, "searches to time")
	}, func() error {
		if articles < 1 || searches < 1 {
			return usagef("--articles and --searches must be positive")
		}
		return nil
	}, log)
	if err != nil {
		return err
	}
	defer closeDesk()
	if a.KB == nil {
		return fmt.Errorf("bench kb: the desk has no knowledge-base store")
	}
	gen, err := newArticleGen()
	if err != nil {
		return err
	}
	start := time.Now()
	if err := fillKB(ctx, a.KB, gen, articles); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "bench kb: %d articles written to SQL in %s\n", articles, time.Since(start).Round(time.Millisecond))

	dir, err := os.MkdirTemp("", "huiliu-bench-kb")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	start = time.Now()
	// The index itself is timed without the result cache, which would
	// answer all but the first of each repeated query.
	idxDir := path.Join(dir, "kb.bleve")
	s, err := kb.Open(ctx, kb.Options{Store: a.KB, IndexDir: idxDir, Logger: log, NoResultCache: true})
	if err != nil {
		return err
	}
	indexRate := float64(articles) / time.Since(start).Seconds()
	lat, cpuPer, err := timeKBSearches(ctx, s, searches)
	_ = s.Close()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "kb: search p50 %.2f ms, p99 %.2f ms, index %.0f docs/s (%d articles, %d searches, %.2f ms CPU per search)\n",
		pct(lat, 0.50), pct(lat, 0.99), indexRate, articles, searches, cpuPer)

	// As served: the same searches with the result cache (the index on
	// disk is current, so this opens without a rebuild).
	s, err = kb.Open(ctx, kb.Options{Store: a.KB, IndexDir: idxDir, Logger: log})
	if err != nil {
		return err
	}
	defer s.Close()
	lat, cpuPer, err = timeKBSearches(ctx, s, searches)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "kb: with the result cache p50 %.2f ms, p99 %.2f ms (%d distinct searches, %.2f ms CPU per search)\n",
		pct(lat, 0.50), pct(lat, 0.99), len(kbQueries)*len(kbLocales), cpuPer)
	return nil
}

var kbLocales = []string{"zh-CN", "zh-TW", "en"}

// timeKBSearches times searches of kbQueries round-robin, in turn in each
// locale, and returns their latencies and the process's CPU per search.
func timeKBSearches(ctx context.Context, s *kb.Service, searches int) ([]time.Duration, float64, error) {
	// One search first loads OpenCC's dictionaries; it is not timed.
	if _, err := s.Search(ctx, kb.Query{Text: "帳單", Locale: "zh-CN"}); err != nil {
		return nil, 0, err
	}
	lat := make([]time.Duration, 0, searches)
	cpu0 := cpuTime()
	for i := range searches {
		q := kb.Query{Text: kbQueries[i%len(kbQueries)], Locale: kbLocales[i%len(kbLocales)], Limit: 10}
		t0 := time.Now()
		if _, err := s.Search(ctx, q); err != nil {
			return nil, 0, err
		}
		lat = append(lat, time.Since(t0))
	}
	return lat, float64((cpuTime() - cpu0).Microseconds()) / 1000 / float64(searches), nil
}

// articleGen makes articles from the demo help centre's sentences, titles
// and tags, so the index holds realistic Chinese and English text.
type articleGen struct {
	titles, sentences, tags map[string][]string // by locale
	categories              []string
}

func newArticleGen() (*articleGen, error) {
	g := &articleGen{titles: map[string][]string{}, sentences: map[string][]string{}, tags: map[string][]string{},
		categories: []string{"rental", "repay", "overdue", "account", "safety"}}
	err := fs.WalkDir(kb.Demo(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".md" {
			return err
		}
		data, err := fs.ReadFile(kb.Demo(), p)
		if err != nil {
			return err
		}
		a, err := kb.ParseFile(data)
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		g.titles[a.Locale] = append(g.titles[a.Locale], a.Title)
		g.tags[a.Locale] = append(g.tags[a.Locale], a.Tags...)
		for _, s := range strings.FieldsFunc(a.Body, func(r rune) bool { return r == '。' || r == '\n' || r == '；' }) {
			if s = strings.TrimSpace(s); len([]rune(s)) > 6 {
				g.sentences[a.Locale] = append(g.sentences[a.Locale], s)
			}
		}
		return nil
	})
	return g, err
}

func (g *articleGen) article(r *rand.Rand, i int) kb.Article {
	locale := "zh-CN"
	switch n := r.IntN(10); {
	case n == 0:
		locale = "zh-TW"
	case n == 1:
		locale = "en"
	}
	pick := func(list []string) string { return list[r.IntN(len(list))] }
	var body strings.Builder
	for range 4 + r.IntN(6) {
		body.WriteString(pick(g.sentences[locale]))
		body.WriteString("\n\n")
	}
	return kb.Article{
		ID: fmt.Sprintf("bench-%06d", i), Group: fmt.Sprintf("bench-%06d", i), Locale: locale,
		Title: fmt.Sprintf("%s（%d）", pick(g.titles[locale]), i), Body: body.String(),
		Summary: pick(g.sentences[locale]), Category: pick(g.categories),
		Tags: []string{pick(g.tags[locale]), pick(g.tags[locale])}, Visibility: kb.Public,
	}
}

// fillKB writes n published articles straight into the store, from 8
// writers so SQLite's group commit and PostgreSQL's pool are used.
func fillKB(ctx context.Context, st kb.Store, g *articleGen, n int) error {
	const writers = 8
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	now := time.Now()
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 42))
			for i := w; i < n; i += writers {
				a := g.article(r, i)
				a.HTML = kb.Render(a.Body)
				a.Status, a.CreatedAt, a.UpdatedAt = kb.Draft, now, now
				if err := st.KBInsertArticle(ctx, a); err != nil {
					errs <- err
					return
				}
				prev := a.UpdatedAt
				a.Status, a.Version, a.PublishedAt = kb.Published, 1, now.Add(time.Millisecond)
				a.UpdatedAt = prev
				v := kb.Version{ArticleID: a.ID, Version: 1, Locale: a.Locale, Title: a.Title, Body: a.Body, HTML: a.HTML,
					Summary: a.Summary, Category: a.Category, Tags: a.Tags, Visibility: a.Visibility, PublishedAt: a.PublishedAt}
				if _, err := st.KBPublish(ctx, a, v); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}
