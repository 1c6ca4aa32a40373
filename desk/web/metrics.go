package web

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

var (
	httpRequests = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "huiliu_http_requests_total",
		Help: "HTTP requests by route and status.",
	}, []string{"method", "route", "status"})
	httpDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "huiliu_http_request_seconds",
		Help:    "HTTP request latency by route.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"method", "route"})
	// Long-lived requests are the live connections: /desk/ws (agent
	// sockets), /api/v1/events (stream readers), /webchat/ws (widget
	// visitors).
	httpInFlight = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Name: "huiliu_http_in_flight",
		Help: "Requests being served by route; for /desk/ws, /api/v1/events and /webchat/ws the open connections.",
	}, []string{"route"})
	loginFailures = promauto.NewCounter(prometheus.CounterOpts{
		Name: "huiliu_login_failures_total",
		Help: "Sign-ins refused for a wrong email or password (API and form).",
	})
)

// loginRoutes are where agents sign in; a 401 there is a failed login.
var loginRoutes = map[string]bool{"POST /api/v1/sessions": true, "POST /login": true}

// metricsMiddleware labels by route pattern, never by raw path, so ids in
// URLs cannot blow up the number of series. It runs outermost and renders
// a handler's error itself (c.Error), so the status it counts is the one
// the client got — a desk error's 404 or 409, not the 200 the response
// held before the error handler ran.
func metricsMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		inFlight := httpInFlight.WithLabelValues(route)
		inFlight.Inc()
		defer inFlight.Dec()
		if err := next(c); err != nil {
			c.Error(err)
		}
		status := c.Response().Status
		m := c.Request().Method
		if status == http.StatusUnauthorized && loginRoutes[m+" "+route] {
			loginFailures.Inc()
		}
		httpDuration.WithLabelValues(m, route).Observe(time.Since(start).Seconds())
		httpRequests.WithLabelValues(m, route, strconv.Itoa(status)).Inc()
		return nil
	}
}

// metricsHandler serves the metrics to holders of the token only: ticket
// counts, queue depths and error rates are not for the public address.
func metricsHandler(token string, g prometheus.Gatherer) echo.HandlerFunc {
	h := echo.WrapHandler(promhttp.HandlerFor(g, promhttp.HandlerOpts{}))
	want := []byte("Bearer " + token)
	return func(c echo.Context) error {
		got := []byte(c.Request().Header.Get(echo.HeaderAuthorization))
		if subtle.ConstantTimeCompare(got, want) != 1 {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
			return echo.NewHTTPError(http.StatusUnauthorized, "metrics need the metrics token")
		}
		return h(c)
	}
}
