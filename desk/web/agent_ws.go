package web

import "github.com/labstack/echo/v4"

func (s *Server) agentWS(c echo.Context) error { return nil }
