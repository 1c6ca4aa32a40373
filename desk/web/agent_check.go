package web

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
)

// agentCheckResponse answers the public employee number check. Current is
// false alike for numbers never issued and for former agents', so the
// body's shape and fields never tell the two apart.
type agentCheckResponse struct {
	EmployeeNo string `json:"employee_no"`
	Current    bool   `json:"current"`
}

// agentCheck is the JSON form of /verify-agent, for the chat widget.
func (s *Server) agentCheck(c echo.Context) error {
	no := desk.NormalizeEmployeeNo(c.QueryParam("no"))
	ok, err := s.svc.CheckEmployeeNo(c.Request().Context(), no, c.RealIP())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, agentCheckResponse{EmployeeNo: no, Current: ok})
}

// verifyAgentView is what the page shows: the number asked about and
// either an answer or an error.
type verifyAgentView struct {
	No      string
	Asked   bool
	Current bool
	Error   string
	// Official lists the company's official channels; Report opens the
	// "report a suspected fake agent" form, Reported/ReportError answer it.
	Official    []desk.OfficialChannel
	Report      bool
	Reported    bool
	ReportError string
	// LangParam is the page's accepted ?lang=, carried by its forms.
	LangParam string
}

// verifyAgentPage lets a customer check an employee number someone gave
// them. It is a GET form (it changes nothing), so it needs no CSRF token
// and a result can be bookmarked or linked with ?no=.
func (s *Server) verifyAgentPage(c echo.Context) error {
	lang, param := publicLanguage(c)
	v := verifyAgentView{No: desk.NormalizeEmployeeNo(c.QueryParam("no")), LangParam: param}
	status := http.StatusOK
	if _, asked := c.QueryParams()["no"]; asked {
		ok, err := s.svc.CheckEmployeeNo(c.Request().Context(), v.No, c.RealIP())
		var de *desk.Error
		switch {
		case err == nil:
			v.Asked, v.Current = true, ok
		case !errors.As(err, &de):
			return err
		case de.Code == desk.CodeInvalid:
			status, v.Error = http.StatusBadRequest, i18n.T(lang, "verify_agent.invalid")
		case de.Code == desk.CodeRateLimited:
			status, v.Error = http.StatusTooManyRequests, i18n.T(lang, "verify_agent.rate_limited", "n", setRetryAfter(c, de.RetryAfter))
		case de.Code == desk.CodeUnavailable:
			status, v.Error = http.StatusServiceUnavailable, i18n.T(lang, "verify_agent.unavailable")
		default:
			return err
		}
	}
	_, v.Report = c.QueryParams()["report"]
	official, err := s.svc.OfficialChannels(c.Request().Context())
	if err != nil {
		return err
	}
	v.Official = official
	return s.render(c, status, "verify_agent.html", pageData{Lang: lang, Title: i18n.T(lang, "verify_agent.title"), Page: "verify-agent", Data: v,
		Here: withoutLang(c.Request())})
}
