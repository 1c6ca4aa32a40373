package telegram

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzConvertUpdate feeds arbitrary bytes through decoding and conversion:
// nothing may panic, and whatever is produced must be storable.
func FuzzConvertUpdate(f *testing.F) {
	f.Add([]byte(`{"update_id":1,"message":{"message_id":1,"date":1700000000,"chat":{"id":42,"type":"private"},"from":{"id":42,"first_name":"Li"},"text":"你好"}}`))
	cfg := Config{Name: "main", LinkSecret: "0123456789abcdef-link"}
	now := time.Unix(1_800_000_000, 0)
	f.Fuzz(func(t *testing.T, raw []byte) {
		u, partial, err := decodeUpdate(raw)
		if err != nil {
			return
		}
		conv := convertUpdate(cfg, &u, partial, now)
		if conv.in == nil {
			return
		}
		in := conv.in
		for _, s := range []string{in.Text, in.From.Name, in.From.Value, in.ExternalID, in.ThreadKey} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 in %q", s)
			}
			for i := 0; i < len(s); i++ {
				if s[i] == 0 {
					t.Fatalf("NUL in %q", s)
				}
			}
		}
		if strings.TrimSpace(in.Text) == "" || len(in.Text) > maxTextBytes || len(in.From.Name) > maxNameBytes {
			t.Fatalf("text %d bytes, name %d bytes", len(in.Text), len(in.From.Name))
		}
		if f := conv.file; f != nil {
			if f.ID == "" || !utf8.ValidString(f.Name) || !utf8.ValidString(f.MIME) ||
				len(f.Name) > maxFileNameBytes || len(f.MIME) > maxMIMEBytes || strings.ContainsRune(f.Name+f.MIME, 0) {
				t.Fatalf("file %+v", f)
			}
		}
		for _, l := range in.Links {
			if !l.Verified {
				t.Fatalf("unverified link %+v", l)
			}
		}
	})
}
