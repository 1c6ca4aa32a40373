package web

import (
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"

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
		limit := s.opts.BodyLimit
		if isUpload(c) {
			limit = max(limit, UploadLimit)
		}
		if r.ContentLength > limit {
			return desk.Errorf(desk.CodeTooLarge, "the body is larger than %d bytes", limit)
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
		return next(c)
	}
}

// UploadLimit bounds a reply with files (multipart/form-data): one file
// of desk.MaxAttachmentBytes and then some.
const UploadLimit = 25 << 20

// isUpload reports the requests that carry files: a multipart reply, a web
// chat customer's file (whose handler holds it to its own, smaller limit)
// and an admin's upload of call-detail records.
func isUpload(c echo.Context) bool {
	if c.Request().Method != http.MethodPost {
		return false
	}
	multipart := strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm)
	return (multipart && (c.Path() == "/api/v1/tickets/:id/messages" || c.Path() == "/webchat/upload")) || c.Path() == callImportPath
}
