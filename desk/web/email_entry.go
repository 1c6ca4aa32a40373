package web

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"huiliu/channels"
	"huiliu/desk"
)

// mailEntry is what the timeline shows of an email message beyond its
// text: the header, the text split where quoted history or the signature
// begins (folded behind a toggle, never removed), and whether the mail
// has an HTML view.
type mailEntry struct {
	Subject, From string
	To, Cc        []string
	Main, Quoted  string
	HasHTML       bool
}

// mailEntryOf is nil for a message without a mail header.
func mailEntryOf(m desk.Message) *mailEntry {
	e := m.Email
	if e == nil {
		return nil
	}
	v := &mailEntry{Subject: e.Subject, HasHTML: e.HasHTML && m.HTML != "", From: partyLabel(e.From)}
	for _, p := range e.To {
		v.To = append(v.To, partyLabel(p))
	}
	for _, p := range e.Cc {
		v.Cc = append(v.Cc, partyLabel(p))
	}
	v.Main, v.Quoted = foldMailText(m.Text, e.QuoteAt, e.SignatureAt)
	return v
}

func partyLabel(p channels.Party) string {
	switch {
	case p.Name != "" && p.Value != "":
		return p.Name + " <" + p.Value + ">"
	case p.Value != "":
		return p.Value
	}
	return p.Name
}

// Separators mail programs put above quoted history: Outlook's English and
// Chinese ones, Foxmail/QQ's, and Gmail's "On … wrote:" / "在 … 写道：".
var (
	quoteSeparator = regexp.MustCompile(`(?i)^\s*(-{2,}\s*(original message|原始邮件|原始郵件|原邮件|原郵件)\s*-{2,}|_{10,})\s*$`)
	quoteIntro     = regexp.MustCompile(`(?i)^\s*(on .{1,300} wrote:|.{0,300}(写道|寫道)\s*[：:]?)\s*$`)
	outlookFrom    = regexp.MustCompile(`(?i)^\s*(from|发件人|寄件者|寄件人)\s*[:：]`)
	outlookSent    = regexp.MustCompile(`(?i)^\s*(sent|date|发送时间|日期|時間|时间|傳送時間|寄件日期)\s*[:：]`)
)

// foldMailText splits text into what the sender wrote and what to fold:
// from the channel's marks (byte offsets; the earlier of the two) or,
// without them, from the first separator, signature delimiter ("-- ") or
// trailing block of ">" lines. Interleaved quotes (answers between
// quoted lines) are not folded, so no answer is hidden.
func foldMailText(text string, quoteAt, signatureAt int) (main, quoted string) {
	cut := 0
	for _, at := range []int{quoteAt, signatureAt} {
		if at > 0 && at < len(text) && utf8.RuneStart(text[at]) && (cut == 0 || at < cut) {
			cut = at
		}
	}
	if cut == 0 {
		cut = quoteStart(text)
	}
	if cut <= 0 {
		return text, ""
	}
	main = strings.TrimRight(text[:cut], " \t\r\n")
	if strings.TrimSpace(main) == "" {
		// Nothing but quote: show it all rather than an empty message.
		return text, ""
	}
	return main, text[cut:]
}

// quoteStart is the byte offset of the first folding point, or 0.
func quoteStart(text string) int {
	lines := strings.SplitAfter(text, "\n")
	at := 0
	for i, raw := range lines {
		line := strings.TrimRight(raw, "\r\n")
		switch {
		case line == "-- " || line == "--":
			return at
		case quoteSeparator.MatchString(line), quoteIntro.MatchString(line) && len(line) <= 300:
			return at
		case outlookFrom.MatchString(line) && i+1 < len(lines) && outlookSent.MatchString(lines[i+1]):
			return at
		case strings.HasPrefix(line, ">") && onlyQuoted(lines[i:]):
			return at
		}
		at += len(raw)
	}
	return 0
}

func onlyQuoted(lines []string) bool {
	for _, l := range lines {
		if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, ">") {
			return false
		}
	}
	return true
}

// mailReply is what the reply box of an email ticket starts with.
type mailReply struct {
	Subject, Cc string
	// Bounce, when set, blocks replies to the customer's address.
	Bounce *desk.EmailBounce
}

// ccLabel writes an address as an agent reads and net/mail parses it:
// the name as a quoted string in plain UTF-8, not RFC 2047 encoded.
func ccLabel(p channels.Party) string {
	if p.Name == "" {
		return p.Value
	}
	name := strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(p.Name)
	return `"` + name + `" <` + p.Value + `>`
}

// mailReplyOf fills the box from the conversation (desk.MailReplyDefaults);
// the Cc is written as an address list the API parses back.
func mailReplyOf(msgs []desk.Message) *mailReply {
	subject, cc := desk.MailReplyDefaults(msgs)
	r := &mailReply{Subject: subject}
	var list []string
	for _, p := range cc {
		list = append(list, ccLabel(p))
	}
	r.Cc = strings.Join(list, ", ")
	return r
}
