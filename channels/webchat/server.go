package webchat

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"

	"huiliu/channels"
)

// ChannelName is the adapter's name in envelopes and outbox rows.
const ChannelName = "webchat"

// Feed retry timing; tests shorten them.
const (
	defaultFeedRetryBase = 500 * time.Millisecond
	feedRetryMax         = 30 * time.Second
	defaultPullRetry     = 2 * time.Second
)

// readBufferSize is gorilla's read buffer per connection, which every idle
// connection holds.
const readBufferSize = 256

// Server is the customer websocket of one node, with its widget.
type Server struct {
	o   Options
	log *slog.Logger
	now func() time.Time
	hub *hub

	sitesMu sync.Mutex
	sites   map[string]*Site // by key: the version connections share (sharedSite)

	upgrader  websocket.Upgrader
	pullSlots chan struct{} // bounds History calls so a feed loss does not storm SQL
	// ingestSlots bounds Sink.Ingest calls in flight (tryIngest).
	ingestSlots chan struct{}
	// uploadSlots bounds customer files held in memory (upload.go).
	uploadSlots chan struct{}

	feedRetryBase time.Duration
	pullRetry     time.Duration
	ownWait       time.Duration // see ownNoticeWait
}

// New builds the server. Sites, Sink and History are required; a nil
// Feed leaves connections to pull only when they connect, write, or the
// adapter pokes them.
func New(o Options) *Server {
	if o.Sites == nil || o.Sink == nil || o.History == nil {
		panic("webchat: Options.Sites, Sink and History are required")
	}
	o = o.withDefaults()
	s := &Server{
		o:             o,
		log:           o.Logger,
		now:           o.Now,
		hub:           newHub(),
		pullSlots:     make(chan struct{}, o.PullConcurrency),
		ingestSlots:   make(chan struct{}, o.MaxIngests),
		uploadSlots:   make(chan struct{}, uploadSlots),
		feedRetryBase: defaultFeedRetryBase,
		pullRetry:     defaultPullRetry,
		ownWait:       ownNoticeWait,
	}
	s.upgrader = websocket.Upgrader{
		// Frames are read through it in pieces, so it only has to hold a
		// frame header or a control frame's payload (at most 125 bytes).
		ReadBufferSize:  readBufferSize,
		WriteBufferSize: 1024,
		// Idle connections hold no write buffer: a writer borrows one per frame.
		WriteBufferPool:  &sync.Pool{},
		HandshakeTimeout: 10 * time.Second,
		// The origin is checked against the site before Upgrade is called.
		CheckOrigin: func(*http.Request) bool { return true },
	}
	return s
}

// Handler serves GET /widget.js, GET /webchat/ws (the customer websocket),
// GET /webchat/config?site=KEY, GET /webchat/try?site=KEY (a preview page
// with the widget on the desk's own origin), GET /webchat/file (signed
// links to the conversation's files) and POST /webchat/upload (a
// customer's file).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /widget.js", s.serveWidget)
	mux.HandleFunc("GET /webchat/ws", s.serveWS)
	mux.HandleFunc("GET /webchat/config", s.serveConfig)
	mux.HandleFunc("GET /webchat/try", s.serveTry)
	mux.HandleFunc("GET /webchat/file", s.serveFile)
	mux.HandleFunc("POST /webchat/upload", s.serveUpload)
	mux.HandleFunc("OPTIONS /webchat/upload", s.serveUploadPreflight)
	mux.HandleFunc("POST /webchat/agent-check", s.serveAgentCheck)
	return mux
}

// Close drops every customer connection with close code 1012; widgets
// reconnect and resume. It does not stop the Handler from accepting new
// connections, so on shutdown call it after http.Server.Shutdown (which
// does not track hijacked websockets).
func (s *Server) Close() {
	for _, c := range s.hub.snapshot() {
		c.drop(CloseRestart, "server restart")
	}
}

// Adapter is the outbound adapter for channel "webchat".
func (s *Server) Adapter() channels.Adapter { return adapter{s} }

// adapter delivers nothing itself: an agent's reply is in SQL before the
// outbox hands it over, and the widget reads it through History. Send only
// pokes this node's connections of the ticket so they pull at once;
// connections on other nodes learn of it through the Feed.
type adapter struct{ s *Server }

func (adapter) Name() string { return ChannelName }

func (a adapter) Send(_ context.Context, out channels.Outbound) (string, error) {
	for _, c := range a.s.hub.ticket(out.TicketID) {
		c.requestPull()
	}
	return "", nil
}

// allow counts one attempt under key. A failing shared limiter falls
// back to this node's counts rather than refusing customers.
func (s *Server) allow(ctx context.Context, key string, limit int, window time.Duration) (bool, time.Duration) {
	if s.o.Limiter != nil {
		ok, retry, err := s.o.Limiter.Allow(ctx, key, limit, window)
		if err == nil {
			return ok, retry
		}
		s.log.Warn("webchat: rate limiter failed; counting on this node", "err", err)
	}
	if s.o.LocalLimiter == nil {
		return true, 0
	}
	ok, retry, err := s.o.LocalLimiter.Allow(ctx, key, limit, window)
	if err != nil {
		return true, 0 // a limiter that cannot count must not cost a message
	}
	return ok, retry
}
