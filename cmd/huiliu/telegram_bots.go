package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"huiliu/channels/telegram"
	"huiliu/desk"
	"huiliu/store"
)

// telegramRefresh is how often a node re-reads the admin's Telegram bots,
// so a bot saved on another node starts within this time (on the saving
// node at once).
const telegramRefresh = 15 * time.Second

// webhookInfoTimeout bounds the getWebhookInfo calls of one admin page
// view; a bot Telegram does not answer for shows why instead.
const webhookInfoTimeout = 5 * time.Second

// telegramDirectory is the admin page's view of the Telegram bots: the
// configuration file's (read-only) and the admin's, kept in SQL, with
// their live standing. Tokens never leave it.
type telegramDirectory struct {
	configured []TelegramBot
	db         *store.DB
	log        *slog.Logger
	// apiEndpoint and fileEndpoint are the Bot API patterns of admin bots
	// (empty: Telegram's; tests point them at a fake).
	apiEndpoint, fileEndpoint string
	publicURL                 string
	// changed is signalled after a save or removal (app.telegramChanged).
	changed chan<- struct{}
	// channel is the running Telegram channel, set by serve; nil in
	// commands that run none.
	channel *atomic.Pointer[telegram.Channel]
}

// stored reads the admin's bots as channel configurations.
func (d telegramDirectory) stored(ctx context.Context) ([]store.StoredTelegramBot, error) {
	return d.db.StoredTelegramBots(ctx)
}

func (d telegramDirectory) config(b store.StoredTelegramBot) telegram.Config {
	return telegram.Config{Name: b.Name, Token: b.Token, Mode: b.Mode, WebhookSecret: b.WebhookSecret,
		APIEndpoint: d.apiEndpoint, FileEndpoint: d.fileEndpoint}
}

// enabledStored are the admin's bots the channel runs beside the file's.
func (d telegramDirectory) enabledStored(ctx context.Context) ([]telegram.Config, error) {
	rows, err := d.stored(ctx)
	if err != nil {
		return nil, err
	}
	var out []telegram.Config
	for _, b := range rows {
		if !b.Disabled {
			out = append(out, d.config(b))
		}
	}
	return out, nil
}

func (d telegramDirectory) configuredBot(name string) bool {
	return slices.ContainsFunc(d.configured, func(b TelegramBot) bool { return b.Name == name })
}

