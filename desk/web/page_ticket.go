package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/desk/botadmin"
	"huiliu/i18n"
	"huiliu/internal/filetype"
)

// A timeline is read in pages of the store's largest page, up to this many
// entries; a longer one shows its start (the API pages the rest).
const maxTimeline = 5000

type fileView struct {
	URL, Name, Size string
	Image           bool
}

type entryView struct {
	ID, Author, EmployeeNo, Text, Kind, DeliveryError string
	Seq                                               int64
	Direction                                         desk.Direction
	AuthorKind                                        desk.AuthorKind
	Delivery                                          desk.Delivery
	IsVerifyRequest                                   bool
	At                                                time.Time
	Files                                             []fileView
	// Mail is the header and folded text of an email message.
	Mail *mailEntry
	// Call is a telephone call (page_call.go).
	Call *callEntry
}

type identityView struct {
	ID, Kind, Value, Method string
	Verified                bool
	VerifiedAt              time.Time
	// Dial: the panel offers click-to-call of this number.
	Dial bool
}

type ticketView struct {
	Ticket                         desk.Ticket
	Contact                        desk.Contact
	Identities                     []identityView
	Owner, Assignee, Team          string
	Tags                           []string
	Entries                        []entryView
	StatusChoices, PriorityChoices []string
	Teams                          []desk.Team
	Agents                         []desk.Agent
	// Confirm offers the outcome confirmation to the owner or a
	// supervisor while it is pending (nil: not for this agent);
	// ConfirmedBy names who gave it.
	Confirm     *confirmView
	ConfirmedBy string
	SLA         slaPanel
	// CanReveal: the agent holds pii.reveal (reveal buttons, unmasked export).
	CanReveal bool
	// MailReply prefills the subject and Cc of an email ticket's reply.
	MailReply *mailReply
	// Bot is the bot's part in the ticket (nil: the bot never took it).
	Bot *botadmin.Panel
	// People is the contact panel's history, notes and merges.
	People contactPanel
	// BotSuggest: an email ticket on a node running the bot shows its
	// suggested reply to the customer's latest mail.
	BotSuggest bool
}

func (s *Server) ticketPage(c echo.Context) error {
	ctx := c.Request().Context()
	p := current(c)
	t, contact, err := s.svc.TicketDetail(ctx, p.Agent, c.Param("id"))
	if err != nil {
		return err
	}
	names, err := s.agentNames(ctx)
	if err != nil {
		return err
	}
	teams, err := s.svc.Teams(ctx)
	if err != nil {
		return err
	}
	// The live page re-reads its header, contact and SLA panels
	// (fragment=head) on every event of its ticket, the SLA panel alone
	// (fragment=sla) every 30 s, and the contact's history, notes and
	// merges (fragment=people) after a change there; none needs the
	// timeline.
	fragment := c.QueryParam("fragment")
	head := fragment == "head" || fragment == "sla" || fragment == "people"
	var msgs []desk.Message
	if !head {
		if msgs, err = s.svc.TicketMessages(ctx, p.Agent, t.ID, "", maxTimeline); err != nil {
			return err
		}
	}
	lang := pickLanguage(c.Request())
	panel, err := s.slaPanel(ctx, lang, p.Agent, t.ID, s.svc.Now())
	if err != nil {
		return err
	}
	contact.Name = contactName(lang, contact)
	v := ticketView{
		Ticket: t, Contact: contact, Tags: ticketTags(t),
		Owner: agentLabel(names, t.OwnerID), Assignee: agentLabel(names, t.AssigneeID),
		Confirm: confirmOffer(p.Agent, t), ConfirmedBy: agentLabel(names, t.ConfirmedBy),
		StatusChoices:   []string{"open", "pending", "resolved", "closed"},
		PriorityChoices: []string{"low", "normal", "high", "urgent"},
		Teams:           teams, SLA: panel, CanReveal: p.Agent.Can(desk.PermPIIReveal),
	}
	if t.Status == desk.StatusBot {
		v.StatusChoices = append([]string{"bot"}, v.StatusChoices...)
	}
	teamNames := map[string]string{}
	for _, tm := range teams {
		teamNames[tm.ID] = tm.Name
	}
	v.Team = teamNames[t.TeamID]
	for _, a := range names {
		if a.Active {
			v.Agents = append(v.Agents, a)
		}
	}
	sortAgents(v.Agents)
	clickToCall := s.svc.ClickToCallEnabled()
	for _, id := range contact.Identities {
		iv := identityView{ID: id.ID, Kind: id.Kind, Value: id.Value, Method: id.Method,
			// A withheld caller's identity is a placeholder, not a number.
			Dial: clickToCall && id.Kind == desk.IdentityPhone && strings.HasPrefix(id.Value, "+")}
		if id.VerifiedAt != nil {
			iv.Verified, iv.VerifiedAt = true, *id.VerifiedAt
		}
		v.Identities = append(v.Identities, iv)
	}
	if fragment != "head" && fragment != "sla" {
		if v.People, err = s.contactPanel(ctx, lang, p.Agent, t, contact, names); err != nil {
			return err
		}
	}
	for _, m := range msgs {
		v.Entries = append(v.Entries, entryOf(lang, m, contact, names))
	}
	s.callEntriesFor(lang, p.Agent.ID, v.Entries)
	if t.Channel == "email" && !head {
		v.MailReply = mailReplyOf(msgs)
		v.BotSuggest = s.opts.Bot != nil && s.opts.Bot.CanTry()
		if v.MailReply.Bounce, err = s.svc.TicketBounce(ctx, p.Agent, t.ID); err != nil {
			return err
		}
	}
	if !head {
		if v.Bot, err = s.botPanel(ctx, p.Agent, t.ID); err != nil {
			return err
		}
	}
	// The script renders entries that arrive later the same way; it needs
	// the names behind ids and where the timeline ends.
	agents := map[string]map[string]string{}
	for id, a := range names {
		agents[id] = map[string]string{"name": a.Name, "employee_no": a.EmployeeNo}
	}
	lastID := ""
	if len(msgs) > 0 {
		lastID = msgs[len(msgs)-1].ID
	}
	title := fmt.Sprintf("#%d %s", t.Number, t.Subject)
	d := pageData{
		Lang: lang, Title: strings.TrimSpace(title), Page: "ticket", Scripts: []string{"ticket.js", "facts.js", "pii.js", "emaildesk.js", "kb_ticket.js", "ticket_verify.js", "complaints.js", "phone_ticket.js", "contacts.js", "bot_ticket.js"}, Data: v,
		PageJSON: map[string]any{
			"ticket_id": t.ID, "ticket_number": t.Number, "last_id": lastID, "contact_name": contact.Name, "contact_id": contact.ID,
			"agents": agents, "teams": teamNames,
		},
	}
	switch fragment {
	case "head":
		return s.renderTemplate(c, http.StatusOK, "ticket.html", "ticket_fragment", d)
	case "sla":
		// The 30-second countdown refresh needs the panel only.
		return s.renderTemplate(c, http.StatusOK, "ticket.html", "sla_fragment", d)
	case "people":
		// contacts.js re-reads the history, notes and merges after its
		// own changes.
		return s.renderTemplate(c, http.StatusOK, "ticket.html", "people_fragment", d)
	}
	if err := s.withChrome(ctx, c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "ticket.html", d)
}

