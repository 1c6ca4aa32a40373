package desk

import (
	"context"
	"fmt"
	"strings"

	"huiliu/channels"
)

// mailHistory is how many of a ticket's latest messages a reply looks
// through for the mail it answers.
const mailHistory = 200

// threadMail fills an email reply's threading from the stored mail
// headers: In-Reply-To and References from the customer's latest mail,
// the subject ("Re: " + theirs unless the reply chose one) and Cc (what
// the reply chose, else the latest mail's Cc: reply to all). A bot's or
// the system's message to a customer whose latest mail was automatic is
// refused (permanent), so no loop can start.
func (snd *Sender) threadMail(ctx context.Context, t Ticket, m Message, out *channels.Outbound) error {
	recent, err := snd.svc.store.MessagesAfterSeq(ctx, t.ID, max(0, m.Seq-mailHistory), mailHistory)
	if err != nil {
		return fmt.Errorf("mail history of ticket %s: %w", t.ID, err)
	}
	var last *channels.Email
	for i := len(recent) - 1; i >= 0; i-- {
		r := recent[i]
		if r.Seq < m.Seq && r.Direction == DirIn && r.Email != nil && r.Email.MessageID != "" {
			last = r.Email
			break
		}
	}
	if last != nil && last.Automatic != "" && out.Automatic {
		// RFC 3834: nothing automatic answers a machine; two responders
		// would otherwise write to each other forever.
		return channels.Permanent(fmt.Errorf("not sent: an automatic reply to an automatic mail (%s)", last.Automatic))
	}
	if last != nil {
		out.InReplyTo = last.MessageID
		refs := append(append([]string{}, last.References...), last.MessageID)
		if len(refs) > MaxEmailReferences {
			// Keep the root, as RFC 5322 asks, and the newest.
			refs = append(refs[:1], refs[len(refs)-MaxEmailReferences+1:]...)
		}
		out.References = refs
		out.Cc = last.Cc
		if last.Subject != "" {
			out.Subject = replySubject(last.Subject)
		}
	}
	if m.Email != nil {
		if m.Email.Subject != "" {
			out.Subject = m.Email.Subject
		}
		if m.Email.Cc != nil || m.Email.NoCc {
			out.Cc = m.Email.Cc
		}
	}
	return nil
}

// replySubject prefixes "Re: " unless the subject is a reply already
// (Re:, RE:, 回复:, 答复:).
func replySubject(s string) string {
	l := strings.ToLower(strings.TrimSpace(s))
	for _, p := range []string{"re:", "re：", "回复:", "回复：", "答复:", "答复：", "回覆:", "回覆："} {
		if strings.HasPrefix(l, p) {
			return s
		}
	}
	return "Re: " + s
}
