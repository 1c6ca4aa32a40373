package web

import "github.com/labstack/echo/v4"

// factsPages are the desk pages of this part (filled in below).
func (s *Server) factsPages(e *echo.Echo) {}
