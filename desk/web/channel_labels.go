package web

import (
	"regexp"
	"strings"

	"huiliu/i18n"
)

// Channels store what a message carries besides text as English labels at
// the start of its text ("[photo] caption", "[voice 12s]", "[edited] …",
// channels/telegram/convert.go), so the record and the API stay one
// language. The desk words them for its reader here; desk.js HL.labelText
// does the same for the scripts.
var labelToken = regexp.MustCompile(`^\[(edited|partly unreadable|forwarded|photo|animation|unsupported message|shared own phone number|document|sticker|voice|video note|video|audio|venue|location|poll|dice)(?: ([^\]]*))?\]( ?)`)

// secondsDetail is a voice or video label's length ("12s").
var secondsDetail = regexp.MustCompile(`^(\d+)s$`)

// channelLabels is text with its leading channel labels in lang.
func channelLabels(lang, text string) string {
	var b strings.Builder
	rest := text
	for {
		m := labelToken.FindStringSubmatchIndex(rest)
		if m == nil {
			break
		}
		kind := rest[m[2]:m[3]]
		detail := ""
		if m[4] >= 0 {
			detail = rest[m[4]:m[5]]
		}
		if s := secondsDetail.FindStringSubmatch(detail); s != nil {
			detail = i18n.T(lang, "chlabel.seconds", "n", s[1])
		}
		word := i18n.T(lang, "chlabel."+strings.ReplaceAll(kind, " ", "_"))
		if detail != "" {
			word += " " + detail
		}
		b.WriteString("[" + word + "]" + rest[m[6]:m[7]])
		rest = rest[m[1]:]
	}
	return b.String() + rest
}
