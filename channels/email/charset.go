package email

import (
	"bytes"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/transform"
)

// charsetEncoding maps a MIME charset label to its decoder. Every GB label
// decodes as GB18030, the superset of GB2312 and GBK: senders label GBK
// and even 4-byte GB18030 text "gb2312". nil means UTF-8 or unknown.
func charsetEncoding(label string) encoding.Encoding {
	l := strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	switch l {
	case "", "us-ascii", "ascii", "utf-8", "utf8", "unicode-1-1-utf-8":
		return nil
	case "gb2312", "gbk", "gb18030", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "chinese",
		"csgb2312", "gb_2312-80", "gb_2312", "iso-ir-58", "csiso58gb231280", "x-euc-cn":
		return simplifiedchinese.GB18030
	case "big5", "big5-hkscs", "x-big5", "cn-big5", "csbig5", "cp950", "windows-950":
		return traditionalchinese.Big5
	}
	e, err := htmlindex.Get(l)
	if err != nil {
		return nil
	}
	return e
}

// decodeText turns bytes labelled with charset into valid UTF-8. Text
// that is not what its label says (8-bit text labelled us-ascii or not at
// all, GBK sent as "utf-8") is detected instead; bytes no decoder can read
// become U+FFFD. It never fails.
func decodeText(b []byte, label string) string {
	enc := charsetEncoding(label)
	if enc == nil {
		if utf8.Valid(b) {
			return clean(string(b))
		}
		if mostlyUTF8(b) {
			return clean(string(b)) // broken UTF-8: the bad bytes become U+FFFD
		}
		enc = guessEncoding(b)
	}
	s, err := decodeWith(enc, b)
	if err != nil {
		return clean(strings.ToValidUTF8(string(b), "\uFFFD"))
	}
	return clean(s)
}

func decodeWith(enc encoding.Encoding, b []byte) (string, error) {
	out, err := io.ReadAll(transform.NewReader(bytes.NewReader(b), enc.NewDecoder()))
	return string(out), err
}

// mostlyUTF8: more valid multi-byte UTF-8 characters than stray bytes,
// so the text is UTF-8 with damage rather than another charset.
func mostlyUTF8(b []byte) bool {
	good, bad := 0, 0
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && n == 1:
			bad++
		case n > 1:
			good++
		}
		b = b[n:]
	}
	return good > bad
}

// guessEncoding picks the decoder for 8-bit text without a usable label:
// Big5 when the detector is sure, else GB18030, which reads any byte
// sequence and is what unlabelled Chinese mail almost always is.
func guessEncoding(b []byte) encoding.Encoding {
	if r, err := chardet.NewTextDetector().DetectBest(b); err == nil && r.Charset == "Big5" && r.Confidence >= 50 {
		return traditionalchinese.Big5
	}
	return simplifiedchinese.GB18030
}

// clean makes decoded text storable: valid UTF-8 and no NUL.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.ReplaceAll(s, "\x00", "")
}
