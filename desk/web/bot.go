package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/desk/botadmin"
)

// botRoutes registers the bot's administration API: settings, flows and
// the try console for admins, analytics for supervisors, the ticket's bot
// panel for agents who may see the ticket. botadmin checks every role
// again. Without a bot service every route answers unavailable.
func (s *Server) botRoutes(v1 string, authed []echo.MiddlewareFunc) {
	e := s.echo
	sup := append(authed[:len(authed):len(authed)], requireRole(desk.RoleSupervisor))
	admin := append(authed[:len(authed):len(authed)], requireRole(desk.RoleAdmin))
	e.GET(v1+"/bot/settings", s.botListSettings, admin...)
	e.PUT(v1+"/bot/settings", s.botSaveSettings, admin...)
	e.GET(v1+"/bot/flows", s.botFlows, admin...)
	e.PUT(v1+"/bot/flows", s.botSaveFlows, admin...)
	e.GET(v1+"/bot/flows/versions", s.botFlowVersions, admin...)
	e.POST(v1+"/bot/flows/restore", s.botRestoreFlows, admin...)
	e.POST(v1+"/bot/try", s.botTry, admin...)
	e.GET(v1+"/bot/analytics", s.botAnalytics, sup...)
	e.GET(v1+"/tickets/:id/bot", s.botTicketPanel, authed...)
	e.POST(v1+"/tickets/:id/bot/suggestion", s.botSuggestReply, authed...)
	s.botPageRoutes()
}

// botAdmin is the bot's administration or the error its routes answer
// when this node has none.
func (s *Server) botAdmin() (*botadmin.Service, error) {
	if s.opts.Bot == nil {
		return nil, desk.Errorf(desk.CodeUnavailable, "the bot is not available on this node")
	}
	return s.opts.Bot, nil
}

type botSettingsList struct {
	Settings []botadmin.Settings `json:"settings"`
}

func (s *Server) botListSettings(c echo.Context) error {
	b, err := s.botAdmin()
	if err != nil {
		return err
	}
	list, err := b.ListSettings(c.Request().Context(), current(c).Agent)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, botSettingsList{Settings: list})
}

// botSettingsRequest is one place's settings as an admin sends them.
type botSettingsRequest struct {
	Channel  string            `json:"channel"`
	SiteKey  string            `json:"site_key"`
	Enabled  bool              `json:"enabled"`
	Mode     string            `json:"mode"`
	Name     string            `json:"name"`
	Greeting map[string]string `json:"greeting"`
	// SkipOpenGreeting: no greeting when a conversation opens (default:
	// the bot greets).
	SkipOpenGreeting bool              `json:"skip_open_greeting"`
	CalendarID       string            `json:"calendar_id"`
	Hours            map[string]string `json:"hours"`
	Timezone         string            `json:"timezone"`
}

func (s *Server) botSaveSettings(c echo.Context) error {
	b, err := s.botAdmin()
	if err != nil {
		return err
	}
	var req botSettingsRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	in := botadmin.Settings{Channel: req.Channel, SiteKey: req.SiteKey, CalendarID: req.CalendarID, Hours: req.Hours, Timezone: req.Timezone}
	in.Enabled, in.Mode, in.Name, in.Greeting = req.Enabled, req.Mode, req.Name, req.Greeting
	in.SkipOpenGreeting = req.SkipOpenGreeting
	out, err := b.SaveSettings(c.Request().Context(), current(c).Agent, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// botFlows answers the document in force, or ?version=N (0: the
// built-in one).
func (s *Server) botFlows(c echo.Context) error {
	b, err := s.botAdmin()
	if err != nil {
		return err
	}
	ctx, a := c.Request().Context(), current(c).Agent
	var fv botadmin.FlowVersion
	if v := c.QueryParam("version"); v != "" {
		n, perr := strconv.ParseInt(v, 10, 64)
		if perr != nil || n < 0 {
			return desk.Errorf(desk.CodeInvalid, "version must be a whole number from 0")
		}
		fv, err = b.FlowVersion(ctx, a, n)
	} else {
		fv, err = b.CurrentFlows(ctx, a)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, fv)
}

type botFlowVersionList struct {
	Versions []botadmin.FlowVersion `json:"versions"`
}

func (s *Server) botFlowVersions(c echo.Context) error {
	b, err := s.botAdmin()
	if err != nil {
		return err
	}
	list, err := b.FlowVersions(c.Request().Context(), current(c).Agent)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, botFlowVersionList{Versions: list})
}

// botFlowsRequest saves a new version over base_version, the version the
// admin edited.
type botFlowsRequest struct {
	Source      string `json:"source"`
	BaseVersion int64  `json:"base_version"`
	Note        string `json:"note"`
}

func (s *Server) botSaveFlows(c echo.Context) error {
	b, err := s.botAdmin()
	if err != nil {
		return err
	}
	var req botFlowsRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	fv, err := b.SaveFlows(c.Request().Context(), current(c).Agent, req.Source, req.BaseVersion, req.Note)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, fv)
}

