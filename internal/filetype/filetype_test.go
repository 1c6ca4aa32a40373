package filetype

import (
	"bytes"
	"testing"
)

var (
	png  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpeg = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	gif  = []byte("GIF89a\x01\x00\x01\x00")
	webp = []byte("RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00")
)

func TestServing(t *testing.T) {
	cases := []struct {
		name        string
		data        []byte
		typ, inline string
	}{
		{"png", png, "image/png", "inline"},
		{"jpeg", jpeg, "image/jpeg", "inline"},
		{"gif", gif, "image/gif", "inline"},
		{"webp", webp, "image/webp", "inline"},
		{"lossless webp", []byte("RIFF\x24\x00\x00\x00WEBPVP8L\x18\x00\x00\x00"), "image/webp", "inline"},
		{"html declared as a picture", []byte("<html><script>alert(1)</script>"), Download, "attachment"},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), Download, "attachment"},
		{"riff that is not webp", []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00"), Download, "attachment"},
		{"webp prefix with no known chunk", []byte("RIFF\x24\x00\x00\x00WEBPVPxx<html>"), Download, "attachment"},
		{"pdf", []byte("%PDF-1.7\n"), Download, "attachment"},
		{"empty", nil, Download, "attachment"},
		{"html after a png header's first byte", append([]byte{0x89}, []byte("<html>")...), Download, "attachment"},
	}
	for _, c := range cases {
		typ, disp := Serving(c.data)
		if typ != c.typ || disp != c.inline {
			t.Errorf("%s: Serving = %s, %s; want %s, %s", c.name, typ, disp, c.typ, c.inline)
		}
	}
}

func TestPicture(t *testing.T) {
	for typ, want := range map[string]bool{"image/png": true, "image/webp": true, "image/svg+xml": false, "text/html": false} {
		if Picture(typ) != want {
			t.Errorf("Picture(%q) = %t, want %t", typ, !want, want)
		}
	}
}

// FuzzServing checks that whatever the bytes, a file is either a picture
// served inline or a download, and inline bytes start like that picture.
func FuzzServing(f *testing.F) {
	for _, seed := range [][]byte{png, jpeg, gif, webp, []byte("<html>"), nil} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		typ, disp := Serving(data)
		switch disp {
		case "inline":
			if !Picture(typ) {
				t.Fatalf("inline %q", typ)
			}
			if typ == "image/webp" && !bytes.HasPrefix(data, []byte("RIFF")) {
				t.Fatalf("webp without RIFF: %q", data)
			}
		case "attachment":
			if typ != Download {
				t.Fatalf("download as %q", typ)
			}
		default:
			t.Fatalf("disposition %q", disp)
		}
	})
}
