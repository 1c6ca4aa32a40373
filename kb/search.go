package kb

import (
	"context"
	"fmt"
	"html"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Field boosts: a word in the title or the tags says more about what an
// article is for than the same word in its body.
var fieldBoosts = []struct {
	field string
	boost float64
}{{"title", 4}, {"tags", 3}, {"summary", 1.5}, {"body", 1}}

// synonymWeight is how much a synonym counts against the reader's own word.
const synonymWeight = 0.5

// Search finds published articles for a query: one hit per translation
// group, in the reader's locale where a translation exists, best first.
func (s *Service) Search(ctx context.Context, q Query) ([]Hit, error) {
	if q.Limit <= 0 {
		q.Limit = 10
	}
	q.Limit = min(q.Limit, MaxLimit)
	if q.Audience != AudienceAgent {
		q.Audience = AudiencePublic
	}
	text := correctMisspellings(fold(strings.TrimSpace(cut(q.Text, MaxQuery))))
	if strings.TrimSpace(text) == "" {
		return []Hit{}, nil
	}
	key := cacheKey{text: text, locale: q.Locale, category: q.Category, audience: q.Audience, limit: q.Limit}
	var epoch uint64
	if !s.idx.noCache {
		cached, e, ok := s.idx.cache.get(key)
		if ok {
			return cached, nil
		}
		epoch = e
	}
	s.synMu.RLock()
	alts := s.syn.expand(text)
	s.synMu.RUnlock()
	if t := fillers.Replace(text); strings.TrimSpace(t) != "" {
		text = t
	}

	should := make([]query.Query, 0, (1+len(alts))*len(fieldBoosts)+2)
	for _, f := range fieldBoosts {
		should = append(should, match(f.field, text, f.boost))
		for _, alt := range alts {
			should = append(should, match(f.field, alt, f.boost*synonymWeight))
		}
	}
	// Typo tolerance for Latin words only, after stemming: one edit in
	// words of five letters or more ("refnd" is too short to guess safely;
	// "invoce" is not). Chinese bigrams are left exact. A word the index
	// knows is taken as written: building a Levenshtein automaton per
	// search was the costliest allocation of a search, and a known word
	// is rarely a typo of another.
	if long := s.idx.unknownWords(ctx, latinWords(text), 5); len(long) > 0 {
		// Titles and tags only: expanding a typo over every body's terms
		// costs more than it finds.
		for _, f := range []string{"title", "tags"} {
			m := match(f, strings.Join(long, " "), 0.3)
			m.SetFuzziness(1)
			should = append(should, m)
		}
	}
	// Visibility is checked on the hits below rather than in the query: a
	// term filter every document matches makes bleve walk its whole
	// posting list beside the words, and internal articles are few.
	var top query.Query = bleve.NewDisjunctionQuery(should...)
	if q.Category != "" {
		top = bleve.NewConjunctionQuery(top, term("category", q.Category))
	}
	req := bleve.NewSearchRequestOptions(top, min(q.Limit*4, 200), 0, false)
	res, err := s.idx.bi.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("kb: search: %w", err)
	}
	terms := append(queryTerms(text), alts...)
	hits := []Hit{}
	seen := map[string]bool{}
	s.idx.mu.RLock()
	defer s.idx.mu.RUnlock()
	for _, h := range res.Hits {
		d := s.idx.docs[h.ID]
		if d == nil || seen[d.a.Group] || !visible(d.a, q.Audience) {
			continue
		}
		seen[d.a.Group] = true
		a := d.a
		score := h.Score
		if a.Locale != q.Locale {
			if t, ok := s.idx.inLocale(a.Group, q.Locale, q.Audience); ok {
				a = t
			} else if q.Locale != "" {
				// No translation for the reader: still an answer, after
				// those in their language.
				score *= 0.7
			}
		}
		hits = append(hits, Hit{Article: a, Score: score})
	}
	slices.SortStableFunc(hits, func(x, y Hit) int {
		switch {
		case x.Score > y.Score:
			return -1
		case x.Score < y.Score:
			return 1
		}
		return 0
	})
	if len(hits) > q.Limit {
		hits = hits[:q.Limit]
	}
	// Snippets only for the hits returned: finding terms in a body is a
	// fifth of a search, and up to four times more hits are collected.
	for i := range hits {
		hits[i].Snippet = snippet(s.idx.docs[hits[i].Article.ID], hits[i].Article.Summary, terms)
	}
	if !s.idx.noCache {
		s.idx.cache.put(key, epoch, hits)
	}
	return hits, nil
}

