package web

import (
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

// factsRoutes are the customer record, claims, knowledge verification,
// the disclosure guard, the verification policy and the facts import.
func (s *Server) factsRoutes(e *echo.Echo, v1 string, authed, admin []echo.MiddlewareFunc) {
	super := append(authed[:len(authed):len(authed)], requireRole(desk.RoleSupervisor))
	e.GET(v1+"/tickets/:id/facts", s.ticketFacts, authed...)
	e.POST(v1+"/tickets/:id/claim", s.claimCustomer, authed...)
	e.POST(v1+"/tickets/:id/knowledge-verification", s.verifyByKnowledge, authed...)
	e.POST(v1+"/tickets/:id/disclosure-check", s.disclosureCheck, authed...)
	e.GET(v1+"/verification/policy", s.getFactPolicy, super...)
	e.PUT(v1+"/verification/policy", s.putFactPolicy, super...)
	e.POST(v1+"/facts/import", s.importFacts, admin...)
	s.factsPages(e)
}

func (s *Server) ticketFacts(c echo.Context) error {
	v, err := s.svc.RecordFacts(c.Request().Context(), s.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

type claimRequest struct {
	CustomerNo string `json:"customer_no"`
}

func (s *Server) claimCustomer(c echo.Context) error {
	var req claimRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	cl, err := s.svc.ClaimCustomer(c.Request().Context(), s.actor(c), c.Param("id"), req.CustomerNo)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, cl)
}

type knowledgeRequest struct {
	Questions []string `json:"questions"`
}

func (s *Server) verifyByKnowledge(c echo.Context) error {
	var req knowledgeRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	v, err := s.svc.VerifyByKnowledge(c.Request().Context(), s.actor(c), c.Param("id"), req.Questions)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

type disclosureRequest struct {
	Text string `json:"text"`
}

func (s *Server) disclosureCheck(c echo.Context) error {
	var req disclosureRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if len(req.Text) > desk.MaxTextBytes {
		return desk.Errorf(desk.CodeTooLarge, "text is longer than %d bytes", desk.MaxTextBytes)
	}
	ctx := c.Request().Context()
	if _, err := s.svc.VisibleTicket(ctx, current(c).Agent, c.Param("id")); err != nil {
		return err
	}
	res, err := s.svc.CheckDisclosure(ctx, c.Param("id"), req.Text)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

func (s *Server) getFactPolicy(c echo.Context) error {
	p, err := s.svc.FactPolicy(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

type factPolicyRequest struct {
	Policy desk.FactPolicy `json:"policy"`
}

func (s *Server) putFactPolicy(c echo.Context) error {
	var req factPolicyRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	p, err := s.svc.SetFactPolicy(c.Request().Context(), s.actor(c), req.Policy)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// importFacts takes the file as the body: Content-Type application/json
// or text/csv (or ?format=json|csv), within the body limit.
func (s *Server) importFacts(c echo.Context) error {
	format := c.QueryParam("format")
	if format == "" {
		ct := c.Request().Header.Get(echo.HeaderContentType)
		switch {
		case strings.HasPrefix(ct, echo.MIMEApplicationJSON):
			format = "json"
		case strings.HasPrefix(ct, "text/csv"):
			format = "csv"
		default:
			return desk.Errorf(desk.CodeInvalid, "send the file as application/json or text/csv, or name ?format=json|csv")
		}
	}
	recs, bad, err := desk.ParseFacts(io.Reader(c.Request().Body), format)
	if err != nil {
		if strings.Contains(err.Error(), "request body too large") {
			return desk.Errorf(desk.CodeTooLarge, "the file is larger than the request body limit")
		}
		return err
	}
	sum, err := s.svc.ImportFacts(c.Request().Context(), s.actor(c), recs, bad)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sum)
}
