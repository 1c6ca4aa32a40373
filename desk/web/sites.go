package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

type sitesResponse struct {
	Sites []desk.Site `json:"sites"`
}

func (s *Server) listSites(c echo.Context) error {
	list, err := s.svc.Sites(c.Request().Context(), s.actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sitesResponse{Sites: list})
}

type siteRequest struct {
	Name         *string   `json:"name"`
	Origins      *[]string `json:"origins"`
	Greeting     *string   `json:"greeting"`
	HoursNote    *string   `json:"hours_note"`
	RotateSecret bool      `json:"rotate_secret"`
	GraceHours   *int      `json:"grace_hours"`
}

func (s *Server) createSite(c echo.Context) error {
	var req siteRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	site, err := s.svc.CreateSite(c.Request().Context(), s.actor(c), desk.SiteChange(req))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, site)
}

func (s *Server) changeSite(c echo.Context) error {
	var req siteRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	site, err := s.svc.ChangeSite(c.Request().Context(), s.actor(c), c.Param("id"), desk.SiteChange(req))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, site)
}

// revealSiteSecret answers the site with its secret; the reveal is audited.
func (s *Server) revealSiteSecret(c echo.Context) error {
	site, err := s.svc.RevealSiteSecret(c.Request().Context(), s.actor(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, site)
}