// Suggest returns up to n articles for a customer's message (the desk's
// suggestions, the widget's deflection, the bot).
func (s *Service) Suggest(ctx context.Context, text, locale string, aud Audience, n int) ([]Hit, error) {
	return s.Search(ctx, Query{Text: text, Locale: locale, Audience: aud, Limit: n})
}

// fillers are the words of a Chinese question that say nothing about its
// subject (怎么, 可以, 吗 …); left in, their bigrams match every title that
// is phrased as a question. They are cut from queries (not from the index),
// longest first, unless nothing else is left.
var fillers = strings.NewReplacer(
	"怎么办", " ", "为什么", " ", "是不是", " ", "怎么样", " ", "什么时候", " ", "请问", " ",
	"怎么", " ", "如何", " ", "什么", " ", "可以", " ", "能不能", " ", "哪里", " ", "在哪", " ",
	"多久", " ", "怎样", " ", "哪些", " ", "我的", " ", "一下", " ", "你们", " ",
	"吗", " ", "呢", " ", "吧", " ", "啊", " ", "了", " ", "的", " ", "我", " ",
)

func match(field, text string, boost float64) *query.MatchQuery {
	m := bleve.NewMatchQuery(text)
	m.SetField(field)
	m.Analyzer = analyzerName
	m.SetBoost(boost)
	return m
}

func term(field, value string) query.Query {
	t := bleve.NewTermQuery(value)
	t.SetField(field)
	return t
}

// queryTerms are the pieces of a folded query to mark in a snippet: Latin
// words, and runs of Han characters cut into pairs (as the index does).
func queryTerms(q string) []string {
	var out []string
	for _, f := range strings.FieldsFunc(q, func(r rune) bool { return r < 0x80 && !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
		if !hasHan(f) {
			if len(f) > 1 && !slices.Contains(out, f) {
				out = append(out, f)
			}
			continue
		}
		r := []rune(f)
		if len(r) == 1 {
			out = append(out, f)
			continue
		}
		for i := 0; i+1 < len(r); i++ {
			if p := string(r[i : i+2]); !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// snippetRunes is the length of a snippet.
const snippetRunes = 90

// snippet returns about snippetRunes of text around the first query term,
// HTML-escaped, with every term found marked; the summary when no term is
// in the body. It walks only the window, not the whole text.
func snippet(d *doc, summary string, terms []string) string {
	ft := d.folded
	first := -1
	for _, t := range terms {
		if i := strings.Index(ft, t); i >= 0 && (first < 0 || i < first) {
			first = i
		}
	}
	if first < 0 {
		if summary != "" {
			return html.EscapeString(summary)
		}
		first = 0
	}
	start := max(0, utf8.RuneCountInString(ft[:first])-20)
	src, more := runeWindow(d.text, start, snippetRunes)
	folded, _ := runeWindow(ft, start, snippetRunes)
	marks := make([]bool, len(src))
	window := string(folded)
	for _, t := range terms {
		tr := utf8.RuneCountInString(t)
		for off := 0; ; {
			i := strings.Index(window[off:], t)
			if i < 0 {
				break
			}
			p := utf8.RuneCountInString(window[:off+i])
			for k := p; k < p+tr && k < len(marks); k++ {
				marks[k] = true
			}
			off += i + len(t)
		}
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	in := false
	for i, r := range src {
		if marks[i] != in {
			if in {
				b.WriteString("</mark>")
			} else {
				b.WriteString("<mark>")
			}
			in = marks[i]
		}
		b.WriteString(html.EscapeString(string(r)))
	}
	if in {
		b.WriteString("</mark>")
	}
	if more {
		b.WriteString("…")
	}
	return b.String()
}

// runeWindow returns n runes of s from rune start, and whether s goes on
// after them.
func runeWindow(s string, start, n int) ([]rune, bool) {
	out := make([]rune, 0, n)
	i := 0
	for _, r := range s {
		switch {
		case i < start:
		case len(out) < n:
			out = append(out, r)
		default:
			return out, true
		}
		i++
	}
	return out, false
}
