package web

import (
	"errors"
	"log/slog"
	"math"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
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
			body = errorDetail{Code: de.Code, Message: spokenMessage(c.Request(), de)}
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
				body.Message = spokenText(c.Request(), body.Message)
			}
		default:
			body.Message = spokenText(c.Request(), body.Message)
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

// spokenMessage is e's message in the reader's language when they chose
// one (the desk's language cookie or an Accept-Language header) and the
// catalog words it — by e's Key, else by its English message
// (sayMessage); API clients that name no language get the English.
func spokenMessage(r *http.Request, e *desk.Error) string {
	lang := pickLanguage(r)
	if e.Key == "" || !i18n.Has(lang, e.Key) || (r.Header.Get("Accept-Language") == "" && !hasLangCookie(r)) {
		return spokenText(r, e.Message)
	}
	return i18n.T(lang, e.Key, e.Args...)
}

// spokenText is an English message from outside the domain (echo's own
// answers: "Not Found", "Method Not Allowed") in the reader's language
// when they chose one and the catalog words it.
func spokenText(r *http.Request, msg string) string {
	if r.Header.Get("Accept-Language") == "" && !hasLangCookie(r) {
		return msg
	}
	return sayMessage(pickLanguage(r), msg)
}

// messagePattern is one English error message of the errors catalog
// (keys errmsg.*) turned into a pattern: its {placeholders} capture what
// the code filled in.
type messagePattern struct {
	key   string
	re    *regexp.Regexp
	names []string
}

// messagePatterns are read once from the English catalog. The domain's
// validation messages are English sentences made with desk.Errorf; rather
// than give each of them a key where it is made, the catalog words each
// English form once, and a test (TestUserFacingErrorsAreTranslated) fails
// for a new message it does not word.
var messagePatterns = func() []messagePattern {
	var out []messagePattern
	ph := regexp.MustCompile(`\{[a-z]+\}`)
	for key, text := range i18n.Texts(i18n.En, func(k string) bool { return strings.HasPrefix(k, "errmsg.") }) {
		var b strings.Builder
		var names []string
		last := 0
		for _, loc := range ph.FindAllStringIndex(text, -1) {
			b.WriteString(regexp.QuoteMeta(text[last:loc[0]]))
			b.WriteString("(.+?)")
			names = append(names, text[loc[0]+1:loc[1]-1])
			last = loc[1]
		}
		b.WriteString(regexp.QuoteMeta(text[last:]))
		out = append(out, messagePattern{key: key, re: regexp.MustCompile("^(?s:" + b.String() + ")$"), names: names})
	}
	// The most literal text first, so "a: {x}" is tried before "{a}: {b}".
	sort.Slice(out, func(i, j int) bool {
		li, lj := len(out[i].re.String())-4*len(out[i].names), len(out[j].re.String())-4*len(out[j].names)
		if li != lj {
			return li > lj
		}
		return out[i].key < out[j].key
	})
	return out
}()

// sayMessage words an English error message in lang: the catalog entry
// whose English form it matches, each filled-in part worded in turn (a
// calendar's "hours of mon: {reason}" carries another message); a message
// the catalog lacks keeps its English after a worded prefix "field: ".
func sayMessage(lang, msg string) string {
	return sayDepth(lang, msg, 0)
}

func sayDepth(lang, msg string, depth int) string {
	if lang == i18n.En || depth > 4 || msg == "" {
		return msg
	}
	for _, p := range messagePatterns {
		m := p.re.FindStringSubmatch(msg)
		if m == nil {
			continue
		}
		pairs := make([]string, 0, 2*len(p.names))
		for i, name := range p.names {
			pairs = append(pairs, name, sayDepth(lang, m[i+1], depth+1))
		}
		return i18n.T(lang, p.key, pairs...)
	}
	if head, rest, ok := strings.Cut(msg, ": "); ok && !strings.ContainsAny(head, " ") {
		return head + ": " + sayDepth(lang, rest, depth+1)
	}
	return msg
}
