package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
)

// officialRoutes: the official channel list (public read, admin write),
// its admin page, and the public "report a suspected fake agent" form.
func (s *Server) officialRoutes(v1 string, admin []echo.MiddlewareFunc) {
	e := s.echo
	e.GET(v1+"/public/official-channels", s.listOfficial)
	e.PUT(v1+"/official-channels", s.setOfficial, admin...)
	e.POST("/verify-agent/report", s.reportImpostorForm, s.pageErrors)
	page := []echo.MiddlewareFunc{s.pageErrors, s.authenticate, requireRole(desk.RoleAdmin)}
	e.GET("/admin/official-channels", s.officialPage, page...)
}

type officialResponse struct {
	Channels []desk.OfficialChannel `json:"channels"`
}

func (s *Server) listOfficial(c echo.Context) error {
	list, err := s.svc.OfficialChannels(c.Request().Context())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=60")
	return c.JSON(http.StatusOK, officialResponse{Channels: list})
}

type officialChannelRequest struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
	Label string `json:"label"`
}

type setOfficialRequest struct {
	Channels []officialChannelRequest `json:"channels"`
}

func (s *Server) setOfficial(c echo.Context) error {
	var req setOfficialRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	list := make([]desk.OfficialChannel, len(req.Channels))
	for i, r := range req.Channels {
		list[i] = desk.OfficialChannel{Kind: r.Kind, Value: r.Value, Label: r.Label}
	}
	out, err := s.svc.SetOfficialChannels(c.Request().Context(), s.actor(c), list)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, officialResponse{Channels: out})
}

// officialRow is one editable row of the admin page.
type officialRow struct {
	Kinds              []string
	Kind, Value, Label string
}

func (s *Server) officialPage(c echo.Context) error {
	ctx := c.Request().Context()
	lang := pickLanguage(c.Request())
	list, err := s.svc.OfficialChannels(ctx)
	if err != nil {
		return err
	}
	// One row per channel and an empty one to add to.
	rows := make([]officialRow, 0, len(list)+1)
	for _, ch := range append(list, desk.OfficialChannel{}) {
		rows = append(rows, officialRow{Kinds: desk.OfficialKinds, Kind: ch.Kind, Value: ch.Value, Label: ch.Label})
	}
	d := pageData{Lang: lang, Title: i18n.T(lang, "pii.official.title"), Page: "official", Scripts: []string{"official_admin.js"}, Data: rows}
	if err := s.withChrome(ctx, c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_official.html", d)
}

// reportImpostorForm takes the public page's report form. It is public
// and changes only by adding a ticket, so it needs no session; it is
// limited per client address.
func (s *Server) reportImpostorForm(c echo.Context) error {
	lang, param := publicLanguage(c)
	v := verifyAgentView{Report: true, LangParam: param}
	status := http.StatusOK
	_, err := s.svc.ReportImpostor(c.Request().Context(), desk.ImpostorReport{
		What: c.FormValue("what"), Impostor: c.FormValue("impostor"), Callback: c.FormValue("callback"), Key: "ip:" + c.RealIP()})
	var de *desk.Error
	switch {
	case err == nil:
		v.Reported = true
	case !errors.As(err, &de):
		return err
	case de.Code == desk.CodeInvalid:
		status, v.ReportError = http.StatusBadRequest, i18n.T(lang, "pii.report.invalid")
	case de.Code == desk.CodeRateLimited:
		status, v.ReportError = http.StatusTooManyRequests, i18n.T(lang, "verify_agent.rate_limited", "n", setRetryAfter(c, de.RetryAfter))
	default:
		return err
	}
	if v.Official, err = s.svc.OfficialChannels(c.Request().Context()); err != nil {
		return err
	}
	return s.render(c, status, "verify_agent.html", pageData{Lang: lang, Title: i18n.T(lang, "verify_agent.title"), Page: "verify-agent", Data: v,
		Here: "/verify-agent"})
}
