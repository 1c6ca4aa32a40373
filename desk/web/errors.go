package web

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

// statusOf is the one place a domain error code becomes an HTTP status.
var statusOf = map[desk.Code]int{
	desk.CodeInvalid:      http.StatusBadRequest,
	desk.CodeNotFound:     http.StatusNotFound,
	desk.CodeConflict:     http.StatusConflict,
	desk.CodeUnauthorized: http.StatusUnauthorized,
	desk.CodeForbidden:    http.StatusForbidden,
	desk.CodeRateLimited:  http.StatusTooManyRequests,
	desk.CodeTooLarge:     http.StatusRequestEntityTooLarge,
	desk.CodeUnavailable:  http.StatusServiceUnavailable,
	desk.CodeInternal:     http.StatusInternalServerError,
	desk.CodeDisclosure:   http.StatusConflict,
}

// codeOfStatus maps statuses that echo itself produces (unknown route,
// wrong method) back to codes.
var codeOfStatus = map[int]desk.Code{
	http.StatusBadRequest:            desk.CodeInvalid,
	http.StatusNotFound:              desk.CodeNotFound,
	http.StatusMethodNotAllowed:      desk.CodeInvalid,
	http.StatusUnauthorized:          desk.CodeUnauthorized,
	http.StatusForbidden:             desk.CodeForbidden,
	http.StatusRequestEntityTooLarge: desk.CodeTooLarge,
	http.StatusTooManyRequests:       desk.CodeRateLimited,
	http.StatusUnsupportedMediaType:  desk.CodeInvalid,
	http.StatusServiceUnavailable:    desk.CodeUnavailable,
}

type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    desk.Code `json:"code"`
	Message string    `json:"message"`
	// Details: the findings of a disclosure refusal.
	Details *desk.DisclosureCheck `json:"details,omitempty"`
}

// errorHandler writes every error as {"error":{"code","message"}}. Only a
// desk.Error's message reaches the client; anything else is logged and
// reported as an internal error, so no driver or file detail leaks.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		body := errorDetail{Code: desk.CodeInternal, Message: "internal error; it has been logged"}
		status := http.StatusInternalServerError
		var de *desk.Error
		var he *echo.HTTPError
		switch {
		case errors.As(err, &de):
			body = errorDetail{Code: de.Code, Message: de.Message}
			if dc, ok := de.Details.(desk.DisclosureCheck); ok {
				body.Details = &dc
			}
			if de.RetryAfter > 0 {
				setRetryAfter(c, de.RetryAfter)
			}
			if s, ok := statusOf[de.Code]; ok {
				status = s
			}
		case errors.As(err, &he):
			status = he.Code
			if code, ok := codeOfStatus[status]; ok {
				body.Code = code
				body.Message = http.StatusText(status)
				if m, ok := he.Message.(string); ok {
					body.Message = m
				}
			}
		}
		switch {
		case status >= 500 && c.Request().Context().Err() != nil:
			// The client went away mid-request; nobody reads this answer.
			log.Debug("web: request abandoned by the client", "method", c.Request().Method, "path", c.Path(), "err", err)
		case status >= 500:
			log.Error("web: request failed", "method", c.Request().Method, "path", c.Path(), "err", err)
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(status)
			return
		}
		_ = c.JSON(status, errorBody{Error: body})
	}
}

// setRetryAfter sets the Retry-After header to d in whole seconds (at
// least one) and returns them, for a message that names the wait.
func setRetryAfter(c echo.Context, d time.Duration) string {
	secs := strconv.Itoa(max(1, int(math.Ceil(d.Seconds()))))
	c.Response().Header().Set("Retry-After", secs)
	return secs
}
