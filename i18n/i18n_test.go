package i18n

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"
)

var placeholder = regexp.MustCompile(`\{[a-z_]+\}`)

func placeholders(s string) []string {
	p := placeholder.FindAllString(s, -1)
	sort.Strings(p)
	return p
}

func TestEveryKeyInEveryLanguageWithTheSamePlaceholders(t *testing.T) {
	ref := cat.texts[Default]
	if len(ref) < 300 {
		t.Fatalf("only %d keys in %s; did the catalog load?", len(ref), Default)
	}
	for _, lang := range Languages {
		texts := cat.texts[lang]
		for k, v := range texts {
			if _, ok := ref[k]; !ok {
				t.Errorf("%s: key %q is missing in %s", lang, k, Default)
			}
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %q is empty", lang, k)
			}
			if strings.Contains(v, "{{") {
				t.Errorf("%s: %q uses a Go template; placeholders are {name}", lang, k)
			}
		}
		for k, v := range ref {
			w, ok := texts[k]
			if !ok {
				t.Errorf("%s: key %q is missing", lang, k)
				continue
			}
			if a, b := placeholders(v), placeholders(w); !slices.Equal(a, b) {
				t.Errorf("%q: placeholders %v in %s, %v in %s", k, a, Default, b, lang)
			}
		}
	}
}

func TestTraditionalChineseIsNotSimplified(t *testing.T) {
	// A sample of characters whose Simplified form differs: a zh-TW text
	// holding one was copied, not translated.
	const simplified = "们这说还户务单号设为发开关对时间问题后处个与请输内节级务"
	for k, v := range cat.texts[ZhTW] {
		if i := strings.IndexAny(v, simplified); i >= 0 {
			t.Errorf("zh-TW %q has the Simplified character %q: %s", k, []rune(v[i:])[0], v)
		}
	}
}

func TestLookupFallsBackAndFills(t *testing.T) {
	if got := T(ZhTW, "widget.typing", "name", "王"); got != "王 正在輸入…" {
		t.Errorf("zh-TW typing = %q", got)
	}
	if got := T("fr", "widget.send"); got != T(Default, "widget.send") {
		t.Errorf("an unsupported language got %q, not the default's text", got)
	}
	if got := T(En, "no.such.key"); got != "no.such.key" {
		t.Errorf("a missing key shows as %q, want itself", got)
	}
	if got := Lines("verify.request", ZhCN, En); !strings.Contains(got, "手机号码") || !strings.Contains(got, "phone number") || strings.Count(got, "\n") != 1 {
		t.Errorf("Lines = %q", got)
	}
}

func TestMatch(t *testing.T) {
	for _, c := range []struct {
		tags []string
		want string
	}{
		{nil, ZhCN},
		{[]string{""}, ZhCN},
		{[]string{"en"}, En},
		{[]string{"en-GB"}, En},
		{[]string{"zh"}, ZhCN},
		{[]string{"zh-hans"}, ZhCN},
		{[]string{"zh-CN"}, ZhCN},
		{[]string{"zh-SG"}, ZhCN},
		{[]string{"zh-hant"}, ZhTW},
		{[]string{"zh-tw"}, ZhTW},
		{[]string{"zh-hk"}, ZhTW},
		{[]string{"zh-MO"}, ZhTW},
		{[]string{"de"}, ZhCN},
		{[]string{"de", "en"}, En},
		{[]string{"not a tag", "zh-TW"}, ZhTW},
	} {
		if got := Match(c.tags...); got != c.want {
			t.Errorf("Match(%q) = %s, want %s", c.tags, got, c.want)
		}
	}
	for h, want := range map[string]string{
		"":                          ZhCN,
		"en-US,en;q=0.9":            En,
		"fr-FR, en;q=0.5, zh;q=0.8": ZhCN,
		"de, en-GB;q=0.3":           En,
		"en;q=0":                    ZhCN,
		"zh-TW,zh;q=0.9,en;q=0.8":   ZhTW,
		"en;q=0.5, zh-HK;q=0.9":     ZhTW,
		"zh-Hant-HK, en":            ZhTW,
		";;;,,q=x":                  ZhCN,
	} {
		if got := MatchAcceptLanguage(h); got != want {
			t.Errorf("MatchAcceptLanguage(%q) = %s, want %s", h, got, want)
		}
	}
}

func TestKnown(t *testing.T) {
	for tag, want := range map[string]string{"zh-hant": ZhTW, "zh-hans": ZhCN, "en-US": En} {
		if got, ok := Known(tag); !ok || got != want {
			t.Errorf("Known(%q) = %s, %v; want %s", tag, got, ok, want)
		}
	}
	for _, tag := range []string{"", "de", "%%"} {
		if got, ok := Known(tag); ok || got != Default {
			t.Errorf("Known(%q) = %s, %v; want the default, unknown", tag, got, ok)
		}
	}
}

func TestLoadRefusesBadCatalogs(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"unsupported language": {"catalog/a.fr.toml": {Data: []byte(`"x" = "y"`)}},
		"duplicate key": {
			"catalog/a.en.toml": {Data: []byte(`"x" = "y"`)},
			"catalog/b.en.toml": {Data: []byte(`"x" = "z"`)},
		},
		"plural forms": {"catalog/a.en.toml": {Data: []byte("[x]\none = \"a\"\nother = \"b\"\n")}},
		"not toml":     {"catalog/a.en.toml": {Data: []byte(`"x" = `)}},
	} {
		if _, err := load(fsys); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}