func agentLabel(names map[string]desk.Agent, id string) string {
	a, ok := names[id]
	if !ok {
		return ""
	}
	if a.EmployeeNo != "" {
		return a.Name + " (" + a.EmployeeNo + ")"
	}
	return a.Name
}

func entryOf(lang string, m desk.Message, contact desk.Contact, names map[string]desk.Agent) entryView {
	e := entryView{
		ID: m.ID, Seq: m.Seq, Direction: m.Direction, AuthorKind: m.AuthorKind, Kind: m.Kind, Text: m.Text, At: m.CreatedAt,
		Delivery: m.Delivery, DeliveryError: m.DeliveryError, IsVerifyRequest: m.Kind == desk.MessageKindVerifyRequest,
	}
	if m.AuthorKind == desk.AuthorContact {
		e.Text = channelLabels(lang, m.Text)
	}
	switch m.AuthorKind {
	case desk.AuthorContact:
		e.Author = contact.Name
		if e.Author == "" {
			e.Author = i18n.T(lang, "entry.customer")
		}
	case desk.AuthorAgent:
		a := names[m.AuthorID]
		e.Author, e.EmployeeNo = a.Name, a.EmployeeNo
		if e.Author == "" {
			e.Author = i18n.T(lang, "entry.agent")
		}
	case desk.AuthorBot:
		e.Author = i18n.T(lang, "entry.bot")
	default:
		e.Author = i18n.T(lang, "entry.system")
	}
	if m.AuthorName != "" && (m.AuthorKind == desk.AuthorBot || m.AuthorKind == desk.AuthorSystem) {
		// Labelled first, so a bot never passes for a person.
		e.Author += " · " + m.AuthorName
	}
	if m.Direction == desk.DirSystem {
		e.Text = systemText(lang, m)
	}
	e.Mail = mailEntryOf(m)
	e.Call = callEntryOf(lang, m)
	for _, f := range m.Attachments {
		e.Files = append(e.Files, fileView{
			URL: "/api/v1/attachments/" + f.ID, Name: f.Name, Size: humanSize(f.Size), Image: filetype.Picture(f.MIME),
		})
	}
	return e
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
