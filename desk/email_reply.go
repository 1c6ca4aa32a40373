package desk

import (
	"net/mail"
	"strings"

	"huiliu/channels"
)

// MaxReplyCc bounds the Cc addresses an agent may put on one email.
const MaxReplyCc = 20

// MailReply is what an agent chose for an email: the subject line and the
// Cc addresses as typed ("Name <a@example.com>, b@example.com"). An empty
// Cc sends to the customer alone.
type MailReply struct {
	Subject string
	Cc      string
}

// mailHeader checks an agent's subject and Cc and turns them into the
// header stored with the message, which the outbox sends. Line breaks
// are refused in every field (also inside RFC 2047 encoded names), so no
// header can be injected through them.
func mailHeader(r *MailReply) (*channels.Email, error) {
	if r == nil {
		return nil, nil
	}
	subject := strings.TrimSpace(r.Subject)
	switch {
	case strings.ContainsAny(r.Subject, "\r\n") || strings.ContainsAny(r.Cc, "\r\n"):
		return nil, Errorf(CodeInvalid, "subject and cc must not hold line breaks")
	case len(subject) > MaxEmailSubjectBytes:
		return nil, Errorf(CodeTooLarge, "subject is longer than %d bytes", MaxEmailSubjectBytes)
	case len(r.Cc) > MaxReplyCc*(MaxPartyValueBytes+MaxNameBytes):
		return nil, Errorf(CodeTooLarge, "cc is too long")
	case !ValidText(subject) || !ValidText(r.Cc):
		return nil, Errorf(CodeInvalid, "subject and cc must be valid UTF-8 without NUL characters")
	}
	h := &channels.Email{Subject: subject, Cc: []channels.Party{}}
	if strings.TrimSpace(r.Cc) == "" {
		h.NoCc = true // stored without the empty list, so it is said apart
		return h, nil
	}
	list, err := mail.ParseAddressList(r.Cc)
	if err != nil {
		return nil, Errorf(CodeInvalid, "cc is not a list of mail addresses: %v", err)
	}
	if len(list) > MaxReplyCc {
		return nil, Errorf(CodeInvalid, "at most %d cc addresses", MaxReplyCc)
	}
	seen := map[string]bool{}
	for _, a := range list {
		addr := strings.ToLower(a.Address)
		switch {
		case strings.ContainsAny(a.Name, "\r\n\x00") || strings.ContainsAny(a.Address, "\r\n\x00 <>"):
			return nil, Errorf(CodeInvalid, "cc address %q must not hold line breaks", a.Address)
		case len(a.Address) > MaxPartyValueBytes || len(a.Name) > MaxNameBytes:
			return nil, Errorf(CodeInvalid, "cc address %q is too long", a.Address)
		case !ValidText(a.Name):
			return nil, Errorf(CodeInvalid, "cc name must be valid UTF-8")
		case seen[addr]:
			continue
		}
		seen[addr] = true
		h.Cc = append(h.Cc, channels.Party{Kind: "email", Value: a.Address, Name: a.Name})
	}
	return h, nil
}

// MailReplyDefaults is what the reply box of an email ticket starts with:
// "Re: " and the subject of the customer's latest mail, and that mail's
// Cc without the customer's own address, as the outbox would reply to all.
func MailReplyDefaults(msgs []Message) (subject string, cc []channels.Party) {
	for i := len(msgs) - 1; i >= 0; i-- {
		m := msgs[i]
		if m.Direction != DirIn || m.Email == nil {
			continue
		}
		for _, p := range m.Email.Cc {
			if !strings.EqualFold(p.Value, m.Email.From.Value) {
				cc = append(cc, p)
			}
		}
		if m.Email.Subject != "" {
			subject = replySubject(m.Email.Subject)
		}
		return subject, cc
	}
	return "", nil
}

// postMailHeader is the header a post stores: a reply's chosen subject
// and Cc on an email ticket. Notes are never sent and keep none; the
// fields on another channel's ticket are a mistake worth saying.
func (s *Service) postMailHeader(t Ticket, req PostRequest) (*channels.Email, error) {
	if req.Mail == nil || req.Kind == KindNote {
		return nil, nil
	}
	if t.Channel != EmailChannel {
		return nil, Errorf(CodeInvalid, "subject and cc are only for email tickets")
	}
	return mailHeader(req.Mail)
}
