// Package i18n is the one message catalog: every string a person reads,
// agents in the desk and customers in the widget, on Telegram and in the
// desk's automatic messages, in zh-CN, zh-TW and en. The texts are TOML
// files in go-i18n's format (catalog/<area>.<lang>.toml), embedded in the
// binary. The package has no transport dependencies so desk, channels and
// the web desk can all use it.
//
// Placeholders are written {name} rather than go-i18n's {{.name}}: the
// same texts go verbatim to the desk's scripts and to widget.js, which
// fill them without a template engine.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// The supported languages; Default answers when nothing else matches
// (most agents and customers read Simplified Chinese).
const (
	ZhCN    = "zh-CN"
	ZhTW    = "zh-TW"
	En      = "en"
	Default = ZhCN
)

// Languages lists the supported languages, Default first.
var Languages = []string{ZhCN, ZhTW, En}

//go:embed catalog/*.toml
var files embed.FS

// catalog is the files as go-i18n read them. Lookups are plain map reads:
// the texts hold no Go templates (a test keeps it so), so go-i18n's
// Localizer would only add a template pass per string.
type catalog struct {
	texts   map[string]map[string]string // lang → key → text as written
	matcher language.Matcher
}

var cat = func() *catalog {
	c, err := load(files)
	if err != nil {
		panic(err)
	}
	return c
}()

func load(fsys fs.FS) (*catalog, error) {
	tags := make([]language.Tag, len(Languages))
	for i, l := range Languages {
		tags[i] = language.MustParse(l)
	}
	b := goi18n.NewBundle(tags[0])
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &catalog{texts: map[string]map[string]string{}, matcher: language.NewMatcher(tags)}
	for _, l := range Languages {
		c.texts[l] = map[string]string{}
	}
	names, err := fs.Glob(fsys, "catalog/*.toml")
	if err != nil {
		return nil, fmt.Errorf("i18n: list catalog: %w", err)
	}
	for _, name := range names {
		mf, err := b.LoadMessageFileFS(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", name, err)
		}
		lang := mf.Tag.String()
		texts, ok := c.texts[lang]
		if !ok {
			return nil, fmt.Errorf("i18n: %s: language %q is not supported", path.Base(name), lang)
		}
		for _, m := range mf.Messages {
			if _, dup := texts[m.ID]; dup {
				return nil, fmt.Errorf("i18n: %s: key %q is defined twice", path.Base(name), m.ID)
			}
			if m.Zero+m.One+m.Two+m.Few+m.Many != "" {
				// The scripts get one text per key; a plural form would
				// be lost on the way.
				return nil, fmt.Errorf("i18n: %s: key %q has plural forms; write one text", path.Base(name), m.ID)
			}
			texts[m.ID] = m.Other
		}
	}
	return c, nil
}

// T returns key's text in lang, falling back to Default, with {name}
// placeholders filled from pairs of name, value. A key missing from every
// language shows itself, so a gap is visible rather than blank (the
// catalog test keeps that from shipping).
func T(lang, key string, pairs ...string) string {
	s, ok := cat.texts[lang][key]
	if !ok {
		if s, ok = cat.texts[Default][key]; !ok {
			return key
		}
	}
	return Fill(s, pairs...)
}

// Has reports whether lang's catalog defines key itself.
func Has(lang, key string) bool {
	_, ok := cat.texts[lang][key]
	return ok
}

// Texts returns lang's texts as written (placeholders unfilled) whose key
// keep accepts: what a script is sent to translate on its own.
func Texts(lang string, keep func(key string) bool) map[string]string {
	out := map[string]string{}
	for k, v := range cat.texts[lang] {
		if keep(k) {
			out[k] = v
		}
	}
	return out
}

// Fill replaces {name} placeholders in s from pairs of name, value.
func Fill(s string, pairs ...string) string {
	if len(pairs) < 2 {
		return s
	}
	args := make([]string, 0, len(pairs))
	for i := 0; i+1 < len(pairs); i += 2 {
		args = append(args, "{"+pairs[i]+"}", pairs[i+1])
	}
	return strings.NewReplacer(args...).Replace(s)
}

// Lines returns key's text in each of langs, one per line: for a
// customer whose language is not known yet.
func Lines(key string, langs ...string) string {
	parts := make([]string, len(langs))
	for i, l := range langs {
		parts[i] = T(l, key)
	}
	return strings.Join(parts, "\n")
}
