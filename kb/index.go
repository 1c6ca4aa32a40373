package kb

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"sort"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	bberrors "go.etcd.io/bbolt/errors"
)

// schema names the index layout; a stored index of another schema is
// rebuilt. Change it whenever the mapping or fold changes.
const schema = "kb-3"

// Keys the index keeps beside its documents.
var (
	keyGeneration = []byte("kb:generation")
	keySchema     = []byte("kb:schema")
)

const analyzerName = "kb"

// doc is what a node keeps in memory of a published article: its metadata
// for hits and its plain text for snippets. Bodies of 10,000 articles are a
// few tens of megabytes.
type doc struct {
	a      Article  // Body and HTML empty
	text   string   // the body as plain text
	folded string   // text folded rune for rune (foldRunes), for snippets
	images []string // ids of the pictures the body shows
}

// index is the search index of one node plus the metadata of every
// published article.
type index struct {
	bi  bleve.Index
	log *slog.Logger

	mu     sync.RWMutex
	docs   map[string]*doc
	groups map[string][]string // group → article ids
	gen    int64

	// cache answers repeated searches; emptied by every change of the
	// index (setGeneration) or of the synonyms.
	cache   resultCache
	noCache bool
}

func newMapping() (*mapping.IndexMappingImpl, error) {
	m := bleve.NewIndexMapping()
	// Folding (width, case, 繁→简) happens before text reaches bleve; the
	// analyzer splits words (Latin) and characters (Han), drops English
	// stop words, stems English and pairs Han characters into bigrams.
	err := m.AddCustomAnalyzer(analyzerName, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []string{cjk.WidthName, lowercase.Name, en.StopName, porter.Name, cjk.BigramName},
	})
	if err != nil {
		return nil, err
	}
	m.DefaultAnalyzer = analyzerName
	text := bleve.NewTextFieldMapping()
	text.Analyzer = analyzerName
	text.Store = false
	text.IncludeTermVectors = false
	text.IncludeInAll = false
	kw := bleve.NewKeywordFieldMapping()
	kw.Store = false
	kw.IncludeInAll = false
	dm := bleve.NewDocumentStaticMapping()
	for _, f := range []string{"title", "summary", "tags", "body"} {
		dm.AddFieldMappingsAt(f, text)
	}
	for _, f := range []string{"locale", "visibility", "category"} {
		dm.AddFieldMappingsAt(f, kw)
	}
	m.DefaultMapping = dm
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false
	return m, nil
}

// indexed is the document bleve sees.
type indexed struct {
	Title      string `json:"title"`
	Summary    string `json:"summary"`
	Tags       string `json:"tags"`
	Body       string `json:"body"`
	Locale     string `json:"locale"`
	Visibility string `json:"visibility"`
	Category   string `json:"category"`
}

func toIndexed(a Article, text string) indexed {
	tags := ""
	for _, t := range a.Tags {
		tags += t + "\n"
	}
	return indexed{
		Title: fold(a.Title), Summary: fold(a.Summary), Tags: fold(tags), Body: fold(text),
		Locale: a.Locale, Visibility: string(a.Visibility), Category: a.Category,
	}
}

// openIndex opens the index in dir, rebuilding it from SQL when it is
// missing, unreadable, of another schema or behind the store's generation.
// An empty dir keeps it in memory.
func openIndex(ctx context.Context, dir string, st Store, log *slog.Logger) (*index, error) {
	gen, err := st.KBGeneration(ctx)
	if err != nil {
		return nil, fmt.Errorf("kb: generation: %w", err)
	}
	all, err := st.KBPublishedDocs(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("kb: load articles: %w", err)
	}
	ix := &index{log: log, docs: map[string]*doc{}, groups: map[string][]string{}}
	for _, a := range all {
		ix.put(a)
	}
	if dir != "" {
		// Another process holding the index (a second node on the same
		// data directory) must neither make this one wait nor lose its
		// files: this node then keeps its index in memory.
		bi, err := bleve.OpenUsing(dir, map[string]any{"bolt_timeout": "1s"})
		if errors.Is(err, bberrors.ErrTimeout) {
			log.Warn("kb: index in use by another process; keeping this node's index in memory", "dir", dir)
			dir = ""
		}
		if err == nil {
			s, _ := bi.GetInternal(keySchema)
			g, _ := bi.GetInternal(keyGeneration)
			if string(s) == schema && string(g) == strconv.FormatInt(gen, 10) {
				ix.bi, ix.gen = bi, gen
				log.Info("kb: index is current", "dir", dir, "generation", gen, "articles", len(all))
				return ix, nil
			}
			log.Info("kb: index is stale; rebuilding", "dir", dir, "index_generation", string(g), "generation", gen)
			_ = bi.Close()
		} else if dir != "" && !errors.Is(err, bleve.ErrorIndexPathDoesNotExist) {
			log.Warn("kb: index unreadable; rebuilding", "dir", dir, "err", err)
		}
		if dir != "" {
			if err := os.RemoveAll(dir); err != nil {
				return nil, fmt.Errorf("kb: remove stale index: %w", err)
			}
		}
	}
	m, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("kb: index mapping: %w", err)
	}
	if dir == "" {
		ix.bi, err = bleve.NewMemOnly(m)
	} else {
		ix.bi, err = bleve.New(dir, m)
	}
	if err != nil {
		return nil, fmt.Errorf("kb: create index: %w", err)
	}
	if err := ix.indexAll(all); err != nil {
		_ = ix.bi.Close()
		return nil, err
	}
	if err := ix.setGeneration(gen); err != nil {
		_ = ix.bi.Close()
		return nil, err
	}
	log.Info("kb: index built", "dir", dir, "generation", gen, "articles", len(all))
	return ix, nil
}

