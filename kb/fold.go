package kb

import (
	"strings"
	"sync"
	"unicode"

	"github.com/longbridgeapp/opencc"
	"golang.org/x/text/width"
)

// t2s converts Traditional to Simplified Chinese with OpenCC's data. Its
// dictionaries load once, on first use (about 100 ms).
var t2s = sync.OnceValue(func() *opencc.OpenCC {
	cc, err := opencc.New("t2s")
	if err != nil {
		// The dictionaries are embedded in the binary: failing to load
		// them is a build defect, not a runtime condition.
		panic("kb: load OpenCC t2s: " + err.Error())
	}
	return cc
})

// fold is what both the index and queries see of a text: full-width forms
// narrowed (ＡＢＣ１ → ABC1), case folded and Traditional characters and
// phrases turned Simplified (帳單 → 账单), so a reader finds an article
// whatever form either was written in.
func fold(s string) string {
	s = strings.ToLower(width.Fold.String(s))
	if !hasTraditional(s) {
		// Most text is Simplified or Latin already; OpenCC's phrase
		// matching is the expensive part of indexing, so it runs only
		// where a character would change.
		return variants.Replace(s)
	}
	out, err := t2s().Convert(s)
	if err != nil {
		return s
	}
	return variants.Replace(out)
}

// variants are Simplified characters written for one another that OpenCC
// keeps apart: it turns 帳 into 帐, while mainland texts write 账单.
var variants = strings.NewReplacer("帐", "账")

var t2sRunes sync.Map // rune → rune

// t2sRune is OpenCC's conversion of one character on its own (the
// character itself when it is Simplified or converts to several).
func t2sRune(r rune) rune {
	if v, ok := t2sRunes.Load(r); ok {
		return v.(rune)
	}
	out := r
	if c, err := t2s().Convert(string(r)); err == nil {
		if rs := []rune(c); len(rs) == 1 {
			out = rs[0]
		}
	}
	t2sRunes.Store(r, out)
	return out
}

func hasTraditional(s string) bool {
	for _, r := range s {
		if r >= 0x2E80 && unicode.Is(unicode.Han, r) && t2sRune(r) != r {
			return true
		}
	}
	return false
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// foldRune folds one character the way fold does, keeping one rune for one
// rune so that positions in a folded text map back onto the original (for
// snippets).
func foldRune(r rune) rune {
	if r < 0x80 {
		return unicode.ToLower(r)
	}
	if f := []rune(width.Fold.String(string(r))); len(f) == 1 {
		r = f[0]
	}
	r = unicode.ToLower(r)
	if r >= 0x2E80 && unicode.Is(unicode.Han, r) {
		r = t2sRune(r)
	}
	if r == '帐' {
		r = '账'
	}
	return r
}

// foldRunes is foldRune over a text.
func foldRunes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// latinWords returns the words of a folded text written in Latin letters
// or digits (for fuzzy matching, which would blur Chinese bigrams).
func latinWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	})
}

// Fold is the folding the index applies (Traditional → Simplified,
// full-width → half-width, case), for callers that match text against
// words of their own, like the bot's intents.
func Fold(s string) string { return fold(s) }

// HasTraditional says whether s holds a Traditional Chinese character.
func HasTraditional(s string) bool { return hasTraditional(s) }
