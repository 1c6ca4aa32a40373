package pii

import "strings"

// Mask returns text with every piece of personal data masked the way
// Chinese customer service shows it: ID 1101**********1234, card
// ************1234, mobile 138****8000, e-mail z***@example.com. Separators
// and full-width digits that stay visible are kept as written; the output is
// never longer than text and masking it again changes nothing.
func Mask(text string) string {
	r := decode(text)
	spans := scan(r.rs)
	if len(spans) == 0 {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	prev := 0
	for _, s := range spans {
		b.WriteString(text[prev:r.offs[s.first]])
		if s.kind == Email {
			maskEmail(&b, text[r.offs[s.first]:r.offs[s.last]])
		} else {
			maskNumber(&b, text, r, s)
		}
		prev = r.offs[s.last]
	}
	b.WriteString(text[prev:])
	return b.String()
}

// maskEmail keeps the first character of the local part and the domain.
// The local part is ASCII by construction, so byte slicing is safe.
func maskEmail(b *strings.Builder, addr string) {
	at := strings.IndexByte(addr, '@')
	local := addr[:at]
	switch {
	case localMasked([]rune(local)):
		b.WriteString(local)
	case len(local) == 1:
		b.WriteByte('*')
	default:
		b.WriteByte(local[0])
		b.WriteString(strings.Repeat("*", min(len(local)-1, localStars)))
	}
	b.WriteString(addr[at:])
}

// maskNumber replaces the hidden digits with '*' and copies the rest.
func maskNumber(b *strings.Builder, text string, r runes, s span) {
	n := 0
	for i := s.first; i < s.last; i++ {
		if isNumberChar(r.rs[i]) {
			n++
		}
	}
	k := 0
	for i := s.first; i < s.last; i++ {
		c := r.rs[i]
		if !isNumberChar(c) {
			b.WriteString(text[r.offs[i]:r.offs[i+1]])
			continue
		}
		if keep(s, k, n) {
			b.WriteString(text[r.offs[i]:r.offs[i+1]])
		} else {
			b.WriteByte('*')
		}
		k++
	}
}

func isNumberChar(r rune) bool { return isDigit(r) || r == 'X' || r == 'x' }

// keep reports whether the k-th of n number characters stays visible.
func keep(s span, k, n int) bool {
	switch s.kind {
	case IDNumber:
		return k < 4 || k >= n-4
	case Mobile:
		return k < s.prefix+3 || k >= n-4
	default:
		return k >= n-4
	}
}
