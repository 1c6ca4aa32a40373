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
	"github.com/prometheus/client_golang/prometheus"

	"huiliu/desk"
	"huiliu/desk/botadmin"
	"huiliu/kb"
	"huiliu/queue"
)

// DefaultBodyLimit bounds request bodies unless configured otherwise.
const DefaultBodyLimit = 1 << 20

// Subscriber gives live events; queue.Bus implements it.
type Subscriber interface {
	Subscribe(ctx context.Context, stream string, from queue.Position) (<-chan queue.Entry, error)
	Last(ctx context.Context, stream string) (queue.Position, error)
}

// Check is one readiness probe (database, Redis).
type Check struct {
	Name string
	Ping func(ctx context.Context) error
	// Optional marks a dependency the node still serves without (Redis, a
	// Telegram bot): failing, it makes /readyz "degraded", not 503.
	Optional bool
}

// Mount is a handler from outside the desk's API, such as a channel's
// webhook, served on the same listener with the same hygiene (panics
// recovered, body limit, security headers).
type Mount struct {
	Method, Path string
	Handler      http.Handler
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
	Mounts    []Mount
	// MetricsToken, when set, serves /metrics to "Authorization: Bearer
	// <token>"; without it the main address has no /metrics (a separate
	// listener may serve Metrics instead).
	MetricsToken string
	// Metrics is what /metrics shows; nil: the default registry.
	Metrics prometheus.Gatherer
	// Channels are the channels this desk runs (webchat, api, and those
	// configured); the routing and SLA forms offer only these. Nil: all.
	Channels []string
	// KB is the knowledge base behind the ticket page's suggestions and
	// the article pages; nil: those answer unavailable.
	KB *kb.Service
	// PublicURL is the desk's address as customers reach it (help-centre
	// links agents insert into replies); empty: the request's own host.
	PublicURL string
	// OTP sends and checks one-time codes for the verification panel;
	// nil answers its routes 503.
	OTP *desk.OTP
	// CSAT runs satisfaction surveys (desk/web/csat.go); nil answers
	// their routes 503.
	CSAT *desk.CSAT
	// Bot is the bot's administration (settings, flows, try console,
	// analytics, the ticket's bot panel); nil answers its routes 503.
	Bot *botadmin.Service
	// Recordings relays call recordings to agents through signed links
	// made with RecordingKey (page_call.go); nil: recordings do not play.
	Recordings   RecordingFetcher
	RecordingKey []byte
	// CallImports imports call-detail records uploaded by admins
	// (page_phone_import.go); nil: no phone line, no upload page.
	CallImports CallImporter
	// KPI answers the reports and the dashboard; nil answers them 503.
	KPI *desk.KPI
}

// Server holds the handlers.
type Server struct {
	svc  *desk.Service
	opts Options
	log  *slog.Logger
	echo *echo.Echo
	// closing ends live event streams when the server shuts down.
	closing chan struct{}
	// live decodes each desk stream entry once for all agents of the node.
	live      liveCache
	closeOnce sync.Once
	// uploads bounds the replies with files in progress.
	uploads uploadGate
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
	if o.Metrics == nil {
		o.Metrics = prometheus.DefaultGatherer
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
	e.Use(metricsMiddleware, s.recoverPanics, securityHeaders, s.limitBody)
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
	for _, path := range []string{"/healthz", "/readyz"} {
		h := s.healthz
		if path == "/readyz" {
			h = s.readyz
		}
		e.GET(path, h)
		e.HEAD(path, h) // load balancers often probe with HEAD
	}
	if s.opts.MetricsToken != "" {
		e.GET("/metrics", metricsHandler(s.opts.MetricsToken, s.opts.Metrics))
	}
	for _, m := range s.opts.Mounts {
		e.Add(m.Method, m.Path, echo.WrapHandler(s.identifying(m.Handler)))
	}

	// Middleware is attached per route, not per group: echo gives a group
	// with middleware catch-all routes, which would answer unknown paths
	// with 401/403 instead of 404.
	const v1 = "/api/v1"
	e.GET(v1+"/openapi.json", serveOpenAPI)
	e.POST(v1+"/sessions", s.login)
	e.GET(v1+"/public/agent-check", s.agentCheck)

	authed := []echo.MiddlewareFunc{s.authenticate, s.csrf}
	admin := append(authed[:len(authed):len(authed)], requireRole(desk.RoleAdmin))
	e.DELETE(v1+"/sessions/current", s.logout, authed...)
	e.GET(v1+"/me", s.me, authed...)
	e.PATCH(v1+"/me", s.changeMe, authed...)
	e.GET(v1+"/tickets", s.listTickets, authed...)
	e.GET(v1+"/tickets/counts", s.ticketCounts, authed...)
	e.GET(v1+"/tickets/:id", s.getTicket, authed...)
	e.PATCH(v1+"/tickets/:id", s.changeTicket, authed...)
	e.POST(v1+"/tickets/:id/outcome-confirmation", s.confirmOutcome, authed...)
	e.GET(v1+"/tickets/:id/messages", s.listMessages, authed...)
	e.POST(v1+"/tickets/:id/messages", s.postMessage, authed...)
	e.GET(v1+"/attachments/:id", s.getAttachment, authed...)
	s.contactRoutes(v1, authed)
	e.GET(v1+"/teams", s.listTeams, authed...)
	e.GET(v1+"/canned-replies", s.listCanned, authed...)
	e.POST(v1+"/canned-replies", s.createCanned, authed...)
	e.DELETE(v1+"/canned-replies/:id", s.deleteCanned, authed...)
	e.PUT(v1+"/canned-replies/:id", s.updateCanned, authed...)
	e.GET(v1+"/events", s.events, authed...)
	e.POST(v1+"/inbound", s.inbound, authed...)

	e.GET(v1+"/agents", s.listAgents, admin...)
	e.POST(v1+"/agents", s.createAgent, admin...)
	e.PATCH(v1+"/agents/:id", s.changeAgent, admin...)
	e.POST(v1+"/teams", s.createTeam, admin...)
	e.POST(v1+"/tokens", s.createToken, admin...)
	e.GET(v1+"/audit", s.auditLog, admin...)
	e.GET(v1+"/audit/export", s.auditExport, admin...)
	e.GET(v1+"/tokens", s.listTokens, admin...)
	e.DELETE(v1+"/tokens/:id", s.revokeToken, admin...)
	e.GET(v1+"/sites", s.listSites, admin...)
	e.POST(v1+"/sites", s.createSite, admin...)
	e.PATCH(v1+"/sites/:id", s.changeSite, admin...)
	e.POST(v1+"/sites/:id/secret", s.revealSiteSecret, admin...)
	s.slaRoutes(v1, authed, admin)
	s.piiRoutes(v1, authed)
	s.officialRoutes(v1, admin)
	s.verificationRoutes(v1, authed)

	s.routingRoutes(e, v1, authed, admin)
	s.factsRoutes(e, v1, authed, admin)
	s.emailAPIRoutes(v1, authed, admin)
	s.telegramRoutes(v1, []echo.MiddlewareFunc{s.pageErrors, s.pageAuth}, admin)
	s.kbRoutes(v1, authed)
	s.complaintRoutes(v1, authed)
	s.csatRoutes(v1, authed, admin)
	s.qaRoutes(v1, authed)
	s.botRoutes(v1, authed)
	s.phoneRoutes(v1, authed)
	s.reportRoutes(v1, authed)
	s.pageRoutes()
}
