package webchat

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"huiliu/i18n"
)

//go:embed widget.js
var widgetSource []byte

// widgetPrefix marks the catalog keys the widget shows; the verify
// card's keys (verifyCardPrefix) reach it as vc_<name>.
const (
	widgetPrefix     = "widget."
	verifyCardPrefix = "verify.widget."
)

// widgetJS is the script as served: its strings, for every language,
// written in from the catalog so the widget needs no second request.
var widgetJS = func() []byte {
	strs := map[string]map[string]string{}
	for _, lang := range i18n.Languages {
		strs[lang] = map[string]string{}
		for k, v := range i18n.Texts(lang, func(k string) bool { return strings.HasPrefix(k, widgetPrefix) }) {
			strs[lang][strings.TrimPrefix(k, widgetPrefix)] = v
		}
		for k, v := range i18n.Texts(lang, func(k string) bool { return strings.HasPrefix(k, verifyCardPrefix) }) {
			strs[lang]["vc_"+strings.TrimPrefix(k, verifyCardPrefix)] = v
		}
	}
	b, err := json.Marshal(strs)
	if err != nil {
		panic(err)
	}
	const marker = "/*CATALOG*/{}"
	src := compact(widgetSource)
	if bytes.Count(src, []byte(marker)) != 1 {
		panic("webchat: widget.js lacks its catalog marker")
	}
	return bytes.Replace(src, []byte(marker), b, 1)
}()

// compact drops what browsers never need from the script as served:
// indentation, blank lines, comments on lines of their own (// lines, and
// /* */ blocks that start a line), a trailing // comment after code that
// has no quote or slash, and the line break after a line that ends in
// { ; , ( or + (where a break never ends a statement) and has no // in it.
// Code is never rewritten, so the source stays readable and nothing can
// break: the script has no template literals, and a line that starts with
// // or /* is never inside a string.
func compact(src []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(src))
	inBlock, joinNext := false, false
	for line := range bytes.Lines(src) {
		t := bytes.TrimSpace(line)
		if inBlock || (bytes.HasPrefix(t, []byte("/*")) && !bytes.HasPrefix(t, []byte("/*CATALOG*/"))) {
			end := bytes.Index(t, []byte("*/"))
			if inBlock = end < 0; inBlock {
				continue
			}
			t = bytes.TrimSpace(t[end+2:])
		}
		if len(t) == 0 || bytes.HasPrefix(t, []byte("//")) {
			continue
		}
		if i := bytes.Index(t, []byte(" // ")); i > 0 && !bytes.ContainsAny(t[:i], "'\"/`") {
			t = bytes.TrimSpace(t[:i])
		}
		if joinNext && (t[0] == '+' || t[0] == '-') {
			out.WriteByte(' ') // "a +" and "+b" must not become "a ++b"
		}
		out.Write(t)
		last := t[len(t)-1]
		joinNext = bytes.IndexByte([]byte("{;,(+"), last) >= 0 && !bytes.Contains(t, []byte("//"))
		if !joinNext {
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}

// widgetETag lets browsers revalidate the script cheaply after its short
// max-age, so a new version reaches every page within minutes.
var widgetETag = func() string {
	sum := sha256.Sum256(widgetJS)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}()

func (s *Server) serveWidget(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	h.Set("Cache-Control", "public, max-age=300")
	h.Set("ETag", widgetETag)
	h.Set("X-Content-Type-Options", "nosniff")
	// Host pages on any origin load it with a plain <script> tag.
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	http.ServeContent(w, r, "widget.js", time.Time{}, bytes.NewReader(widgetJS))
}
