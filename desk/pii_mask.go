package desk

import (
	"slices"

	"huiliu/desk/pii"
)

// PermPIIReveal lets an agent reveal personal data (ID, card and mobile
// numbers, e-mail addresses) one message or identity at a time, with a
// purpose that is audited (pii_reveal.go). Admins hold it by their role;
// an admin grants it to other agents (Agent.Permissions).
const PermPIIReveal = "pii.reveal"

// Permissions are the ones an admin may grant to an agent.
var Permissions = []string{PermPIIReveal, PermQAReview}

// Can reports whether the agent holds a permission.
func (a Agent) Can(perm string) bool {
	if perm == PermPIIReveal && a.Role == RoleAdmin {
		return true
	}
	return slices.Contains(a.Permissions, perm)
}

// Everything the desk hands an agent — API, pages, live events, exports —
// carries personal data masked, whoever the agent is: seeing it unmasked is
// always a revelation with a purpose. Stored text is never changed; masking
// happens on the way out, here, so no transport has to remember it.

func maskTicket(t Ticket) Ticket {
	// Both are cut short at a limit, which may split a number.
	t.Subject = pii.MaskCut(t.Subject)
	t.Preview = pii.MaskCut(t.Preview)
	return t
}

func maskTickets(ts []Ticket) {
	for i := range ts {
		ts[i] = maskTicket(ts[i])
	}
}

func maskMessage(m Message) Message {
	m.Text = pii.Mask(m.Text)
	m.HTML = pii.Mask(m.HTML)
	m.DeliveryError = pii.Mask(m.DeliveryError)
	if m.Event != nil && len(m.Event.Args) > 0 {
		e := SystemEvent{Action: m.Event.Action, Args: make(map[string]string, len(m.Event.Args))}
		for k, v := range m.Event.Args {
			e.Args[k] = pii.Mask(v)
		}
		m.Event = &e
	}
	for i := range m.Attachments {
		m.Attachments[i].Name = pii.Mask(m.Attachments[i].Name)
	}
	return m
}

func maskMessages(ms []Message) {
	for i := range ms {
		ms[i] = maskMessage(ms[i])
	}
}

// maskIdentityValue masks an identity's value: phone numbers and e-mail
// addresses are what the detectors know; a customer number or a chat id
// is an internal key and stays as it is.
func maskIdentityValue(id Identity) string {
	switch id.Kind {
	case IdentityPhone, IdentityEmail:
		if m := pii.Mask(id.Value); m != id.Value {
			return m
		}
		// A number the detectors do not take for a mobile (a landline,
		// a foreign number): keep only its last four characters.
		r := []rune(id.Value)
		if len(r) <= 4 {
			return "****"
		}
		return "****" + string(r[len(r)-4:])
	}
	return pii.Mask(id.Value)
}

func maskContact(c Contact) Contact {
	c.Name = pii.Mask(c.Name)
	ids := make([]Identity, len(c.Identities))
	for i, id := range c.Identities {
		id.Value = maskIdentityValue(id)
		ids[i] = id
	}
	c.Identities = ids
	return c
}

// maskEventData masks what an event carries, before it goes on the bus:
// desks' live views render it, and Redis holds no personal data.
func maskEventData(data any) any {
	switch d := data.(type) {
	case Ticket:
		return maskTicket(d)
	case MessageEventData:
		return MessageEventData{Ticket: maskTicket(d.Ticket), Message: maskMessage(d.Message)}
	case SLAEventData:
		d.Ticket = maskTicket(d.Ticket)
		return d
	case map[string]string:
		out := make(map[string]string, len(d))
		for k, v := range d {
			out[k] = pii.Mask(v)
		}
		return out
	}
	return data
}
