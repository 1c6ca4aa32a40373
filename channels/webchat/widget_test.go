package webchat

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"huiliu/i18n"
)

func TestWidgetServed(t *testing.T) {
	e := newEnv(t, nil)
	resp, err := http.Get(e.ts.URL + "/widget.js")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/javascript; charset=utf-8" ||
		!strings.Contains(resp.Header.Get("Cache-Control"), "max-age=300") || resp.Header.Get("ETag") == "" {
		t.Fatalf("%d %v", resp.StatusCode, resp.Header)
	}
	// 48 KiB: 30 before issue 11's verify card (about 10 KB of script and
	// strings in three languages), the official channels and agent check,
	// and issue 12's article suggestions (about 4 KB together).
	if len(body) >= 48<<10 || len(body) != len(widgetJS) {
		t.Fatalf("widget.js is %d bytes; the budget is 48 KiB", len(body))
	}

	req, _ := http.NewRequest(http.MethodGet, e.ts.URL+"/widget.js", nil)
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	resp2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusNotModified {
		t.Fatalf("revalidation: %d", resp2.StatusCode)
	}
}

// The widget must never hand network data to an HTML parser, and must
// keep the hooks the browser tests drive.
func TestWidgetSource(t *testing.T) {
	src := string(widgetJS)
	for _, banned := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"} {
		if strings.Contains(src, banned) {
			t.Errorf("widget.js uses %s", banned)
		}
	}
	for _, hook := range []string{"launcher", "panel", "close", "input", "send", "messages", "msg", "typing", "status", "greeting", "hours", "attach", "file-input", "resolved", "new-chat", "callback", "cb-phone", "retry", "preview"} {
		if !regexp.MustCompile(`el\('[a-z0-9]+', '[a-z -]*', '` + hook + `'`).MatchString(src) {
			t.Errorf("data-hl=%q missing", hook)
		}
	}
	for _, must := range []string{"mode: 'open'", "data-from", "data-id", "localStorage", "window.Huiliu", "max-width:480px", `"staff_no":"工号"`, `"staff_no":"員工編號"`, `"staff_no":"Staff No."`, "/verify-agent", `"verify_link":"核验工号"`} {
		if !strings.Contains(src, must) {
			t.Errorf("widget.js lacks %q", must)
		}
	}
}

// Every string the widget reads must come from the catalog, in every
// language: a T.x without a widget.x key would show "undefined".
func TestWidgetStringsComeFromTheCatalog(t *testing.T) {
	used := map[string]bool{}
	for _, m := range regexp.MustCompile(`\bT\.([a-z_]+)`).FindAllStringSubmatch(string(widgetSource), -1) {
		used[m[1]] = true
	}
	if len(used) < 20 {
		t.Fatalf("found only %d strings in widget.js; is the pattern right?", len(used))
	}
	for k := range used {
		key := widgetPrefix + k
		if card, ok := strings.CutPrefix(k, "vc_"); ok {
			key = verifyCardPrefix + card
		}
		for _, lang := range i18n.Languages {
			if !i18n.Has(lang, key) {
				t.Errorf("widget.js uses T.%s; %s lacks %q", k, lang, key)
			}
		}
	}
	if strings.Contains(string(widgetJS), "/*CATALOG*/") || strings.Contains(string(widgetJS), "在线客服' :") {
		t.Error("the served widget still has its marker or an inline string table")
	}
}

// compact drops comments and layout, never code: what a browser runs is
// the source's statements, with a line break kept wherever one may end a
// statement.
func TestCompactKeepsTheCode(t *testing.T) {
	src := []byte(`/* header
 * more */
(function () {
  'use strict';
  // a comment line
  var a = 1; // trailing
  var u = 'http://x/y'; // kept: the line has a slash before it
  var s = 'a' +
    'b';
  var n = a +
    +1;
  /* ---- block ---- */ var b = 2;
  return a
})();
var CATALOG = /*CATALOG*/{};
`)
	want := "(function () {'use strict';var a = 1;var u = 'http://x/y'; // kept: the line has a slash before it\n" +
		"var s = 'a' +'b';var n = a + +1;var b = 2;return a\n})();var CATALOG = /*CATALOG*/{};"
	if got := string(compact(src)); got != want {
		t.Fatalf("compact:\n%s\nwant:\n%s", got, want)
	}
}
