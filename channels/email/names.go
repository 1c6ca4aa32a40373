package email

import (
	"bufio"
	"bytes"
	"mime"
	"net/url"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"
)

// isDeliveryReport: a Content-Type of multipart/report for delivery
// status (RFC 3464).
func isDeliveryReport(ct string) bool {
	_, params, err := mime.ParseMediaType(ct)
	return err == nil && strings.EqualFold(params["report-type"], "delivery-status")
}

var rfc2231Part = regexp.MustCompile(`(?i)(?:file)?name\*(?:(\d+)\*?|)=\s*("[^"]*"|[^;\s]+)`)

// rfc2231Name reads an RFC 2231 name parameter (filename*=charset”...,
// with continuations) in any charset decodeText knows; the standard
// library reads only UTF-8 ones. "" when there is none.
func rfc2231Name(header string) string {
	var charset string
	var raw []byte
	for i, m := range rfc2231Part.FindAllStringSubmatch(header, 32) {
		v := strings.Trim(m[2], `"`)
		if i == 0 {
			cs, rest, ok := strings.Cut(v, "'")
			if !ok {
				return ""
			}
			_, v, _ = strings.Cut(rest, "'")
			charset = cs
		}
		if dec, err := url.PathUnescape(v); err == nil {
			v = dec
		}
		raw = append(raw, v...)
	}
	if len(raw) == 0 {
		return ""
	}
	return decodeText(raw, charset)
}

func bufioReader(b []byte) *bufio.Reader { return bufio.NewReader(bytes.NewReader(b)) }

// safeFileName neutralises a sender's file name: no directories, control
// characters, markup or shell metacharacters, no leading dot, at most 200
// bytes with its extension kept; an empty one is named after its type.
func safeFileName(name, contentType string) string {
	if !utf8.ValidString(name) {
		name = decodeText([]byte(name), "")
	}
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base("/" + name)
	name = strings.Map(func(r rune) rune {
		switch {
		case r < 0x20 || r == 0x7f || r == 0xfffd:
			return -1
		case strings.ContainsRune(`<>:"|?*/&;$`+"`'", r):
			return '_'
		case r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069: // bidi overrides hide the real extension
			return -1
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimSpace(name), ".")
	if name == "" || name == "/" {
		name = "attachment"
		if exts, _ := mime.ExtensionsByType(contentType); len(exts) > 0 {
			name += exts[0]
		} else if contentType == "message/rfc822" {
			name += ".eml"
		}
	}
	if len(name) > 200 {
		ext := path.Ext(name)
		if len(ext) > 20 {
			ext = ""
		}
		name = truncBytes(name, 200-len(ext)) + ext
	}
	return name
}