// indexAll adds articles in batches of 500.
func (ix *index) indexAll(all []Article) error {
	b := ix.bi.NewBatch()
	for i, a := range all {
		if err := b.Index(a.ID, toIndexed(a, plainText(a.HTML))); err != nil {
			return fmt.Errorf("kb: index %s: %w", a.ID, err)
		}
		if b.Size() >= 500 || i == len(all)-1 {
			if err := ix.bi.Batch(b); err != nil {
				return fmt.Errorf("kb: index batch: %w", err)
			}
			b.Reset()
		}
	}
	return nil
}

func (ix *index) setGeneration(gen int64) error {
	ix.cache.clear()
	ix.mu.Lock()
	if gen < ix.gen {
		gen = ix.gen
	}
	ix.gen = gen
	ix.mu.Unlock()
	if err := ix.bi.SetInternal(keySchema, []byte(schema)); err != nil {
		return fmt.Errorf("kb: index schema: %w", err)
	}
	if err := ix.bi.SetInternal(keyGeneration, []byte(strconv.FormatInt(gen, 10))); err != nil {
		return fmt.Errorf("kb: index generation: %w", err)
	}
	return nil
}

// put records a published article's metadata (the caller indexes it).
func (ix *index) put(a Article) {
	text := plainText(a.HTML)
	d := &doc{a: a, text: text, folded: foldRunes(text), images: imageIDs(a.HTML)}
	d.a.Body, d.a.HTML = "", ""
	ix.mu.Lock()
	defer ix.mu.Unlock()
	old, had := ix.docs[a.ID]
	if had && old.a.Group != a.Group {
		ix.dropFromGroup(old.a.Group, a.ID)
	}
	if !had || old.a.Group != a.Group {
		ix.groups[a.Group] = append(ix.groups[a.Group], a.ID)
	}
	ix.docs[a.ID] = d
}

func (ix *index) drop(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if old, ok := ix.docs[id]; ok {
		ix.dropFromGroup(old.a.Group, id)
		delete(ix.docs, id)
	}
}

func (ix *index) dropFromGroup(group, id string) {
	ids := ix.groups[group]
	for i, x := range ids {
		if x == id {
			ids = append(ids[:i:i], ids[i+1:]...)
			break
		}
	}
	if len(ids) == 0 {
		delete(ix.groups, group)
	} else {
		ix.groups[group] = ids
	}
}

// refresh re-reads the given articles from SQL and updates the index: a
// published one is (re)indexed, anything else removed.
func (ix *index) refresh(ctx context.Context, st Store, ids []string, gen int64) error {
	docs, err := st.KBPublishedDocs(ctx, ids)
	if err != nil {
		return fmt.Errorf("kb: reload articles: %w", err)
	}
	found := map[string]bool{}
	b := ix.bi.NewBatch()
	for _, a := range docs {
		found[a.ID] = true
		if err := b.Index(a.ID, toIndexed(a, plainText(a.HTML))); err != nil {
			return fmt.Errorf("kb: index %s: %w", a.ID, err)
		}
	}
	for _, id := range ids {
		if !found[id] {
			b.Delete(id)
		}
	}
	if err := ix.bi.Batch(b); err != nil {
		return fmt.Errorf("kb: index batch: %w", err)
	}
	for _, a := range docs {
		ix.put(a)
	}
	for _, id := range ids {
		if !found[id] {
			ix.drop(id)
		}
	}
	return ix.setGeneration(gen)
}

