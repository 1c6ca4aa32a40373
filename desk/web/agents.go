package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

type agentsResponse struct {
	Agents []desk.Agent `json:"agents"`
}

func (s *Server) listAgents(c echo.Context) error {
	as, err := s.svc.Agents(c.Request().Context(), s.actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, agentsResponse{Agents: as})
}

type createAgentRequest struct {
	Email    string    `json:"email"`
	Name     string    `json:"name"`
	Role     desk.Role `json:"role"`
	Password string    `json:"password"`
	Teams    []string  `json:"teams"`
}

func (s *Server) createAgent(c echo.Context) error {
	var req createAgentRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	a, err := s.svc.CreateAgent(c.Request().Context(), s.actor(c), desk.NewAgent(req))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, a)
}

type changeAgentRequest struct {
	Name     *string    `json:"name"`
	Role     *desk.Role `json:"role"`
	Active   *bool      `json:"active"`
	Teams    *[]string  `json:"teams"`
	Password *string    `json:"password"`
	// Permissions replaces the granted permissions (["pii.reveal"]).
	Permissions *[]string `json:"permissions"`
	// TimeZone: an IANA zone such as Asia/Shanghai; "" for the desk's.
	TimeZone *string `json:"time_zone"`
}

func (s *Server) changeAgent(c echo.Context) error {
	var req changeAgentRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	a, err := s.svc.ChangeAgent(c.Request().Context(), s.actor(c), c.Param("id"), desk.AgentChange(req))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, a)
}

func (s *Server) actor(c echo.Context) desk.Actor {
	a := current(c).Agent
	return desk.Actor{Agent: &a, IP: c.RealIP()}
}

type teamsResponse struct {
	Teams []desk.Team `json:"teams"`
}

func (s *Server) listTeams(c echo.Context) error {
	ts, err := s.svc.Teams(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, teamsResponse{Teams: ts})
}

type createTeamRequest struct {
	Name string `json:"name"`
}

func (s *Server) createTeam(c echo.Context) error {
	var req createTeamRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	t, err := s.svc.CreateTeam(c.Request().Context(), s.actor(c), req.Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, t)
}

type createTokenRequest struct {
	AgentEmail string `json:"agent_email"`
	Name       string `json:"name"`
}

type createTokenResponse struct {
	desk.Token
	// Secret is shown once; only its hash is stored.
	Secret string `json:"secret"`
}

func (s *Server) createToken(c echo.Context) error {
	var req createTokenRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	t, secret, err := s.svc.CreateToken(c.Request().Context(), s.actor(c), req.AgentEmail, req.Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, createTokenResponse{Token: t, Secret: secret})
}

func (s *Server) listTokens(c echo.Context) error {
	ts, err := s.svc.Tokens(c.Request().Context(), s.actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"tokens": ts})
}

// revokeToken answers 204; the token stops working at once.
func (s *Server) revokeToken(c echo.Context) error {
	if err := s.svc.RevokeToken(c.Request().Context(), s.actor(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
