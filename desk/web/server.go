// Package web is the HTTP face of the desk: the REST API under /api/v1, the
// agents' event stream, health and metrics. Handlers stay thin: they decode,
// call desk.Service and encode, so a move to echo v5 stays mechanical.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/queue"
)

// DefaultBodyLimit bounds request bodies unless configured otherwise.
const DefaultBodyLimit = 1 << 20

// Subscriber gives live events; queue.Bus implements it.
type Subscriber interface {
	Subscribe(ctx context.Context, stream string, after int64) (<-chan queue.Entry, error)
}

// Check is one readiness probe (database, Redis).
type Check struct {
	Name string
	Ping func(ctx context.Context) error
}

// Options configures the HTTP server.
type Options struct {
	Service   *desk.Service
	Events    Subscriber
	Ready     []Check
	Logger    *slog.Logger
	BodyLimit int64
	// SecureCookies forces the Secure flag (behind a TLS-terminating proxy).
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For; only behind
	// a proxy that sets it, otherwise clients could dodge rate limits.
	TrustProxy bool
	Version    string
	// Heartbeat is how often an idle event stream gets a keep-alive.
	Heartbeat time.Duration
}

// Server holds the handlers.
type Server struct {
	svc  *desk.Service
	opts Options
	log  *slog.Logger
	echo *echo.Echo
	// closing ends live event streams when the server shuts down.
	closing   chan struct{}
	closeOnce sync.Once
}

// New builds the HTTP handler with every route.
func New(o Options) *Server {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.BodyLimit <= 0 {
		o.BodyLimit = DefaultBodyLimit
	}
	if o.Heartbeat <= 0 {
		o.Heartbeat = 25 * time.Second
	}
	s := &Server{svc: o.Service, opts: o, log: o.Logger, closing: make(chan struct{})}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = errorHandler(o.Logger)
	if o.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	} else {
		e.IPExtractor = echo.ExtractIPDirect()
	}
	e.Use(s.recoverPanics, securityHeaders, s.limitBody, metricsMiddleware)
	s.echo = e
	s.routes()
	return s
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// CloseStreams ends every live event stream (clients reconnect elsewhere
// and resume), for http.Server.RegisterOnShutdown.
func (s *Server) CloseStreams() { s.closeOnce.Do(func() { close(s.closing) }) }

// Routes lists method and path of every registered route (for the OpenAPI
// completeness test and docs).
func (s *Server) Routes() []*echo.Route { return s.echo.Routes() }

func (s *Server) routes() {
	e := s.echo
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/metrics", metricsHandler())

	api := e.Group("/api/v1")
	api.GET("/openapi.json", serveOpenAPI)
	api.POST("/sessions", s.login)

	authed := api.Group("", s.authenticate, s.csrf)
	authed.DELETE("/sessions/current", s.logout)
	authed.GET("/me", s.me)
	authed.GET("/tickets", s.listTickets)
	authed.GET("/tickets/:id", s.getTicket)
	authed.GET("/tickets/:id/messages", s.listMessages)
	authed.POST("/tickets/:id/messages", s.postMessage)
	authed.GET("/contacts", s.searchContacts)
	authed.GET("/contacts/:id", s.getContact)
	authed.GET("/teams", s.listTeams)
	authed.GET("/events", s.events)
	authed.POST("/inbound", s.inbound)

	admin := authed.Group("", requireRole(desk.RoleAdmin))
	admin.GET("/agents", s.listAgents)
	admin.POST("/agents", s.createAgent)
	admin.PATCH("/agents/:id", s.changeAgent)
	admin.POST("/teams", s.createTeam)
	admin.POST("/tokens", s.createToken)
	admin.GET("/audit", s.auditLog)
}
