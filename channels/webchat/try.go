package webchat

import (
	"html/template"
	"net/http"

	"huiliu/i18n"
)

// tryPage shows the widget of one site on the desk's own origin, as a
// customer would see it, so an admin (or someone trying the demo) can chat
// without a website of their own. It works when the site lists the desk's
// origin among its allowed origins; otherwise the page says so.
// The page speaks the visitor's Accept-Language and sets <html lang>, so
// the widget on it speaks the same language.
var tryPage = template.Must(template.New("try").Funcs(template.FuncMap{"t": i18n.T}).Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{t .Lang "try.title" "name" .Name}}</title>
</head>
<body>
<h1>{{.Name}}</h1>
<p>{{t .Lang "try.intro"}} <a href="/login">{{t .Lang "try.desk"}}</a></p>
{{if not .Allowed}}<p><strong>{{t .Lang "try.origin_missing" "origin" .Origin}}</strong></p>{{end}}
<script src="/widget.js" data-site="{{.Key}}" async></script>
</body>
</html>
`))

func (s *Server) serveTry(w http.ResponseWriter, r *http.Request) {
	site, ok, err := s.lookupSite(r)
	if err != nil {
		writeJSONError(w, http.StatusServiceUnavailable, CodeUnavailable, "the chat is unavailable; try again shortly")
		return
	}
	if !ok {
		writeJSONError(w, http.StatusNotFound, CodeUnknownSite, "no site has this key")
		return
	}
	// Behind a TLS proxy the note may name http:// for https://; it is
	// only a hint, the socket's own Origin check is what counts.
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	origin := scheme + "://" + r.Host
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Only the desk's own script and socket; the widget styles itself with
	// a constructed sheet, which style-src does not govern.
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
	_ = tryPage.Execute(w, struct {
		Name, Key, Origin, Lang string
		Allowed                 bool
	}{site.Name, site.Key, origin, i18n.MatchAcceptLanguage(r.Header.Get("Accept-Language")), site.allowsOrigin(origin)})
}
