package webchat

import (
	"html/template"
	"net/http"
)

// tryPage shows the widget of one site on the desk's own origin, as a
// customer would see it, so an admin (or someone trying the demo) can chat
// without a website of their own. It works when the site lists the desk's
// origin among its allowed origins; otherwise the page says so.
var tryPage = template.Must(template.New("try").Parse(`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Name}} · 在线客服预览 / chat preview</title>
</head>
<body>
<h1>{{.Name}}</h1>
<p>这是网站聊天窗口的预览页：点击右下角的按钮，以客户身份发一条消息，再到 <a href="/login">客服工作台</a> 回复。</p>
<p lang="en">This page shows the site's chat widget as a customer sees it: open it with the button at the bottom right, send a message, and answer it from <a href="/login">the agent desk</a>.</p>
{{if not .Allowed}}<p><strong>此站点的允许来源中没有 {{.Origin}}，窗口无法连接。请管理员把它加入允许来源。 / {{.Origin}} is not among this site's allowed origins, so the widget cannot connect here; an admin can add it.</strong></p>{{end}}
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
		Name, Key, Origin string
		Allowed           bool
	}{site.Name, site.Key, origin, site.allowsOrigin(origin)})
}
