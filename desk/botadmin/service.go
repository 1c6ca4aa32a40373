package botadmin

import (
	"log/slog"
	"sync"
	"time"

	"huiliu/desk"
)

// Options configures the Service.
type Options struct {
	Store Store
	// Desk answers who may see a ticket (the bot panel) and lists the
	// business calendars (off-hours mode).
	Desk *desk.Service
	// Engine runs the try console's turns; nil: the console answers
	// unavailable.
	Engine Tryer
	Logger *slog.Logger
	Now    func() time.Time
}

// Service is the bot's administration.
type Service struct {
	store  Store
	desk   *desk.Service
	engine Tryer
	log    *slog.Logger
	now    func() time.Time

	// flows caches the parsed document in force by version, so a turn
	// pays one small query (the latest version number), not a parse.
	mu    sync.Mutex
	flows *parsedFlows
}

// New builds the Service.
func New(o Options) *Service {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{store: o.Store, desk: o.Desk, engine: o.Engine, log: o.Logger, now: o.Now}
}

// requireAdmin refuses anyone but an admin; the routes filter too, but
// the rule lives here.
func requireAdmin(a desk.Agent, what string) error {
	if !a.Role.AtLeast(desk.RoleAdmin) {
		return desk.Errorf(desk.CodeForbidden, "only admins %s", what).Say("botdesk.err.admin_only")
	}
	return nil
}

// requireSupervisor refuses agents below supervisor.
func requireSupervisor(a desk.Agent, what string) error {
	if !a.Role.AtLeast(desk.RoleSupervisor) {
		return desk.Errorf(desk.CodeForbidden, "only supervisors and admins %s", what).Say("botdesk.err.supervisor_only")
	}
	return nil
}
