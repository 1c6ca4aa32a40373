package email

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/inbucket/html2text"
	"github.com/jhillyerd/enmime/v2"

	"huiliu/channels"
)

// Limits of one mail. Bigger input is cut, not refused: the mail stays on
// the server, and the desk gets what fits with a note of what did not.
const (
	// MaxMailBytes is the most of a raw mail that is parsed.
	MaxMailBytes = 50 << 20
	// maxBoundaries bounds MIME nesting and part counts: a mail with more
	// multipart boundaries is read as text (flagged malformed), which
	// keeps a hostile deep nest from costing more than one scan.
	maxBoundaries = 64
	maxParts      = 256
)

// Mail is a parsed mail: what the desk stores and what the channel needs
// to decide about it.
type Mail struct {
	Header channels.Email
	Text   string
	HTML   string // raw; the desk sanitizes it
	Files  []channels.Attachment
	Date   time.Time
	// Report is set for a delivery status notification (multipart/report;
	// report-type=delivery-status) or a bounce without one.
	Report *Report
	// ExternalID is the desk's dedupe key: the Message-ID, or a hash of
	// the mail when it has none.
	ExternalID string
}

// Report is what a bounce says.
type Report struct {
	// Failed are the recipients whose delivery failed, with the reason.
	Failed []Failure
	// OriginalID is the Message-ID of the mail that bounced, when known.
	OriginalID string
}

// Failure is one recipient a bounce reports.
type Failure struct {
	Address string
	Reason  string
}

var parser = enmime.NewParser(enmime.RawContent(true), enmime.SkipMalformedParts(true),
	enmime.MultipartWOBoundaryAsSinglePart(true), enmime.MaxStoredPartErrors(10))

// ParseMail reads a raw mail (RFC 5322, MIME). It never fails and never
// panics: what it cannot read as MIME is kept as text with
// Header.Malformed set, every string is valid UTF-8, and sizes are within
// the desk's limits.
func ParseMail(raw []byte) (m Mail) {
	if len(raw) > MaxMailBytes {
		raw = raw[:MaxMailBytes]
	}
	m.ExternalID = "sha256:" + hexSum(raw)
	defer func() {
		// The MIME library is third-party code fed hostile input; a panic
		// in it must cost one mail's structure, not the poller.
		if r := recover(); r != nil {
			m = malformed(raw)
		}
	}()
	if bytes.Count(bytes.ToLower(raw), []byte("boundary")) > maxBoundaries {
		return malformed(raw)
	}
	root, err := parser.ReadParts(bytes.NewReader(raw))
	if err != nil || root == nil {
		return malformed(raw)
	}
	m.readHeader(root.Header)
	w := walker{m: &m}
	w.walk(root)
	if w.parts > maxParts {
		return malformed(raw)
	}
	if len(w.texts) == 0 && len(w.htmls) == 0 && len(m.Files) == 0 && m.Report == nil {
		// Nothing readable came out of the structure: keep the source.
		return malformed(raw)
	}
	m.Text = strings.TrimSpace(strings.Join(w.texts, "\n\n"))
	m.HTML = strings.Join(w.htmls, "\n")
	m.Header.HasHTML = m.HTML != ""
	if strings.TrimSpace(m.Text) == "" && m.HTML != "" {
		if t, err := html2text.FromString(m.HTML, html2text.Options{}); err == nil {
			m.Text = strings.TrimSpace(clean(t))
		}
	}
	if m.Report == nil && looksLikeBounce(m.Header) {
		m.Report = &Report{}
	}
	m.fitLimits(w.dropped)
	m.Header.QuoteAt, m.Header.SignatureAt = foldPoints(m.Text)
	return m
}

// malformed keeps a mail MIME could not read: its headers as far as they
// go, its whole source as text.
func malformed(raw []byte) Mail {
	m := Mail{ExternalID: "sha256:" + hexSum(raw)}
	head := raw
	if i := bytes.Index(raw, []byte("\r\n\r\n")); i >= 0 {
		head = raw[:i+4]
	} else if i := bytes.Index(raw, []byte("\n\n")); i >= 0 {
		head = raw[:i+2]
	}
	if msg, err := mail.ReadMessage(bytes.NewReader(head)); err == nil {
		m.readHeader(textproto.MIMEHeader(msg.Header))
	}
	m.Header.Malformed = true
	m.Text = strings.ReplaceAll(decodeText(raw, ""), "\r\n", "\n")
	m.fitLimits(nil)
	return m
}

func hexSum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:16])
}

