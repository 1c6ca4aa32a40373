package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

// emailRoutes adds the desk's email pages to the page routes (page: the
// session-cookie middleware of the desk's screens).
func (s *Server) emailRoutes(page []echo.MiddlewareFunc) {
	e := s.echo
	e.GET("/desk/messages/:id/html", s.mailHTML, page...)
	e.GET("/desk/messages/:id/entry", s.entryFragment, page...)
	e.GET("/email/new", s.newEmailPage, page...)
	e.GET("/admin/mailboxes", s.mailboxesPage, append(page[:len(page):len(page)], requireRole(desk.RoleAdmin))...)
}

// entryFragment renders one timeline entry as the ticket page does, for
// an entry the page's script cannot draw alike: an email (the header and
// the folded text) or a call (translated, with its recording link and
// wrap-up form) that arrived or changed while the page was open.
func (s *Server) entryFragment(c echo.Context) error {
	ctx := c.Request().Context()
	a := current(c).Agent
	m, _, err := s.svc.MailView(ctx, a, c.Param("id"))
	if err != nil {
		return err
	}
	_, contact, err := s.svc.TicketDetail(ctx, a, m.TicketID)
	if err != nil {
		return err
	}
	names, err := s.agentNames(ctx)
	if err != nil {
		return err
	}
	lang := pickLanguage(c.Request())
	contact.Name = contactName(lang, contact)
	entries := []entryView{entryOf(lang, m, contact, names)}
	s.callEntriesFor(lang, a.ID, entries)
	d := pageData{Lang: lang, Data: entries[0]}
	return s.renderTemplate(c, http.StatusOK, "ticket.html", "entry_fragment", d)
}

// emailAPIRoutes adds the email parts of the REST API.
func (s *Server) emailAPIRoutes(v1 string, authed, admin []echo.MiddlewareFunc) {
	e := s.echo
	e.POST(v1+"/emails", s.startEmail, authed...)
	e.GET(v1+"/mailboxes", s.listMailboxes, authed...)
	e.POST(v1+"/mailboxes", s.saveMailbox, admin...)
	// :id is the mailbox's name.
	e.POST(v1+"/mailboxes/:id/test", s.testMailbox, admin...)
	e.GET(v1+"/email-bounces", s.listEmailBounces, admin...)
	e.DELETE(v1+"/tickets/:id/email-bounce", s.clearTicketBounce, authed...)
}

// listEmailBounces lists the bouncing addresses, masked (admins).
func (s *Server) listEmailBounces(c echo.Context) error {
	list, err := s.svc.EmailBounces(c.Request().Context(), current(c).Agent)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"bounces": list})
}

// clearTicketBounce lifts the bounce marks of an email ticket's customer;
// answers 204.
func (s *Server) clearTicketBounce(c echo.Context) error {
	if err := s.svc.ClearTicketBounce(c.Request().Context(), current(c).Agent, c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type startEmailRequest struct {
	ContactID string `json:"contact_id"`
	Address   string `json:"address"`
	Name      string `json:"name"`
	Mailbox   string `json:"mailbox"`
	Subject   string `json:"subject"`
	Cc        string `json:"cc"`
	Text      string `json:"text"`
}

// startEmail answers 201 with the new ticket and its first message, or
// 200 with the same when the Idempotency-Key was seen before.
func (s *Server) startEmail(c echo.Context) error {
	var req startEmailRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	key := c.Request().Header.Get("Idempotency-Key")
	t, m, created, err := s.svc.StartEmail(c.Request().Context(), current(c).Agent, desk.NewEmail{
		ContactID: req.ContactID, Address: req.Address, Name: req.Name, Mailbox: req.Mailbox,
		Subject: req.Subject, Cc: req.Cc, Text: req.Text, IdempotencyKey: key,
	})
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if !created {
		status = http.StatusOK
	}
	return c.JSON(status, map[string]any{"ticket": t, "message": m})
}

func (s *Server) listMailboxes(c echo.Context) error {
	list, err := s.svc.Mailboxes(c.Request().Context(), current(c).Agent)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"mailboxes": list})
}

func (s *Server) testMailbox(c echo.Context) error {
	res, err := s.svc.TestMailbox(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// saveMailbox adds or changes an admin's mailbox (kept in SQL); answers
// 204. Passwords are write-only: empty keeps the stored one.
func (s *Server) saveMailbox(c echo.Context) error {
	var in desk.MailboxInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := s.svc.SaveMailbox(c.Request().Context(), current(c).Agent, in); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
