package kb

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"huiliu/desk"
)

// synonyms are groups of folded terms that mean the same to a reader
// (押金 ~ 保证金 ~ 按金). They apply when searching, not when indexing, so an
// edit takes effect at once without a rebuild.
type synonyms struct {
	groups [][]string
}

// expand returns the terms a folded query does not contain that are
// synonyms of terms it does.
func (s *synonyms) expand(q string) []string {
	if s == nil {
		return nil
	}
	words := latinWords(q)
	var out []string
	for _, g := range s.groups {
		hit := false
		for _, t := range g {
			if contains(q, words, t) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		for _, t := range g {
			if !contains(q, words, t) && !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out
}

// contains: a Latin term must be a whole word of the query (so "app" is not
// found in "apply"); a Chinese one anywhere in it.
func contains(q string, words []string, term string) bool {
	if hasHan(term) {
		return strings.Contains(q, term)
	}
	if strings.Contains(term, " ") {
		return strings.Contains(" "+strings.Join(words, " ")+" ", " "+term+" ")
	}
	return slices.Contains(words, term)
}

// Synonyms returns the synonym groups as stored.
func (s *Service) Synonyms(ctx context.Context) ([][]string, error) {
	return s.store.KBSynonyms(ctx)
}

// SetSynonyms replaces the synonym groups (supervisors and admins). Each
// group needs two or more terms; terms are trimmed, empty ones dropped.
// Every node reloads them.
func (s *Service) SetSynonyms(ctx context.Context, actor desk.Actor, groups [][]string) error {
	if err := canReview(actor); err != nil {
		return err
	}
	var clean [][]string
	for i, g := range groups {
		var terms []string
		for _, t := range g {
			t = strings.Join(strings.Fields(t), " ")
			if t == "" || slices.Contains(terms, t) {
				continue
			}
			if len([]rune(t)) > MaxTag {
				return desk.Errorf(desk.CodeInvalid, "group %d: a term has at most %d characters", i+1, MaxTag)
			}
			terms = append(terms, t)
		}
		switch len(terms) {
		case 0:
			continue
		case 1:
			return desk.Errorf(desk.CodeInvalid, "group %d: a synonym group needs at least two terms", i+1)
		}
		if len(terms) > 20 {
			return desk.Errorf(desk.CodeInvalid, "group %d: at most 20 terms", i+1)
		}
		clean = append(clean, terms)
	}
	if len(clean) > MaxSynonyms {
		return desk.Errorf(desk.CodeInvalid, "at most %d synonym groups", MaxSynonyms)
	}
	if err := s.store.KBSetSynonyms(ctx, clean); err != nil {
		return err
	}
	if err := s.reloadSynonyms(ctx); err != nil {
		return err
	}
	s.announce(ctx, change{Synonyms: true})
	return nil
}

func (s *Service) reloadSynonyms(ctx context.Context) error {
	groups, err := s.store.KBSynonyms(ctx)
	if err != nil {
		return fmt.Errorf("kb: synonyms: %w", err)
	}
	syn := &synonyms{}
	for _, g := range groups {
		var f []string
		for _, t := range g {
			f = append(f, fold(t))
		}
		syn.groups = append(syn.groups, f)
	}
	s.synMu.Lock()
	s.syn = syn
	s.synMu.Unlock()
	if s.idx != nil {
		s.idx.cache.clear()
	}
	return nil
}

// ParseSynonyms reads the text form of synonym groups: one group a line,
// terms separated by "~" (or commas); blank lines and lines starting with
// # are skipped.
func ParseSynonyms(text string) [][]string {
	var out [][]string
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		var g []string
		for _, t := range strings.FieldsFunc(line, func(r rune) bool { return r == '~' || r == ',' || r == '，' }) {
			if t = strings.TrimSpace(t); t != "" {
				g = append(g, t)
			}
		}
		out = append(out, g)
	}
	return out
}

// FormatSynonyms is the text form ParseSynonyms reads.
func FormatSynonyms(groups [][]string) string {
	var b strings.Builder
	for _, g := range groups {
		b.WriteString(strings.Join(g, " ~ "))
		b.WriteByte('\n')
	}
	return b.String()
}
