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
	if !hasHan(s) {
		return s
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

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

var runeFolds sync.Map // rune → rune

// foldRune folds one character the way fold does, keeping one rune for one
// rune so that positions in a folded text map back onto the original (for
// snippets).
func foldRune(r rune) rune {
	if r < 0x80 {
		return unicode.ToLower(r)
	}
	if v, ok := runeFolds.Load(r); ok {
		return v.(rune)
	}
	f := []rune(fold(string(r)))
	out := r
	if len(f) == 1 {
		out = f[0]
	}
	runeFolds.Store(r, out)
	return out
}

// latinWords returns the words of a folded text written in Latin letters
// or digits (for fuzzy matching, which would blur Chinese bigrams).
func latinWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return !(r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)))
	})
}
