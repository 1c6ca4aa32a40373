package kb

import (
	"html"
	"regexp"
	"strings"
)

// replyBlock matches the tags that end a line in a reply's plain text, and
// replyItem a list item, which keeps a dash so steps stay readable.
var (
	replyBlock = regexp.MustCompile(`(?i)</?(p|div|h[1-6]|ul|ol|table|tr|blockquote|pre)\b[^>]*>|<br\s*/?>`)
	replyItem  = regexp.MustCompile(`(?i)<li\b[^>]*>`)
	replyTag   = regexp.MustCompile(`<[^>]*>`)
	replyBlank = regexp.MustCompile(`\n{3,}`)
	// replyGap is the layout whitespace goldmark puts between tags.
	replyGap = regexp.MustCompile(`>[ \t]*\n\s*<`)
	// replyBullet is a list item whose text starts on the next line (a
	// loose list's <li><p>).
	replyBullet = regexp.MustCompile(`\n- [ \t]*\n+`)
)

// ReplyText is an article's published text as an agent inserts it into a
// reply: plain text with paragraphs and list items on their own lines, no
// Markdown marks (customers on Telegram or SMS would see them verbatim).
func ReplyText(a Article) string {
	h := a.HTML
	if h == "" {
		h = Render(a.Body)
	}
	h = replyGap.ReplaceAllString(h, "><")
	h = replyItem.ReplaceAllString(h, "\n- ")
	h = replyBlock.ReplaceAllString(h, "\n")
	h = replyBullet.ReplaceAllString(h, "\n- ")
	h = html.UnescapeString(replyTag.ReplaceAllString(h, ""))
	lines := strings.Split(h, "\n")
	for i, l := range lines {
		lines[i] = strings.Join(strings.Fields(l), " ")
	}
	out := strings.Join(lines, "\n")
	return strings.TrimSpace(replyBlank.ReplaceAllString(out, "\n\n"))
}
