package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"huiliu/i18n"
)

// userFacingErrorFiles are the sources whose desk.Errorf / desk.Wrap
// messages reach people: the domain (desk), the web layer, the bot's and
// the knowledge base's administration, and the SLA calendar package whose
// fmt.Errorf reasons the SLA forms' messages carry.
var userFacingErrorFiles = []string{"../*.go", "*.go", "../sla/*.go", "../botadmin/*.go", "../../kb/*.go", "../../kb/help/*.go"}

var verb = regexp.MustCompile(`%[dsvqw]`)

// sampleOf fills a format as the code would: numbers for %d, a word for
// the rest, quoted for %q.
func sampleOf(format string) string {
	return verb.ReplaceAllStringFunc(format, func(v string) string {
		switch v {
		case "%d":
			return "7"
		case "%q":
			return `"x1"`
		}
		return "x1"
	})
}

// userFacingFormats are the message formats of those files.
func userFacingFormats(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{} // format → where
	fset := token.NewFileSet()
	lit := func(e ast.Expr) (string, bool) {
		if c, ok := e.(*ast.CallExpr); ok { // fmt.Sprintf("…", …) inside Wrap
			if len(c.Args) == 0 {
				return "", false
			}
			e = c.Args[0]
		}
		b, ok := e.(*ast.BasicLit)
		if !ok || b.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(b.Value)
		return s, err == nil
	}
	isCode := func(e ast.Expr) bool {
		switch x := e.(type) {
		case *ast.Ident:
			return strings.HasPrefix(x.Name, "Code")
		case *ast.SelectorExpr:
			return strings.HasPrefix(x.Sel.Name, "Code")
		}
		return false
	}
	for _, pat := range userFacingErrorFiles {
		files, _ := filepath.Glob(pat)
		if len(files) == 0 {
			t.Fatalf("no file %s", pat)
		}
		sla := strings.Contains(pat, "/sla/")
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(fset, f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			said := map[ast.Node]bool{} // errors given a catalog key with .Say(…)
			ast.Inspect(file, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Say" {
					said[sel.X] = true
				}
				if said[call] {
					return true
				}
				var name string
				switch fn := call.Fun.(type) {
				case *ast.Ident:
					name = fn.Name
				case *ast.SelectorExpr:
					name = fn.Sel.Name
				}
				var format string
				switch {
				case name == "Errorf" && len(call.Args) >= 2 && isCode(call.Args[0]):
					format, ok = lit(call.Args[1])
				case name == "Wrap" && len(call.Args) == 3 && isCode(call.Args[0]):
					format, ok = lit(call.Args[2])
				case sla && (name == "Errorf" || name == "New") && len(call.Args) >= 1:
					format, ok = lit(call.Args[0])
					ok = ok && !strings.HasPrefix(format, "sla:") // wrapping for logs, not a reason
				default:
					return true
				}
				// A format of verbs alone ("%v", "%s: %w") passes a message on.
				if ok && strings.Trim(verb.ReplaceAllString(format, ""), ": ") != "" {
					out[format] = fset.Position(call.Pos()).String()
				}
				return true
			})
		}
	}
	return out
}

// TestUserFacingErrorsAreTranslated: every message those files can show
// is worded in every language by the errors catalog, so a new English
// sentence added there fails here until it is translated.
func TestUserFacingErrorsAreTranslated(t *testing.T) {
	formats := userFacingFormats(t)
	if len(formats) < 100 {
		t.Fatalf("found only %d formats; is the walk right?", len(formats))
	}
	for format, where := range formats {
		sample := sampleOf(format)
		var key string
		for _, p := range messagePatterns {
			if p.re.MatchString(sample) {
				key = p.key
				break
			}
		}
		if key == "" {
			t.Errorf("%s: %q has no errmsg.* wording in i18n/catalog/errors.en.toml", where, format)
			continue
		}
		for _, lang := range i18n.Languages {
			if !i18n.Has(lang, key) {
				t.Errorf("%s has no %s wording", key, lang)
			}
		}
		if got := sayMessage(i18n.ZhCN, sample); got == sample {
			t.Errorf("%s: %q is not worded in Chinese", where, sample)
		}
	}
}

// TestMessagesCarryTheirReasons: a message that carries another (a
// calendar's hours and the reason they are wrong) is worded part by part,
// and a message the catalog lacks keeps its English after a worded prefix.
func TestMessagesCarryTheirReasons(t *testing.T) {
	for _, tc := range []struct{ lang, msg, want string }{
		{i18n.ZhCN, `hours of mon: bad interval "9-5" (want HH:MM-HH:MM)`, `mon 的工作时间：时间段 “9-5” 格式错误（应为 HH:MM-HH:MM）。`},
		{i18n.ZhTW, `ladder step 2: notify "boss": use owner, assignee or supervisors`, `第 2 步：通知對象 “boss” 無效，請用負責人、處理人或主管。`},
		{i18n.ZhCN, `schedule: line 3: bad year "26" (want four digits)`, `节假日安排：第 3 行：年份 “26” 格式错误（应为四位数字）。`},
		{i18n.En, `hours of mon: bad interval "9-5" (want HH:MM-HH:MM)`, `hours of mon: bad interval "9-5" (want HH:MM-HH:MM)`},
		{i18n.ZhCN, `mon: something new`, `mon: something new`},
	} {
		if got := sayMessage(tc.lang, tc.msg); got != tc.want {
			t.Errorf("%s %q:\n got %q\nwant %q", tc.lang, tc.msg, got, tc.want)
		}
	}
}

// TestEchoAnswersAreWorded: the router's own refusals (an unknown route, a
// wrong method) reach a reader who chose Chinese in Chinese.
func TestEchoAnswersAreWorded(t *testing.T) {
	for msg, want := range map[string]string{"Not Found": "找不到请求的内容。", "Method Not Allowed": "不支持此请求方法。",
		"internal error; it has been logged": "内部错误，已记录。"} {
		if got := sayMessage(i18n.ZhCN, msg); got != want {
			t.Errorf("%q = %q, want %q", msg, got, want)
		}
	}
}