type botRestoreRequest struct {
	Version     int64 `json:"version"`
	BaseVersion int64 `json:"base_version"`
}

func (s *Server) botRestoreFlows(c echo.Context) error {
	b, err := s.botAdmin()
	if err != nil {
		return err
	}
	var req botRestoreRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	fv, err := b.RestoreFlows(c.Request().Context(), current(c).Agent, req.Version, req.BaseVersion)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, fv)
}

// botTryRequest is one console turn: key names the test conversation, so
// consecutive turns with the same key continue it.
type botTryRequest struct {
	Key  string `json:"key"`
	Text string `json:"text"`
	Lang string `json:"lang"`
}

func (s *Server) botTry(c echo.Context) error {
	b, err := s.botAdmin()
	if err != nil {
		return err
	}
	var req botTryRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	turn, err := b.Try(c.Request().Context(), current(c).Agent, req.Key, req.Text, req.Lang)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, turn)
}

func (s *Server) botAnalytics(c echo.Context) error {
	r, _, err := s.botReport(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// botDefaultDays is the analytics period when none is asked for.
const botDefaultDays = 7

// botPeriod reads ?from=YYYY-MM-DD&to=YYYY-MM-DD (both days included, in
// the server's zone; default the last 7 days) and ?channel=.
// botReport reads the bot's analytics for the request's period and
// channel (the API, the page and the CSV export alike).
func (s *Server) botReport(c echo.Context) (botadmin.Report, botadmin.Period, error) {
	b, err := s.botAdmin()
	if err != nil {
		return botadmin.Report{}, botadmin.Period{}, err
	}
	p, err := botPeriod(c, s.svc.Now())
	if err != nil {
		return botadmin.Report{}, botadmin.Period{}, err
	}
	r, err := b.Analytics(c.Request().Context(), current(c).Agent, p)
	return r, p, err
}

func botPeriod(c echo.Context, now time.Time) (botadmin.Period, error) {
	zone := time.Local
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, zone)
	p := botadmin.Period{From: today.AddDate(0, 0, 1-botDefaultDays), To: today.AddDate(0, 0, 1), Channel: c.QueryParam("channel"), Zone: zone}
	for _, f := range []struct {
		name string
		at   *time.Time
		add  int
	}{{"from", &p.From, 0}, {"to", &p.To, 1}} {
		v := c.QueryParam(f.name)
		if v == "" {
			continue
		}
		d, err := time.ParseInLocation(time.DateOnly, v, zone)
		if err != nil {
			return p, desk.Errorf(desk.CodeInvalid, "%s must be a date such as 2026-03-01", f.name)
		}
		*f.at = d.AddDate(0, 0, f.add)
	}
	return p, nil
}

func (s *Server) botTicketPanel(c echo.Context) error {
	b, err := s.botAdmin()
	if err != nil {
		return err
	}
	p, err := b.TicketPanel(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, p)
}

// botSuggestReply answers the bot's suggested reply to the customer's
// latest mail. POST: the first suggestion of a message is recorded as a
// decision.
func (s *Server) botSuggestReply(c echo.Context) error {
	b, err := s.botAdmin()
	if err != nil {
		return err
	}
	sg, err := b.SuggestReply(c.Request().Context(), current(c).Agent, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, sg)
}

// botPanel is the ticket page's bot panel: nil when this node has no bot
// service or the bot recorded nothing on the ticket.
func (s *Server) botPanel(ctx context.Context, a desk.Agent, ticketID string) (*botadmin.Panel, error) {
	if s.opts.Bot == nil {
		return nil, nil
	}
	p, err := s.opts.Bot.TicketPanel(ctx, a, ticketID)
	if err != nil || len(p.Decisions) == 0 {
		return nil, err
	}
	return &p, nil
}
