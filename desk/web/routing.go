package web

import (
	"encoding/csv"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

// routingRoutes registers "next ticket" for agents and the routing
// settings for admins.
func (s *Server) routingRoutes(e *echo.Echo, v1 string, authed, admin []echo.MiddlewareFunc) {
	e.POST(v1+"/tickets/next", s.nextTicket, authed...)
	e.GET(v1+"/routing/rules", s.listRoutingRules, admin...)
	e.POST(v1+"/routing/rules", s.createRoutingRule, admin...)
	e.PUT(v1+"/routing/rules/order", s.reorderRoutingRules, admin...)
	e.PUT(v1+"/routing/rules/:id", s.updateRoutingRule, admin...)
	e.DELETE(v1+"/routing/rules/:id", s.deleteRoutingRule, admin...)
	e.GET(v1+"/routing/teams", s.listTeamRouting, admin...)
	e.PUT(v1+"/routing/teams/:id", s.putTeamRouting, admin...)
	e.GET(v1+"/routing/agents/:id", s.getAgentRouting, admin...)
	e.PUT(v1+"/routing/agents/:id", s.putAgentRouting, admin...)
	e.POST(v1+"/routing/segments", s.importSegments, admin...)
	e.GET("/admin/routing", s.routingPage, s.pageErrors, s.pageAuth, requireRole(desk.RoleAdmin))
}

// nextTicket hands the calling agent the next ticket of their queues.
func (s *Server) nextTicket(c echo.Context) error {
	t, err := s.svc.NextTicket(c.Request().Context(), current(c).Agent)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

type routingRulesResponse struct {
	Rules []desk.RoutingRule `json:"rules"`
}

func (s *Server) listRoutingRules(c echo.Context) error {
	rules, err := s.svc.RoutingRules(c.Request().Context(), s.actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, routingRulesResponse{Rules: rules})
}

// routingRuleRequest is a rule as an admin writes it.
type routingRuleRequest struct {
	Name        string              `json:"name"`
	Enabled     *bool               `json:"enabled"`
	Conditions  desk.RuleConditions `json:"conditions"`
	TeamID      string              `json:"team_id"`
	SetCategory string              `json:"set_category"`
	SetPriority desk.Priority       `json:"set_priority"`
}

func (r routingRuleRequest) rule(id string) desk.RoutingRule {
	enabled := r.Enabled == nil || *r.Enabled
	return desk.RoutingRule{ID: id, Name: r.Name, Enabled: enabled, Conditions: r.Conditions, TeamID: r.TeamID,
		SetCategory: r.SetCategory, SetPriority: r.SetPriority}
}

func (s *Server) createRoutingRule(c echo.Context) error {
	var req routingRuleRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	r, err := s.svc.CreateRoutingRule(c.Request().Context(), s.actor(c), req.rule(""))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, r)
}

func (s *Server) updateRoutingRule(c echo.Context) error {
	var req routingRuleRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	r, err := s.svc.UpdateRoutingRule(c.Request().Context(), s.actor(c), req.rule(c.Param("id")))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

func (s *Server) deleteRoutingRule(c echo.Context) error {
	if err := s.svc.DeleteRoutingRule(c.Request().Context(), s.actor(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type reorderRequest struct {
	IDs []string `json:"ids"`
}

func (s *Server) reorderRoutingRules(c echo.Context) error {
	var req reorderRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	rules, err := s.svc.ReorderRoutingRules(c.Request().Context(), s.actor(c), req.IDs)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, routingRulesResponse{Rules: rules})
}

// teamRoutingJSON shows reassign_after as whole seconds.
type teamRoutingJSON struct {
	TeamID        string `json:"team_id"`
	Mode          string `json:"mode"`
	ReassignAfter int64  `json:"reassign_after_seconds"`
	Default       bool   `json:"default"`
}

func teamRoutingOut(t desk.TeamRouting) teamRoutingJSON {
	return teamRoutingJSON{TeamID: t.TeamID, Mode: t.Mode, ReassignAfter: int64(t.ReassignAfter / time.Second), Default: t.Default}
}

type teamRoutingResponse struct {
	Teams []teamRoutingJSON `json:"teams"`
}

func (s *Server) listTeamRouting(c echo.Context) error {
	list, err := s.svc.TeamRoutings(c.Request().Context(), s.actor(c))
	if err != nil {
		return err
	}
	out := teamRoutingResponse{Teams: make([]teamRoutingJSON, len(list))}
	for i, t := range list {
		out.Teams[i] = teamRoutingOut(t)
	}
	return c.JSON(http.StatusOK, out)
}

type teamRoutingRequest struct {
	Mode          string `json:"mode"`
	ReassignAfter int64  `json:"reassign_after_seconds"`
	Default       bool   `json:"default"`
}

func (s *Server) putTeamRouting(c echo.Context) error {
	var req teamRoutingRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.ReassignAfter < 0 || req.ReassignAfter > int64(desk.MaxReassignAfter/time.Second) {
		return desk.Errorf(desk.CodeInvalid, "reassign_after_seconds must be between 0 (off) and %d", int64(desk.MaxReassignAfter/time.Second))
	}
	t, err := s.svc.SetTeamRouting(c.Request().Context(), s.actor(c), desk.TeamRouting{TeamID: c.Param("id"), Mode: req.Mode,
		ReassignAfter: time.Duration(req.ReassignAfter) * time.Second, Default: req.Default})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, teamRoutingOut(t))
}

func (s *Server) getAgentRouting(c echo.Context) error {
	a, err := s.svc.AgentRouting(c.Request().Context(), s.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

type agentRoutingRequest struct {
	Capacity   *int     `json:"capacity"`
	Languages  []string `json:"languages"`
	Channels   []string `json:"channels"`
	Categories []string `json:"categories"`
	AutoAssign bool     `json:"auto_assign"`
}

func (s *Server) putAgentRouting(c echo.Context) error {
	var req agentRoutingRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.Capacity == nil {
		return desk.Errorf(desk.CodeInvalid, "capacity is required: how many open tickets the agent works at once")
	}
	a, err := s.svc.SetAgentRouting(c.Request().Context(), s.actor(c), desk.AgentRouting{AgentID: c.Param("id"),
		Capacity: *req.Capacity, Languages: req.Languages, Channels: req.Channels, Categories: req.Categories, AutoAssign: req.AutoAssign})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

type segmentsRequest struct {
	Segments []desk.Segment `json:"segments"`
}

type segmentsResponse struct {
	Received int `json:"received"`
	Added    int `json:"added"`
}

// importSegments takes {"segments": [...]} or a CSV body with the columns
// kind,value,segment (a header line with those names is skipped).
func (s *Server) importSegments(c echo.Context) error {
	var segs []desk.Segment
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if mt == "text/csv" {
		var err error
		if segs, err = readSegmentsCSV(c.Request().Body); err != nil {
			return err
		}
	} else {
		var req segmentsRequest
		if err := decodeJSON(c, &req); err != nil {
			return err
		}
		segs = req.Segments
	}
	n, err := s.svc.ImportSegments(c.Request().Context(), s.actor(c), segs)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, segmentsResponse{Received: len(segs), Added: n})
}

func readSegmentsCSV(body io.Reader) ([]desk.Segment, error) {
	r := csv.NewReader(body)
	r.FieldsPerRecord = 3
	r.TrimLeadingSpace = true
	var out []desk.Segment
	for line := 1; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, desk.Errorf(desk.CodeTooLarge, "the body is larger than %d bytes", tooBig.Limit)
		}
		if err != nil {
			return nil, desk.Errorf(desk.CodeInvalid, "CSV line %d: want kind,value,segment (%v)", line, err)
		}
		if line == 1 && strings.EqualFold(rec[0], "kind") {
			continue
		}
		if len(out) >= desk.MaxSegmentImport {
			return nil, desk.Errorf(desk.CodeTooLarge, "at most %d segment entries per import", desk.MaxSegmentImport)
		}
		out = append(out, desk.Segment{Kind: rec[0], Value: rec[1], Segment: rec[2]})
	}
}
