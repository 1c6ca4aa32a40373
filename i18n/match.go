package i18n

import (
	"strings"

	"golang.org/x/text/language"
)

// Match picks the supported language closest to the first of tags that
// has one (BCP 47, any case: Telegram's language_code, a page's lang, a
// cookie). Traditional Chinese (zh-Hant, zh-TW, zh-HK, zh-MO) gets zh-TW,
// other Chinese zh-CN; Default when none is close.
func Match(tags ...string) string {
	var want []language.Tag
	for _, s := range tags {
		if t, err := language.Parse(strings.TrimSpace(s)); err == nil && s != "" {
			want = append(want, t)
		}
	}
	return match(want)
}

// MatchAcceptLanguage picks by an Accept-Language header, honouring its
// weights; Default when the header names nothing supported.
func MatchAcceptLanguage(header string) string {
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil {
		return Default
	}
	return match(tags)
}

// Known is Match for one tag, saying whether the tag named a supported
// language at all (false: the caller may rather address the customer in
// several languages than guess).
func Known(tag string) (string, bool) {
	t, err := language.Parse(strings.TrimSpace(tag))
	if err != nil || tag == "" {
		return Default, false
	}
	return find(t)
}

func match(want []language.Tag) string {
	for _, t := range want {
		if l, ok := find(t); ok {
			return l
		}
	}
	return Default
}

func find(t language.Tag) (string, bool) {
	_, i, conf := cat.matcher.Match(t)
	if conf < language.High {
		return Default, false
	}
	return Languages[i], true
}
