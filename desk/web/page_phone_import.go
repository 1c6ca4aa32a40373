package web

import (
	"context"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
)

// callImportPath takes an admin's upload of call-detail records: the CSV
// file as the body (text/csv), ?line= and ?format= in the query.
const callImportPath = "/api/v1/phone/imports"

// CallImporter imports call-detail records, the same code as `huiliu
// phone import` (cmd/huiliu): the line's mapping and time zone, the
// format's preset, bad rows reported by their line and skipped whole.
type CallImporter interface {
	// Lines names the configured phone lines.
	Lines() []string
	Import(ctx context.Context, actor desk.Actor, line, format string, r io.Reader) (desk.CallImportSummary, error)
}

// cdrFormats are the presets the upload offers (channels/phone.ReadCDR).
var cdrFormats = []string{"asterisk", "freeswitch", "generic"}

type callImportView struct {
	Lines, Formats []string
}

// callImportPage is the admins' upload form of call-detail records.
func (s *Server) callImportPage(c echo.Context) error {
	if s.opts.CallImports == nil {
		return desk.Errorf(desk.CodeNotFound, "no phone line is configured").Say("err.phone.no_lines")
	}
	lang := pickLanguage(c.Request())
	d := pageData{Lang: lang, Title: i18n.T(lang, "phone.import.title"), Page: "phone-import", Scripts: []string{"phone_admin.js"},
		Data: callImportView{Lines: s.opts.CallImports.Lines(), Formats: cdrFormats}}
	if err := s.withChrome(c.Request().Context(), c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_phone.html", d)
}

// importCalls imports the uploaded file and answers the summary: added,
// unchanged, and the bad rows with their line numbers.
func (s *Server) importCalls(c echo.Context) error {
	if s.opts.CallImports == nil {
		return desk.Errorf(desk.CodeNotFound, "no phone line is configured").Say("err.phone.no_lines")
	}
	sum, err := s.opts.CallImports.Import(c.Request().Context(), desk.AgentActor(current(c).Agent),
		c.QueryParam("line"), c.QueryParam("format"), c.Request().Body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sum)
}
