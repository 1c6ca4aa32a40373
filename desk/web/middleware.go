package web

import (
	"fmt"
	"net/http"
	"runtime/debug"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

// recoverPanics turns a handler panic into a logged 500: one bad request
// must never take the process down.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("web: panic", "path", c.Path(), "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				err = desk.Errorf(desk.CodeInternal, "internal error; it has been logged")
			}
		}()
		return next(c)
	}
}

// securityHeaders applies to every response; the desk pages (later) add
// their own Content-Security-Policy on top of this strict default.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("Cache-Control", "no-store")
		return next(c)
	}
}

func (s *Server) limitBody(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.ContentLength > s.opts.BodyLimit {
			return desk.Errorf(desk.CodeTooLarge, "the body is larger than %d bytes", s.opts.BodyLimit)
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, s.opts.BodyLimit)
		return next(c)
	}
}
