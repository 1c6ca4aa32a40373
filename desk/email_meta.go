package desk

import "huiliu/channels"

// Limits on the mail header stored with a message (channels.Email); the
// email channel trims to them before it hands a mail in.
const (
	MaxEmailSubjectBytes = 1000
	MaxEmailIDBytes      = 998 // RFC 5322 line length
	MaxEmailReferences   = 50
	MaxEmailRecipients   = 100 // To and Cc each
)

// checkEmail refuses a mail header beyond the limits or with text no
// database stores.
func checkEmail(e *channels.Email) error {
	if e == nil {
		return nil
	}
	switch {
	case len(e.Subject) > MaxEmailSubjectBytes:
		return Errorf(CodeInvalid, "email subject is longer than %d bytes", MaxEmailSubjectBytes)
	case len(e.References) > MaxEmailReferences:
		return Errorf(CodeInvalid, "email has more than %d references", MaxEmailReferences)
	case len(e.To) > MaxEmailRecipients || len(e.Cc) > MaxEmailRecipients:
		return Errorf(CodeInvalid, "email has more than %d recipients in To or Cc", MaxEmailRecipients)
	}
	texts := []string{e.Mailbox, e.Subject, e.MessageID, e.InReplyTo, e.Automatic, e.From.Value, e.From.Name}
	for _, id := range append([]string{e.MessageID, e.InReplyTo}, e.References...) {
		if len(id) > MaxEmailIDBytes {
			return Errorf(CodeInvalid, "email message id is longer than %d bytes", MaxEmailIDBytes)
		}
	}
	texts = append(texts, e.References...)
	for _, p := range append(append([]channels.Party{}, e.To...), e.Cc...) {
		if len(p.Value) > MaxPartyValueBytes || len(p.Name) > MaxNameBytes {
			return Errorf(CodeInvalid, "email recipient is longer than %d bytes", MaxPartyValueBytes)
		}
		texts = append(texts, p.Value, p.Name)
	}
	for _, s := range texts {
		if !ValidText(s) {
			return Errorf(CodeInvalid, "email header fields must be valid UTF-8 without NUL characters")
		}
	}
	if e.QuoteAt < 0 || e.SignatureAt < 0 {
		return Errorf(CodeInvalid, "email fold offsets must not be negative")
	}
	return nil
}
