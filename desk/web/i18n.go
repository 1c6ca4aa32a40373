package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"huiliu/i18n"
)

// The desk speaks the catalog's languages (package i18n), zh-CN by
// default; a test checks that every key the templates and scripts use
// exists.
const langCookie = "lang"

// jsPrefixes select the catalog entries the scripts need; only those are
// sent to the browser, as JSON in a data block (never inline script).
var jsPrefixes = []string{"js.", "sla.target.", "sla.level.", "sla.act.", "sla.who.", "live.", "time.", "sys.", "status.", "priority.", "delivery.", "entry.", "channel.", "identity.", "view.", "method.", "facts.", "pii.js.", "emaildesk.", "kbdesk.js.", "verify.desk.", "verify.desk.method.", "verify.desk.outcome.", "qa.js.", "botdesk.js.", "botdesk.kind.", "botdesk.reason.", "botdesk.result.", "admintg.js.", "contacts.js.", "chlabel.", "zone."}

// jsExtra are single keys the scripts need outside those prefixes.
var jsExtra = []string{"ticket.customer_typing"}

// jsCatalog is the part of lang's catalog the scripts use.
func jsCatalog(lang string) map[string]string {
	return i18n.Texts(lang, func(k string) bool {
		return slices.Contains(jsExtra, k) || slices.ContainsFunc(jsPrefixes, func(p string) bool { return strings.HasPrefix(k, p) })
	})
}

// pickLanguage honours the switcher's cookie, then the browser's
// Accept-Language, then falls back to Chinese.
// hasLangCookie reports whether the reader chose the desk's language.
func hasLangCookie(r *http.Request) bool {
	ck, err := r.Cookie(langCookie)
	return err == nil && slices.Contains(i18n.Languages, ck.Value)
}

func pickLanguage(r *http.Request) string {
	if ck, err := r.Cookie(langCookie); err == nil && slices.Contains(i18n.Languages, ck.Value) {
		return ck.Value
	}
	return i18n.MatchAcceptLanguage(r.Header.Get("Accept-Language"))
}

// publicLanguage is the language of a public page (/verify-agent): a
// supported ?lang= (or form field lang) first, so a link a company sends
// its customers opens in the language it names, then pickLanguage. It
// returns the accepted ?lang= value too, for the page's forms to carry on.
func publicLanguage(c echo.Context) (lang, param string) {
	if l := c.FormValue("lang"); l != "" {
		if m, ok := i18n.Known(l); ok {
			return m, m
		}
	}
	return pickLanguage(c.Request()), ""
}

// withoutLang is the request's path and query without lang, the way back
// for the language switcher (whose cookie a ?lang= would otherwise beat).
func withoutLang(r *http.Request) string {
	q := r.URL.Query()
	q.Del("lang")
	u := *r.URL
	u.RawQuery = q.Encode()
	return safeNext(u.RequestURI())
}
