package desk

import "huiliu/desk/pii"

// PermPIIReveal lets an agent see personal data (ID, card and mobile
// numbers, e-mail addresses) unmasked. There is no permission model yet:
// admins hold it and nobody else does.
const PermPIIReveal = "pii.reveal"

// Can reports whether the agent holds a permission.
func (a Agent) Can(perm string) bool {
	return perm == PermPIIReveal && a.Role == RoleAdmin
}

// MaskFor returns text with personal data masked unless a may reveal it.
// Stored text is never changed; masking happens on the way out.
func MaskFor(a Agent, text string) string {
	if a.Can(PermPIIReveal) {
		return text
	}
	return pii.Mask(text)
}

// MaskMessagesFor masks the text and HTML of messages in place for a.
func MaskMessagesFor(a Agent, ms []Message) {
	if a.Can(PermPIIReveal) {
		return
	}
	for i := range ms {
		ms[i].Text = pii.Mask(ms[i].Text)
		ms[i].HTML = pii.Mask(ms[i].HTML)
	}
}