// readHeader fills the header fields and the dedupe key.
func (m *Mail) readHeader(h textproto.MIMEHeader) {
	e := &m.Header
	e.Subject = truncBytes(oneLine(decodeHeader(h.Get("Subject"))), maxSubjectBytes)
	if from := addresses(h.Get("From")); len(from) > 0 {
		e.From = from[0]
	}
	if e.From.Value == "" {
		if s := addresses(h.Get("Sender")); len(s) > 0 {
			e.From = s[0]
		}
	}
	e.To = capParties(addresses(strings.Join(h.Values("To"), ", ")))
	e.Cc = capParties(addresses(strings.Join(h.Values("Cc"), ", ")))
	e.MessageID = firstID(h.Get("Message-Id"))
	e.InReplyTo = firstID(h.Get("In-Reply-To"))
	e.References = msgIDs(strings.Join(h.Values("References"), " "))
	if len(e.References) > maxReferences {
		refs := e.References
		e.References = append(refs[:1:1], refs[len(refs)-maxReferences+1:]...)
	}
	if d, err := mail.ParseDate(h.Get("Date")); err == nil {
		m.Date = d
	}
	e.Automatic = automatic(h, e.Subject)
	if e.MessageID != "" {
		m.ExternalID = e.MessageID
		if len(m.ExternalID) > maxExternalIDBytes {
			m.ExternalID = "sha256:" + hexSum([]byte(e.MessageID))
		}
	}
}

// walker collects a MIME tree's bodies and files.
type walker struct {
	m       *Mail
	texts   []string
	htmls   []string
	parts   int
	dropped []string
}

func (w *walker) walk(p *enmime.Part) {
	w.parts++
	if w.parts > maxParts {
		return
	}
	ct := strings.ToLower(p.ContentType)
	if ct == "multipart/report" && isDeliveryReport(p.Header.Get("Content-Type")) {
		w.m.Report = readReport(p)
	}
	if p.FirstChild != nil {
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			w.walk(c)
		}
		return
	}
	switch {
	case strings.HasPrefix(ct, "multipart/"):
		// An empty multipart: nothing to take.
	case w.m.Report != nil && (ct == "message/delivery-status" || ct == "message/rfc822" || ct == "text/rfc822-headers"):
		// Parts of the report, read by readReport.
	case isBody(p, ct):
		body := strings.ReplaceAll(decodeText(transferDecode(p), p.Charset), "\r\n", "\n")
		if ct == "text/html" {
			w.htmls = append(w.htmls, body)
		} else if strings.TrimSpace(body) != "" {
			w.texts = append(w.texts, body)
		}
	default:
		w.file(p, ct)
	}
}

// isBody: a text/plain or text/html part that is not an attached file.
func isBody(p *enmime.Part, ct string) bool {
	if ct != "text/plain" && ct != "text/html" && ct != "" {
		return false
	}
	return !strings.EqualFold(p.Disposition, "attachment") && (p.FileName == "" || strings.EqualFold(p.Disposition, "inline") && ct != "")
}

func (w *walker) file(p *enmime.Part, ct string) {
	data := transferDecode(p)
	name := p.FileName
	if n := rfc2231Name(p.Header.Get("Content-Disposition")); n != "" {
		name = n
	} else if n := rfc2231Name(p.Header.Get("Content-Type")); n != "" && name == "" {
		name = n
	}
	name = safeFileName(name, ct)
	if len(w.m.Files) >= maxAttachments || len(data) > maxAttachmentBytes {
		w.dropped = append(w.dropped, fmt.Sprintf("%s (%d bytes)", name, len(data)))
		return
	}
	cid := ""
	if !strings.EqualFold(p.Disposition, "attachment") {
		cid = truncBytes(oneLine(clean(p.ContentID)), 250)
	}
	w.m.Files = append(w.m.Files, channels.Attachment{Name: name, MIME: ct, Data: data, ContentID: cid})
}

// transferDecode undoes base64 or quoted-printable leniently: broken
// input yields what could be read, then the rest as it was.
func transferDecode(p *enmime.Part) []byte {
	raw := p.Content
	switch strings.ToLower(strings.TrimSpace(p.Header.Get("Content-Transfer-Encoding"))) {
	case "base64":
		clean := make([]byte, 0, len(raw))
		for _, c := range raw {
			if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' {
				clean = append(clean, c)
			}
		}
		clean = clean[:len(clean)/4*4+min(len(clean)%4, 3)]
		if len(clean)%4 == 1 {
			clean = clean[:len(clean)-1]
		}
		out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
		n, _ := base64.RawStdEncoding.Decode(out, clean)
		return out[:n]
	case "quoted-printable":
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
		if err != nil {
			return raw
		}
		return out
	}
	return raw
}

// wordDecoder decodes RFC 2047 words in any charset charsetEncoding knows.
var wordDecoder = &mime.WordDecoder{CharsetReader: func(label string, r io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return strings.NewReader(decodeText(b, label)), nil
}}