func (d telegramDirectory) TelegramBots(ctx context.Context) ([]desk.TelegramBotInfo, error) {
	rows, err := d.stored(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]desk.TelegramBotInfo, 0, len(d.configured)+len(rows))
	for _, b := range d.configured {
		mode := b.Mode
		if mode == "" {
			mode = telegram.ModePolling
		}
		out = append(out, desk.TelegramBotInfo{Name: b.Name, Mode: mode, Source: desk.SourceConfig})
	}
	for _, b := range rows {
		out = append(out, desk.TelegramBotInfo{Name: b.Name, Username: b.Username, Mode: b.Mode, Source: desk.SourceAdmin, Disabled: b.Disabled})
	}
	if err := d.fillStatus(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// fillStatus adds each bot's standing: this node's view of it, when its
// poller last acknowledged an update (SQL, any node) and what Telegram
// says (getWebhookInfo, asked for all bots at once).
func (d telegramDirectory) fillStatus(ctx context.Context, bots []desk.TelegramBotInfo) error {
	tg := d.channel.Load()
	if tg == nil {
		return nil
	}
	byName := map[string]telegram.BotStatus{}
	for _, st := range tg.Status() {
		byName[st.Name] = st
	}
	wctx, cancel := context.WithTimeout(ctx, webhookInfoTimeout)
	defer cancel()
	var wg sync.WaitGroup
	for i := range bots {
		b := &bots[i]
		st, running := byName[b.Name]
		if !running {
			continue
		}
		s := &b.Status
		s.Running, s.PollingHere, s.LastError = true, st.Polling, st.LastError
		s.LastErrorAt, s.LastUpdateAt = timePtr(st.LastErrorAt), timePtr(st.LastUpdate)
		if st.Problem != nil {
			s.Problem = st.Problem.Error()
		}
		if b.Mode == telegram.ModePolling {
			at, err := d.db.OffsetUpdatedAt(ctx, "telegram:"+b.Name)
			if err != nil {
				return err
			}
			s.LastUpdateAt = timePtr(at)
		}
		wg.Go(func() {
			info, err := tg.WebhookInfo(wctx, b.Name)
			if err != nil {
				s.WebhookInfoError = err.Error()
				return
			}
			s.Webhook = &desk.TelegramWebhook{URL: info.URL, Pending: info.PendingUpdateCount,
				LastErrorAt: timePtr(info.LastErrorAt), LastErrorMessage: info.LastErrorMessage}
		})
	}
	wg.Wait()
	return nil
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// SaveTelegramBot checks an admin's bot as a [[telegram]] table is
// checked, asks Telegram whose token it is (getMe) and keeps it in SQL. An
// empty token or webhook secret keeps the stored one.
func (d telegramDirectory) SaveTelegramBot(ctx context.Context, in desk.TelegramBotInput) (desk.TelegramBotInfo, error) {
	if d.configuredBot(in.Name) {
		return desk.TelegramBotInfo{}, desk.Errorf(desk.CodeConflict, "Telegram bot %q is set in the configuration file; change it there", in.Name).
			Say("admintg.err_configured", "name", in.Name)
	}
	tg := d.channel.Load()
	if tg == nil {
		return desk.TelegramBotInfo{}, desk.Errorf(desk.CodeUnavailable, "this node runs no Telegram channel")
	}
	rows, err := d.stored(ctx)
	if err != nil {
		return desk.TelegramBotInfo{}, err
	}
	row := store.StoredTelegramBot{Name: in.Name, Token: in.Token, Mode: in.Mode, WebhookSecret: in.WebhookSecret, Disabled: in.Disabled, UpdatedAt: time.Now()}
	if row.Mode == "" {
		row.Mode = telegram.ModePolling
	}
	var others []string // the other bots' tokens: one token is one bot
	for _, b := range rows {
		if b.Name != in.Name {
			others = append(others, b.Token)
			continue
		}
		if row.Token == "" {
			row.Token = b.Token
		}
		if row.WebhookSecret == "" {
			row.WebhookSecret = b.WebhookSecret
		}
	}
	if row.Token == "" {
		return desk.TelegramBotInfo{}, desk.Errorf(desk.CodeInvalid, "a new Telegram bot needs its token from @BotFather").Say("admintg.err_token_required")
	}
	if row.Mode == telegram.ModeWebhook && d.publicURL == "" {
		return desk.TelegramBotInfo{}, desk.Errorf(desk.CodeInvalid, "webhook mode needs the desk's public_url").Say("admintg.err_webhook_url")
	}
	cfg := d.config(row)
	if err := cfg.Validate(); err != nil {
		return desk.TelegramBotInfo{}, desk.Errorf(desk.CodeInvalid, "%v", err).Say("admintg.err_invalid", "reason", err.Error())
	}
	for _, b := range d.configured {
		if tok, err := secret(b.Token, b.TokenFile); err == nil {
			others = append(others, tok)
		}
	}
	if slices.Contains(others, row.Token) {
		return desk.TelegramBotInfo{}, desk.Errorf(desk.CodeConflict, "another bot has this token").Say("admintg.err_same_token")
	}
	me, err := tg.Check(ctx, cfg)
	if err != nil {
		return desk.TelegramBotInfo{}, telegramRefusal(err)
	}
	row.Username = me.Username
	if err := d.db.PutStoredTelegramBot(ctx, row); err != nil {
		return desk.TelegramBotInfo{}, err
	}
	d.notify()
	return desk.TelegramBotInfo{Name: row.Name, Username: row.Username, Mode: row.Mode, Source: desk.SourceAdmin, Disabled: row.Disabled}, nil
}

// telegramRefusal words a Bot API failure for the admin: a refused token,
// another refusal in Telegram's words, or Telegram out of reach.
func telegramRefusal(err error) error {
	var ae *telegram.APIError
	switch {
	case errors.As(err, &ae) && (ae.Code == http.StatusUnauthorized || ae.Code == http.StatusNotFound):
		return desk.Wrap(desk.CodeInvalid, err, "Telegram refuses this token; copy it again from @BotFather").Say("admintg.err_token_refused")
	case errors.As(err, &ae):
		msg := fmt.Sprintf("Telegram refused: %d %s", ae.Code, ae.Description)
		return desk.Wrap(desk.CodeInvalid, err, msg).Say("admintg.err_refused", "reason", fmt.Sprintf("%d %s", ae.Code, ae.Description))
	}
	return desk.Wrap(desk.CodeUnavailable, err, "Telegram cannot be reached from the desk: "+err.Error()).Say("admintg.err_unreachable", "reason", err.Error())
}

func (d telegramDirectory) notify() {
	select {
	case d.changed <- struct{}{}:
	default: // a reload is pending already, or nobody follows (commands)
	}
}

func (d telegramDirectory) RemoveTelegramBot(ctx context.Context, name string) error {
	if d.configuredBot(name) {
		return desk.Errorf(desk.CodeConflict, "Telegram bot %q is set in the configuration file; change it there", name).
			Say("admintg.err_configured", "name", name)
	}
	if err := d.db.DeleteStoredTelegramBot(ctx, name); err != nil {
		if errors.Is(err, desk.ErrNotFound) {
			return desk.Errorf(desk.CodeNotFound, "Telegram bot not found").Say("admintg.err_not_found")
		}
		return err
	}
	d.notify()
	return nil
}

func (d telegramDirectory) TestTelegramBot(ctx context.Context, name string, chatID int64, text string) error {
	tg := d.channel.Load()
	running := false
	if tg != nil {
		for _, st := range tg.Status() {
			running = running || st.Name == name
		}
	}
	if !running {
		return desk.Errorf(desk.CodeNotFound, "Telegram bot %q is not running (disabled or unknown)", name).Say("admintg.err_not_running", "name", name)
	}
	if err := tg.SendTest(ctx, name, chatID, text); err != nil {
		return telegramRefusal(err)
	}
	return nil
}

// activeTelegramBots are the configuration file's bots followed by the
// admin's enabled ones.
func (a *app) activeTelegramBots(ctx context.Context) ([]telegram.Config, error) {
	var bots []telegram.Config
	for _, b := range a.cfg.Telegram {
		token, err := secret(b.Token, b.TokenFile)
		if err != nil {
			return nil, fmt.Errorf("telegram bot %q: token: %w", b.Name, err)
		}
		hook, err := secret(b.WebhookSecret, b.WebhookSecretFile)
		if err != nil {
			return nil, fmt.Errorf("telegram bot %q: webhook secret: %w", b.Name, err)
		}
		link, err := secret(b.LinkSecret, b.LinkSecretFile)
		if err != nil {
			return nil, fmt.Errorf("telegram bot %q: link secret: %w", b.Name, err)
		}
		bots = append(bots, telegram.Config{
			Name: b.Name, Token: token, Mode: b.Mode, WebhookSecret: hook,
			AllowGroups: b.AllowGroups, APIEndpoint: b.APIEndpoint, FileEndpoint: b.FileEndpoint, LinkSecret: link,
		})
	}
	stored, err := a.telegramBots.enabledStored(ctx)
	if err != nil {
		return nil, fmt.Errorf("stored telegram bots: %w", err)
	}
	return append(bots, stored...), nil
}

// followTelegramBots gives the channel the bots in force whenever this
// node saved one and every interval (another node's change).
func (a *app) followTelegramBots(ctx context.Context, tg *telegram.Channel, every time.Duration) error {
	return follow(ctx, a.log, "telegram: bots", every, a.telegramChanged, a.activeTelegramBots, tg.Replace)
}
