package email

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseMail: the parser never panics, returns storable text within
// the desk's limits, and header values on one line, whatever it is fed.
// Time and memory per input are bounded by MaxMailBytes and maxBoundaries.
func FuzzParseMail(f *testing.F) {
	files, _ := filepath.Glob("testdata/mail/*.eml")
	for _, name := range files {
		raw, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m := ParseMail(raw)
		h := m.Header
		for _, s := range []string{m.Text, m.HTML, h.Subject, h.From.Value, h.From.Name, h.MessageID, m.ExternalID} {
			if !utf8.ValidString(s) || strings.Contains(s, "\x00") {
				t.Fatalf("unstorable %q", s)
			}
		}
		for _, s := range []string{h.Subject, h.From.Value, h.From.Name} {
			if strings.ContainsAny(s, "\r\n") {
				t.Fatalf("line break in header value %q", s)
			}
		}
		if len(m.Text) > maxTextBytes || len(m.HTML) > maxTextBytes || len(m.ExternalID) > maxExternalIDBytes ||
			len(h.Subject) > maxSubjectBytes || len(m.Files) > maxAttachments {
			t.Fatalf("over the limits: text %d html %d id %d subject %d files %d", len(m.Text), len(m.HTML), len(m.ExternalID), len(h.Subject), len(m.Files))
		}
		if h.QuoteAt > len(m.Text) || h.SignatureAt > len(m.Text) {
			t.Fatalf("fold points %d %d beyond the text (%d)", h.QuoteAt, h.SignatureAt, len(m.Text))
		}
	})
}
