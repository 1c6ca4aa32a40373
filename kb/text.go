package kb

import (
	"html"
	"strings"
)

// plainText is the readable text of sanitized HTML: tags dropped (block
// ends become spaces), entities decoded, whitespace collapsed.
func plainText(h string) string {
	var b strings.Builder
	in := false
	for _, r := range h {
		switch {
		case r == '<':
			in = true
			b.WriteByte(' ')
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
}
