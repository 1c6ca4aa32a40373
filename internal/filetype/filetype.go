// Package filetype decides how a stored file may be served. The type a
// sender declares is a claim, not a fact: an HTML page declared image/png
// would run as the desk's own origin if served inline. Only bytes that
// really are a picture browsers draw safely are shown inline.
package filetype

import "net/http"

// pictures are the types served inline: browsers draw them and run
// nothing in them. SVG is not here: it is a document that can hold script.
var pictures = map[string]bool{"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true}

// Download is the type of every file that is not served inline.
const Download = "application/octet-stream"

// Serving returns the Content-Type and Content-Disposition type
// ("inline" or "attachment") to serve data with, judged by its bytes alone.
func Serving(data []byte) (contentType, disposition string) {
	if typ := Sniff(data); typ != "" {
		return typ, "inline"
	}
	return Download, "attachment"
}

// Sniff returns image/jpeg, image/png, image/gif or image/webp when data
// starts like one of those pictures, and "" for anything else.
func Sniff(data []byte) string {
	if isWebP(data) {
		return "image/webp"
	}
	if typ := http.DetectContentType(data); pictures[typ] && typ != "image/webp" {
		return typ
	}
	return ""
}

// isWebP checks the RIFF container and a known WebP chunk itself: the
// standard sniffer accepts any "WEBPVP" prefix, which includes none of the
// three chunk kinds browsers decode (VP8, VP8L, VP8X).
func isWebP(data []byte) bool {
	if len(data) < 16 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return false
	}
	switch string(data[12:16]) {
	case "VP8 ", "VP8L", "VP8X":
		return true
	}
	return false
}

// Picture reports whether a declared type names a picture shown inline; a
// page may use it to decide how to present a file before fetching it.
// Serving still decides by the bytes.
func Picture(declared string) bool { return pictures[declared] }
