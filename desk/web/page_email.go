package web

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
)

// newEmailPage is the form for an email an agent starts: to a contact's
// address (?contact=ID, from the ticket page's contact panel) or to a
// typed one (from the inbox). emaildesk_pages.js posts it to the API.
func (s *Server) newEmailPage(c echo.Context) error {
	ctx := c.Request().Context()
	a := current(c).Agent
	boxes, err := s.svc.Mailboxes(ctx, a)
	if err != nil {
		return err
	}
	lang := pickLanguage(c.Request())
	v := struct {
		Mailboxes []desk.MailboxInfo
		ContactID string
		Contact   string
		Addresses []string
	}{Mailboxes: boxes}
	if id := c.QueryParam("contact"); id != "" {
		contact, err := s.svc.Contact(ctx, a, id)
		if err != nil {
			return err
		}
		v.ContactID, v.Contact = contact.ID, contactName(lang, contact)
		for _, ident := range contact.Identities {
			if ident.Kind == desk.IdentityEmail {
				v.Addresses = append(v.Addresses, ident.Value)
			}
		}
	}
	d := pageData{Lang: lang, Title: i18n.T(lang, "emaildesk.new_title"), Page: "email-new", Scripts: []string{"emaildesk_pages.js"}, Data: v}
	if err := s.withChrome(ctx, c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "email_new.html", d)
}

// mailboxesPage shows admins every mailbox with its standing and a
// connection test.
func (s *Server) mailboxesPage(c echo.Context) error {
	ctx := c.Request().Context()
	boxes, err := s.svc.Mailboxes(ctx, current(c).Agent)
	if err != nil {
		return err
	}
	lang := pickLanguage(c.Request())
	type row struct {
		desk.MailboxInfo
		// SettingsJSON fills the edit form (admin-added mailboxes only).
		SettingsJSON string
	}
	rows := make([]row, 0, len(boxes))
	for _, b := range boxes {
		r := row{MailboxInfo: b}
		if b.Settings != nil {
			raw, err := json.Marshal(b.Settings)
			if err != nil {
				return err
			}
			r.SettingsJSON = string(raw)
		}
		rows = append(rows, r)
	}
	bounces, err := s.svc.EmailBounces(ctx, current(c).Agent)
	if err != nil {
		return err
	}
	d := pageData{Lang: lang, Title: i18n.T(lang, "emaildesk.mailboxes_title"), Page: "mailboxes", Scripts: []string{"emaildesk_pages.js"},
		Data: struct {
			Mailboxes []row
			Bounces   []desk.EmailBounce
		}{rows, bounces}}
	if err := s.withChrome(ctx, c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_mailboxes.html", d)
}

// mailboxProblem names, as a catalog key, what kind of trouble a
// mailbox's recorded error is, so the admin reads it in their language;
// the server's own words are shown beside it.
func mailboxProblem(errText string) string {
	e := strings.ToLower(errText)
	switch {
	case strings.Contains(e, "login as") || strings.Contains(e, "authentication") || strings.Contains(e, "535"):
		return "emaildesk.problem_login"
	case strings.HasPrefix(e, "folder "):
		return "emaildesk.problem_folder"
	case strings.Contains(e, "certificate") || strings.Contains(e, "x509") || strings.Contains(e, "tls"):
		return "emaildesk.problem_tls"
	case strings.HasPrefix(e, "connect to") || strings.Contains(e, "timeout") || strings.Contains(e, "connection refused") || strings.Contains(e, "no such host"):
		return "emaildesk.problem_connect"
	}
	return "emaildesk.problem_other"
}
