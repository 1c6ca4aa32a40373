package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// emailRoutes adds the desk's email pages to the page routes (page: the
// session-cookie middleware of the desk's screens).
func (s *Server) emailRoutes(page []echo.MiddlewareFunc) {
	e := s.echo
	e.GET("/desk/messages/:id/html", s.mailHTML, page...)
	e.GET("/desk/messages/:id/entry", s.mailEntryFragment, page...)
}

// mailEntryFragment renders one timeline entry as the ticket page does,
// for an email message that arrived while the page was open: the header
// and the folded text come from the server, like on a reload.
func (s *Server) mailEntryFragment(c echo.Context) error {
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
	d := pageData{Lang: lang, Data: entryOf(lang, m, contact, names)}
	return s.renderTemplate(c, http.StatusOK, "ticket.html", "mail_entry_fragment", d)
}