// decodeHeader decodes a header's encoded words; raw 8-bit header bytes
// (GBK sent unencoded) are detected like an unlabelled body.
func decodeHeader(v string) string {
	if !utf8.ValidString(v) {
		v = decodeText([]byte(v), "")
	}
	if d, err := wordDecoder.DecodeHeader(v); err == nil {
		v = d
	}
	return clean(v)
}

// htmlBloat is what of an HTML mail no desk shows: style sheets, comments
// (Word's conditional ones included) and head metadata.
var htmlBloat = regexp.MustCompile(`(?is)<style\b.*?</style\s*>|<!--.*?-->|<xml\b.*?</xml\s*>|<meta\b[^>]*>`)

var bracketed = regexp.MustCompile(`<([^<>\s"]+@[^<>\s"]+)>`)

var addrSpec = regexp.MustCompile(`[^\s<>"(),;:]+@[^\s<>"(),;:]+`)

// addresses parses an address list; a list net/mail refuses still gives
// its addr-specs, so a sloppy client's mail has a sender.
func addresses(v string) []channels.Party {
	if strings.TrimSpace(v) == "" {
		return nil
	}
	if !utf8.ValidString(v) {
		v = decodeText([]byte(v), "")
	}
	var out []channels.Party
	p := mail.AddressParser{WordDecoder: wordDecoder}
	if list, err := p.ParseList(v); err == nil {
		for _, a := range list {
			out = append(out, party(a.Address, a.Name))
		}
		return out
	}
	found := bracketed.FindAllStringSubmatch(v, maxRecipients)
	if len(found) == 0 {
		for _, a := range addrSpec.FindAllString(v, maxRecipients) {
			found = append(found, []string{a, a})
		}
	}
	for _, a := range found {
		out = append(out, party(a[1], ""))
	}
	return out
}

func party(addr, name string) channels.Party {
	addr = truncBytes(strings.ToLower(oneLine(clean(addr))), maxPartyValueBytes)
	name = truncBytes(oneLine(decodeHeader(name)), maxNameBytes)
	return channels.Party{Kind: identityEmail, Value: addr, Name: name}
}

func capParties(ps []channels.Party) []channels.Party {
	if len(ps) > maxRecipients {
		return ps[:maxRecipients]
	}
	return ps
}

var idPattern = regexp.MustCompile(`<([^<>\s]+)>`)

// msgIDs lists the <ids> in a header, without brackets.
func msgIDs(v string) []string {
	var out []string
	for _, m := range idPattern.FindAllStringSubmatch(v, 4*maxReferences) {
		if id := clean(m[1]); len(id) <= maxIDBytes {
			out = append(out, id)
		}
	}
	return out
}

// firstID reads a Message-ID or In-Reply-To: the first <id>, or the bare
// value some clients send.
func firstID(v string) string {
	if ids := msgIDs(v); len(ids) > 0 {
		return ids[0]
	}
	v = strings.Trim(strings.TrimSpace(v), "<>")
	if v == "" || strings.ContainsAny(v, " \t\r\n") || len(v) > maxIDBytes {
		return ""
	}
	return clean(v)
}

// oneLine replaces control characters (CR, LF, tabs, ...) with spaces.
func oneLine(s string) string {
	return strings.TrimSpace(strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s))
}

// truncBytes cuts s to at most n bytes on a rune boundary.
func truncBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	s = s[:n]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// fitLimits cuts text and HTML to what the desk stores and notes files
// that were left out.
func (m *Mail) fitLimits(dropped []string) {
	if len(dropped) > 0 {
		m.Text += "\n\n[" + fmt.Sprintf("%d attachment(s) not stored, over the limit of %d files of %d MiB / 附件未保存（超出限制）: %s",
			len(dropped), maxAttachments, maxAttachmentBytes>>20, strings.Join(dropped, ", ")) + "]"
	}
	const note = "\n\n[… cut: the mail is longer than the desk keeps / 邮件过长，已截断]"
	if len(m.Text) > maxTextBytes {
		m.Text = truncBytes(m.Text, maxTextBytes-len(note)) + note
	}
	if len(m.HTML) > maxTextBytes {
		// Outlook and Word pad their HTML with style sheets and
		// conditional comments the desk's sanitizer drops anyway.
		m.HTML = htmlBloat.ReplaceAllString(m.HTML, "")
	}
	if len(m.HTML) > maxTextBytes {
		// Half an HTML document would render wrongly; the text stands in.
		m.HTML = ""
	}
	if strings.TrimSpace(m.Text) == "" && m.HTML == "" && len(m.Files) == 0 {
		m.Text = "(empty mail / 空邮件)"
	}
}