// rebuild re-reads every published article and reindexes them all, for a
// node that lost track of changes (a reset of the bus).
func (ix *index) rebuild(ctx context.Context, st Store) error {
	gen, err := st.KBGeneration(ctx)
	if err != nil {
		return fmt.Errorf("kb: generation: %w", err)
	}
	all, err := st.KBPublishedDocs(ctx, nil)
	if err != nil {
		return fmt.Errorf("kb: load articles: %w", err)
	}
	keep := map[string]bool{}
	for _, a := range all {
		keep[a.ID] = true
	}
	ix.mu.RLock()
	var gone []string
	for id := range ix.docs {
		if !keep[id] {
			gone = append(gone, id)
		}
	}
	ix.mu.RUnlock()
	if err := ix.indexAll(all); err != nil {
		return err
	}
	b := ix.bi.NewBatch()
	for _, id := range gone {
		b.Delete(id)
		ix.drop(id)
	}
	if err := ix.bi.Batch(b); err != nil {
		return fmt.Errorf("kb: index batch: %w", err)
	}
	for _, a := range all {
		ix.put(a)
	}
	return ix.setGeneration(gen)
}

// visible: the public sees public articles; agents see all.
func visible(a Article, aud Audience) bool {
	return aud == AudienceAgent || a.Visibility == Public
}

// pick returns the published article to show for id in locale: its
// translation in locale if there is one the audience may see, else id
// itself.
func (ix *index) pick(id, locale string, aud Audience) (Article, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	d, ok := ix.docs[id]
	if !ok {
		return Article{}, false
	}
	if a, ok := ix.inLocale(d.a.Group, locale, aud); ok {
		return a, true
	}
	if !visible(d.a, aud) {
		return Article{}, false
	}
	return d.a, true
}

// inLocale needs ix.mu held.
func (ix *index) inLocale(group, locale string, aud Audience) (Article, bool) {
	for _, id := range ix.groups[group] {
		if d := ix.docs[id]; d != nil && d.a.Locale == locale && visible(d.a, aud) {
			return d.a, true
		}
	}
	return Article{}, false
}

func (ix *index) generation() int64 {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.gen
}

func (ix *index) close() error { return ix.bi.Close() }

// browse lists one article per translation group the audience may see,
// in locale where translated (else the group's first in Locales order),
// of one category when set: those in locale first, then by title.
func (ix *index) browse(locale string, aud Audience, category string) []Article {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	var out []Article
	for group, ids := range ix.groups {
		a, ok := ix.inLocale(group, locale, aud)
		if !ok {
			best := -1
			for _, id := range ids {
				d := ix.docs[id]
				if d != nil && visible(d.a, aud) && (best < 0 || localeRank(d.a.Locale) < best) {
					a, ok, best = d.a, true, localeRank(d.a.Locale)
				}
			}
		}
		if ok && (category == "" || a.Category == category) {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		li, lj := out[i].Locale == locale, out[j].Locale == locale
		if li != lj {
			return li
		}
		if out[i].Title != out[j].Title {
			return out[i].Title < out[j].Title
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func (ix *index) alternates(id string, aud Audience) []Article {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	d, ok := ix.docs[id]
	if !ok {
		return nil
	}
	var out []Article
	for _, l := range Locales {
		if a, ok := ix.inLocale(d.a.Group, l, aud); ok {
			out = append(out, a)
		}
	}
	return out
}

// unknownWords returns the words of at least minRunes runes that, once
// analysed (stemmed), are no term of a title or of tags: the only ones
// worth a fuzzy match. On an index error every long word counts as unknown.
func (ix *index) unknownWords(ctx context.Context, words []string, minRunes int) []string {
	var long []string
	for _, w := range words {
		if utf8.RuneCountInString(w) >= minRunes {
			long = append(long, w)
		}
	}
	if len(long) == 0 {
		return nil
	}
	adv, err := ix.bi.Advanced()
	if err != nil {
		return long
	}
	rd, err := adv.Reader()
	if err != nil {
		return long
	}
	defer rd.Close()
	has := func(term []byte, field string) bool {
		tfr, err := rd.TermFieldReader(ctx, term, field, false, false, false)
		if err != nil {
			return false
		}
		defer tfr.Close()
		return tfr.Count() > 0
	}
	an := ix.bi.Mapping().AnalyzerNamed(analyzerName)
	var out []string
	for _, w := range long {
		known := false
		for _, tok := range an.Analyze([]byte(w)) {
			known = known || has(tok.Term, "title") || has(tok.Term, "tags")
		}
		if !known {
			out = append(out, w)
		}
	}
	return out
}

// showsPublicly says whether a public published article shows the picture.
func (ix *index) showsPublicly(imageID string) bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	for _, d := range ix.docs {
		if d.a.Visibility == Public && slices.Contains(d.images, imageID) {
			return true
		}
	}
	return false
}
