package web_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"huiliu/i18n"
)

// TestRefusalsSpeakTheReadersLanguage: a desk refusal reaches a reader who
// chose a language in that language, and an API client that named none in
// English.
func TestRefusalsSpeakTheReadersLanguage(t *testing.T) {
	h := newHarness(t)
	tk, owner, _, _, _ := handedOff(t, h)
	path := "/api/v1/tickets/" + tk.ID
	for _, tc := range []struct {
		hdr  []string
		want string
	}{
		{nil, "must confirm the customer was told the outcome before ticket"},
		{[]string{"Accept-Language", "zh-CN,zh;q=0.9"}, "需要由首问负责人 赵<i>敏</i> (" + owner.EmployeeNo + ") 确认已告知客户处理结果，工单 #"},
		{[]string{"Accept-Language", "en-US"}, "The owner, 赵<i>敏</i> (" + owner.EmployeeNo + "), must confirm"},
		{[]string{"Cookie", "lang=zh-TW"}, "需要由首問負責人"},
	} {
		var e apiError
		resp := h.call("PATCH", path, h.admin, map[string]any{"status": "resolved"}, &e, tc.hdr...)
		if resp.StatusCode != http.StatusConflict || !strings.Contains(e.Error.Message, tc.want) {
			t.Errorf("%v: %d %q, want it to contain %q", tc.hdr, resp.StatusCode, e.Error.Message, tc.want)
		}
	}
}

// TestEveryErrorKeyIsInTheCatalog: each key desk errors say themselves with
// is worded in every language.
func TestEveryErrorKeyIsInTheCatalog(t *testing.T) {
	files, err := filepath.Glob("../*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("desk sources: %v", err)
	}
	keys := map[string]bool{"err.confirm_first.resolved": true, "err.confirm_first.closed": true}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Say" && len(call.Args) > 0 {
					if lit, ok := call.Args[0].(*ast.BasicLit); ok {
						k, _ := strconv.Unquote(lit.Value)
						keys[k] = true
					}
				}
			}
			if kv, ok := n.(*ast.KeyValueExpr); ok {
				if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Key" {
					if lit, ok := kv.Value.(*ast.BasicLit); ok {
						k, _ := strconv.Unquote(lit.Value)
						keys[k] = true
					}
				}
			}
			return true
		})
	}
	if len(keys) < 10 {
		t.Fatalf("found only %d keys: %v", len(keys), keys)
	}
	for k := range keys {
		for _, lang := range i18n.Languages {
			if !i18n.Has(lang, k) {
				t.Errorf("%s has no %s wording", k, lang)
			}
		}
	}
}
