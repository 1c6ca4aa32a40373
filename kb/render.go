package kb

import (
	"bytes"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"huiliu/desk"
)

// markdown renders CommonMark with tables and strikethrough; raw HTML in the
// source is left out by goldmark (no WithUnsafe), and what remains still
// goes through the desk's sanitizer, so a hostile body renders inert.
var markdown = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.Linkify))
})

// Render turns Markdown into HTML that is safe to embed (the editor's
// preview uses it too).
func Render(md string) string {
	var buf bytes.Buffer
	if err := markdown().Convert([]byte(md), &buf); err != nil {
		// goldmark fails only on a failing writer; a bytes.Buffer never does.
		return ""
	}
	return desk.SanitizeHTML(buf.String())
}
