package web

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
	xhtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"huiliu/desk"
	"huiliu/i18n"
	"huiliu/internal/filetype"
)

// The mail view is the sanitized HTML of one message, served as its own
// document into an <iframe sandbox> on the ticket page. Its policy runs
// nothing, fetches nothing and submits nothing. Inline cid: images are
// written in as data: URLs: the sandboxed frame has an opaque origin, so
// it carries no session cookie and could not fetch the attachment URLs.
// Remote pictures (trackers) load only with ?images=1, after the agent
// asked, and then only over https.
const (
	mailCSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; " +
		"frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox allow-popups allow-popups-to-escape-sandbox"
	mailCSPImages = "default-src 'none'; img-src data: https:; style-src 'unsafe-inline'; " +
		"frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox allow-popups allow-popups-to-escape-sandbox"
)

// mailStyle is the frame's only style: readable text, pictures within the
// frame, quoted history folded behind a summary.
const mailStyle = `body{font:14px/1.5 system-ui,"Microsoft YaHei","WenQuanYi Micro Hei",sans-serif;margin:8px;color:#222;overflow-wrap:anywhere}` +
	`img{max-width:100%;height:auto}img[data-blocked]{outline:1px dashed #bbb;min-width:16px;min-height:16px}` +
	`details.quoted>summary{cursor:pointer;color:#666;font-size:12px}blockquote{margin:0 0 0 8px;padding-left:8px;border-left:2px solid #ccc;color:#555}`

// mailHTML serves GET /desk/messages/:id/html to an agent who may see the
// message's ticket, as the same not found as a missing message otherwise.
func (s *Server) mailHTML(c echo.Context) error {
	m, inline, err := s.svc.MailView(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	if m.HTML == "" {
		return desk.Errorf(desk.CodeNotFound, "message has no HTML view")
	}
	images := c.QueryParam("images") == "1"
	lang := pickLanguage(c.Request())
	doc, err := mailDocument(lang, m.HTML, inline, images)
	if err != nil {
		return fmt.Errorf("web: mail view of message %s: %w", m.ID, err)
	}
	h := c.Response().Header()
	h.Set("Content-Security-Policy", mailCSP)
	if images {
		h.Set("Content-Security-Policy", mailCSPImages)
	}
	// The desk's own pages may frame it; nothing else may.
	h.Set("X-Frame-Options", "SAMEORIGIN")
	// A remote picture shown on request learns nothing of the desk's URLs.
	h.Set("Referrer-Policy", "no-referrer")
	return c.HTMLBlob(http.StatusOK, doc)
}

// mailDocument wraps stored HTML into the frame's document. The HTML is
// sanitized again here (it was when stored): what the frame shows never
// depends on every writer of the column having done so.
func mailDocument(lang, stored string, inline map[string]desk.Attachment, images bool) ([]byte, error) {
	body := &xhtml.Node{Type: xhtml.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := xhtml.ParseFragment(strings.NewReader(desk.SanitizeHTML(stored)), body)
	if err != nil {
		return nil, err
	}
	quoted := i18n.T(lang, "emaildesk.show_quoted")
	var buf bytes.Buffer
	buf.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><meta name="referrer" content="no-referrer"><style>`)
	buf.WriteString(mailStyle)
	buf.WriteString(`</style></head><body>`)
	for _, n := range nodes {
		n = rewriteMailNode(n, inline, images, quoted)
		if err := xhtml.Render(&buf, n); err != nil {
			return nil, err
		}
	}
	buf.WriteString(`</body></html>`)
	return buf.Bytes(), nil
}

// rewriteMailNode adjusts one sanitized tree for the frame: inline images
// resolved, remote ones held back unless shown, links opened in a new
// tab without an opener, quoted history folded. It returns the node to
// render in n's place.
func rewriteMailNode(n *xhtml.Node, inline map[string]desk.Attachment, images bool, quoted string) *xhtml.Node {
	if n.Type == xhtml.ElementNode {
		switch n.DataAtom {
		case atom.Img:
			rewriteImage(n, inline, images)
		case atom.A:
			if attr(n, "href") != "" {
				setAttr(n, "target", "_blank")
				setAttr(n, "rel", "noopener noreferrer nofollow")
			}
		case atom.Blockquote:
			return foldQuote(n, quoted)
		}
	}
	for ch := n.FirstChild; ch != nil; {
		next := ch.NextSibling
		if r := rewriteMailNode(ch, inline, images, quoted); r != ch {
			n.InsertBefore(r, ch)
			n.RemoveChild(ch)
			r.AppendChild(ch)
		}
		ch = next
	}
	return n
}

// foldQuote puts a quoted block (and everything inside it, which is not
// rewritten again) behind a closed <details>: folded, not removed. The
// caller moves n into the returned node.
func foldQuote(n *xhtml.Node, label string) *xhtml.Node {
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		rewriteNested(ch)
	}
	d := &xhtml.Node{Type: xhtml.ElementNode, Data: "details", DataAtom: atom.Details,
		Attr: []xhtml.Attribute{{Key: "class", Val: "quoted"}}}
	sum := &xhtml.Node{Type: xhtml.ElementNode, Data: "summary", DataAtom: atom.Summary}
	sum.AppendChild(&xhtml.Node{Type: xhtml.TextNode, Data: label})
	d.AppendChild(sum)
	if n.Parent == nil {
		d.AppendChild(n)
	}
	return d
}

// rewriteNested applies the image and link rules inside a folded quote.
func rewriteNested(n *xhtml.Node) {
	if n.Type == xhtml.ElementNode {
		switch n.DataAtom {
		case atom.Img:
			rewriteImage(n, nil, false)
		case atom.A:
			if attr(n, "href") != "" {
				setAttr(n, "target", "_blank")
				setAttr(n, "rel", "noopener noreferrer nofollow")
			}
		}
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		rewriteNested(ch)
	}
}

// rewriteImage turns cid: into the stored picture's bytes and removes a
// remote source unless pictures are shown; the policy blocks it as well.
func rewriteImage(n *xhtml.Node, inline map[string]desk.Attachment, images bool) {
	src := strings.TrimSpace(attr(n, "src"))
	lower := strings.ToLower(src)
	switch {
	case strings.HasPrefix(lower, "cid:"):
		id, err := url.PathUnescape(src[len("cid:"):])
		if err != nil {
			id = src[len("cid:"):]
		}
		f, ok := inline[strings.Trim(id, "<>")]
		typ := filetype.Sniff(f.Data)
		if !ok || typ == "" {
			delAttr(n, "src")
			return
		}
		setAttr(n, "src", "data:"+typ+";base64,"+base64.StdEncoding.EncodeToString(f.Data))
	case strings.HasPrefix(lower, "https:") && images:
		// kept: the agent asked for remote pictures
	default:
		delAttr(n, "src")
		delAttr(n, "srcset")
		if src != "" {
			setAttr(n, "data-blocked", "")
			setAttr(n, "title", src)
		}
	}
}

func attr(n *xhtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *xhtml.Node, key, val string) {
	for i, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, xhtml.Attribute{Key: key, Val: val})
}

func delAttr(n *xhtml.Node, key string) {
	out := n.Attr[:0]
	for _, a := range n.Attr {
		if a.Namespace != "" || a.Key != key {
			out = append(out, a)
		}
	}
	n.Attr = out
}
