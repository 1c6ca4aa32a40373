package telegram

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// splitText cuts s into parts of at most limit UTF-16 code units (how
// Telegram counts), whose concatenation is s. It prefers to break after a
// newline, then after a space or a sentence end, and otherwise cuts
// between runes, stepping back so that combining marks, emoji modifiers
// and zero-width joiners stay with the character they belong to.
func splitText(s string, limit int) []string {
	var parts []string
	for s != "" {
		end, all := prefixWithin(s, limit)
		if all {
			parts = append(parts, s)
			break
		}
		if end == 0 {
			// A limit below one rune's width: take the rune anyway, or
			// we would never progress.
			_, end = utf8.DecodeRuneInString(s)
		}
		cut := breakPoint(s, end)
		parts = append(parts, s[:cut])
		s = s[cut:]
	}
	return parts
}

// utf16Len counts s in UTF-16 code units.
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n += runeUnits(r)
	}
	return n
}

func runeUnits(r rune) int {
	if r >= 0x10000 {
		return 2 // a surrogate pair
	}
	return 1
}

// prefixWithin is the byte length of the longest prefix of s within limit
// units, and whether that is all of s.
func prefixWithin(s string, limit int) (int, bool) {
	units := 0
	for i, r := range s {
		units += runeUnits(r)
		if units > limit {
			return i, false
		}
	}
	return len(s), true
}

// truncateUnits shortens s to limit UTF-16 units.
func truncateUnits(s string, limit int) string {
	end, _ := prefixWithin(s, limit)
	return s[:end]
}

// breakPoint chooses where to end the part s[:end]. Natural breaks are
// taken only in the second half of the window, so parts stay large.
func breakPoint(s string, end int) int {
	window := s[:end]
	half := end / 2
	if i := strings.LastIndexByte(window, '\n'); i >= 0 && i+1 > half {
		return i + 1
	}
	best := -1
	for i, r := range window {
		if unicode.IsSpace(r) || strings.ContainsRune("。！？；，、.!?;,", r) {
			best = i + utf8.RuneLen(r)
		}
	}
	if best > half {
		return best
	}
	cut := end
	for cut > 0 && !graphemeBoundary(s, cut) {
		_, size := utf8.DecodeLastRuneInString(s[:cut])
		cut -= size
	}
	if cut == 0 {
		return end // a window of nothing but joiners: any cut will do
	}
	return cut
}

// graphemeBoundary approximates "cutting at i does not split a visible
// character"; exact segmentation would need tables we do not carry.
func graphemeBoundary(s string, i int) bool {
	next, _ := utf8.DecodeRuneInString(s[i:])
	prev, _ := utf8.DecodeLastRuneInString(s[:i])
	switch {
	case prev == '\u200d' || next == '\u200d': // zero-width joiner sequences
		return false
	case unicode.Is(unicode.Mn, next) || unicode.Is(unicode.Me, next) || unicode.Is(unicode.Mc, next):
		return false
	case next >= 0xFE00 && next <= 0xFE0F, next >= 0xE0100 && next <= 0xE01EF: // variation selectors
		return false
	case next >= 0x1F3FB && next <= 0x1F3FF: // skin tone modifiers
		return false
	case next >= 0xE0020 && next <= 0xE007F: // tag sequences (subdivision flags)
		return false
	case prev == '\r' && next == '\n':
		return false
	case isRegionalIndicator(prev) && isRegionalIndicator(next):
		// A flag is a pair; count the run before i to see if i splits one.
		n := 0
		for j := i; j > 0; {
			r, size := utf8.DecodeLastRuneInString(s[:j])
			if !isRegionalIndicator(r) {
				break
			}
			n++
			j -= size
		}
		return n%2 == 0
	}
	return true
}

func isRegionalIndicator(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }
