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
	if bytes.Count(widgetSource, []byte(marker)) != 1 {
		panic("webchat: widget.js lacks its catalog marker")
	}
	return bytes.Replace(widgetSource, []byte(marker), b, 1)
}()

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
