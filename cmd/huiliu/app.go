package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"

	"huiliu/bot"
	"huiliu/channels"
	"huiliu/channels/api"
	"huiliu/channels/telegram"
	"huiliu/desk"
	"huiliu/desk/botadmin"
	"huiliu/kb"
	"huiliu/queue"
	"huiliu/queue/memory"
	"huiliu/queue/redisq"
	"huiliu/store"
)

// app is one process's wiring: the only place that knows every concrete type.
type app struct {
	cfg   Config
	log   *slog.Logger
	db    *store.DB
	queue queue.Backend
	// local is this node's in-process state (the queue itself when there
	// is no Redis): what counts on while Redis fails.
	local queue.Backend
	svc   *desk.Service
	// router and sla follow every commit of svc (its observers); serve
	// runs them.
	router *desk.Router
	sla    *desk.SLAWorker
	// kb is the knowledge base with its index in the data directory;
	// only serve opens it (a.openKB), so admin commands never wait on a
	// running node's index.
	kb *kb.Service
	// otp sends and checks one-time codes (verify.go); mailCodes is its
	// email path, which serve points at the email channel.
	otp       *desk.OTP
	mailCodes *mailCodes
	// mailboxesChanged is signalled when an admin saved a mailbox on this
	// node, so its email channel reloads at once (followMailboxes).
	mailboxesChanged chan struct{}
	// telegramBots is the admin's Telegram bots (telegram_bots.go);
	// telegramChanged is signalled when an admin changed one on this node.
	telegramBots    telegramDirectory
	telegramChanged chan struct{}
	// csat asks for satisfaction ratings (cmd/huiliu/csat.go).
	csat *desk.CSAT
	// botAdmin keeps the bot's settings and flows (botdesk.go); the engine
	// reads them through it. botEngine is the engine the try console
	// talks to, set where the engine is built (nil: none on this node).
	botAdmin  *botadmin.Service
	botEngine *bot.Engine
	// botHook is the bot's after-commit step; serve binds the engine
	// (cmd/huiliu/bot.go).
	botHook *botHook
	// kpi keeps the report roll-ups (an observer) and answers reports.
	kpi *desk.KPI
}

// openApp connects the store and the queue backend and builds the service.
func openApp(ctx context.Context, cfg Config, log *slog.Logger) (*app, error) {
	if cfg.DatabaseURL == "" {
		if err := checkDataDir(cfg.Data); err != nil {
			return nil, err
		}
	}
	db, err := store.Open(ctx, store.Config{URL: cfg.DatabaseURL, DataDir: cfg.Data, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	// Both count their rate-limit refusals for the metrics.
	local := queue.Backend(countedBackend{memory.New()})
	q := local
	if cfg.RedisURL != "" {
		r, err := redisq.New(ctx, cfg.RedisURL)
		if err != nil {
			local.Close()
			db.Close()
			return nil, fmt.Errorf("connect to redis: %w", err)
		}
		q = countedBackend{r}
	}
	// The after-commit steps, in order: routing first, so a new ticket is
	// offered while the SLA clock starts. New steps (the bot, surveys)
	// are appended here.
	router := desk.NewRouter(desk.RouterOptions{Presence: q.Presence(), Leases: q.Leases()})
	slaWorker := desk.NewSLAWorker(q.Timers("sla"))
	facts, err := cfg.factsSource(db)
	if err != nil {
		q.Close()
		if local != q {
			local.Close()
		}
		db.Close()
		return nil, err
	}
	csat, err := newCSAT(ctx, db, cfg.PublicURL, log)
	if err != nil {
		q.Close()
		if local != q {
			local.Close()
		}
		db.Close()
		return nil, err
	}
	mailboxesChanged := make(chan struct{}, 1)
	telegramChanged := make(chan struct{}, 1)
	tgBots := telegramDirectory{configured: cfg.Telegram, db: db, log: log, apiEndpoint: cfg.telegramEnv.APIEndpoint, fileEndpoint: cfg.telegramEnv.FileEndpoint,
		publicURL: cfg.PublicURL, changed: telegramChanged, channel: &atomic.Pointer[telegram.Channel]{}}
	hook := &botHook{}
	kpi := desk.NewKPI(db, reportZone(cfg))
	svc := desk.NewService(desk.Options{Store: db, Events: q.Bus(), Limiter: loginLimiter(q, local, log), Logger: log, Presence: q.Presence(),
		Observers:    []desk.Observer{router, slaWorker, desk.NewVerificationKeeper(cfg.Verification.VerifiedFor), desk.NewComplaintWatcher(), csat, hook, kpi},
		Purgers:      []desk.PersonalDataPurger{csat},
		Mailboxes:    mailboxDirectory{boxes: cfg.Mailboxes, db: db, log: log, changed: mailboxesChanged},
		TelegramBots: tgBots,
		Facts:        facts, FactPolicy: cfg.Verification.Policy, VerifiedFor: cfg.Verification.VerifiedFor,
		BotChannels: cfg.Bot.botChannels(), CallbackWithin: cfg.callbackWithin(), Dialer: cfg.dialer()})
	a := &app{cfg: cfg, log: log, db: db, queue: q, local: local, svc: svc, router: router, sla: slaWorker, mailboxesChanged: mailboxesChanged, telegramBots: tgBots, telegramChanged: telegramChanged, csat: csat, botHook: hook, kpi: kpi}
	a.botAdmin = a.newBotAdmin()
	if a.otp, err = a.newOTP(ctx); err != nil {
		a.Close()
		return nil, fmt.Errorf("one-time codes: %w", err)
	}
	return a, nil
}

// adapters are the outbound channels this configuration enables.
func (a *app) adapters() ([]channels.Adapter, error) {
	var out []channels.Adapter
	if a.cfg.APICallbackURL != "" {
		ad, err := api.New(api.Config{
			CallbackURL:  a.cfg.APICallbackURL,
			Secret:       a.cfg.APICallbackSecret,
			AllowPrivate: a.cfg.AllowPrivateCallbacks,
		})
		if err != nil {
			return nil, fmt.Errorf("api channel: %w", err)
		}
		out = append(out, ad)
	}
	return out, nil
}

func (a *app) Close() error {
	err := a.queue.Close()
	if a.local != a.queue {
		err = errors.Join(err, a.local.Close())
	}
	return errors.Join(err, a.db.Close())
}
