package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"slices"
	"time"

	"huiliu/bot"
	"huiliu/channels"
	"huiliu/channels/telegram"
	"huiliu/channels/webchat"
	"huiliu/cmd/huiliu/internal/services"
	"huiliu/desk"
	"huiliu/desk/web"
)

// HTTP server limits; slow or stalled clients cannot hold a connection.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 30 * time.Second
	writeTimeout      = 60 * time.Second // the event stream extends its own deadline
	idleTimeout       = 120 * time.Second
	maxHeaderBytes    = 64 << 10
)

func runServe(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	raiseOpenFilesOrWarn(stderr) // every customer websocket is a file descriptor
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cf := addConfigFlags(fs)
	printConfig := fs.Bool("print-config", false, "print the effective configuration (secrets masked) and exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, err := cf.load(fs)
	if err != nil {
		return usagef("%v", err)
	}
	if *printConfig {
		return cfg.print(stdout)
	}
	log := cfg.logger(stderr)
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.applyRoutingConfig(ctx); err != nil {
		return err
	}
	if err := a.applySLAConfig(ctx); err != nil {
		return err
	}
	adapters, err := a.adapters()
	if err != nil {
		return err
	}
	tg, err := a.telegramChannel(ctx)
	if err != nil {
		return err
	}
	adapters = append(adapters, tg)
	mounts := a.telegramMounts(tg)
	em, err := a.emailChannel(ctx)
	if err != nil {
		return err
	}
	adapters = append(adapters, em)
	a.mailCodes.smtp.Store(em) // email codes leave by SMTP from now on, once a mailbox exists
	if a.kb, err = a.openKB(ctx, true); err != nil {
		return err
	}
	defer a.kb.Close()
	engine, err := a.newBot()
	if err != nil {
		return err
	}
	adapters = append(adapters, bot.TryAdapter{})
	mounts = append(mounts, a.helpMounts()...)
	chat := a.newWebchat()
	adapters = append(adapters, chat.Adapter())
	for _, p := range webchatPaths {
		mounts = append(mounts, web.Mount{Method: http.MethodGet, Path: p, Handler: chat.Handler()})
	}
	for _, p := range []string{"/webchat/agent-check", "/webchat/upload"} {
		mounts = append(mounts, web.Mount{Method: http.MethodPost, Path: p, Handler: chat.Handler()})
	}
	// The widget follows an upload's progress, so browsers ask first.
	mounts = append(mounts, web.Mount{Method: http.MethodOptions, Path: "/webchat/upload", Handler: chat.Handler()})
	phoneMounts, err := a.phoneMounts()
	if err != nil {
		return err
	}
	mounts = append(mounts, phoneMounts...)
	recordings, recordingKey, err := a.phoneRecordings(ctx)
	if err != nil {
		return err
	}

	metrics := a.metricsGatherer(tg)
	handler := web.New(web.Options{
		Service:       a.svc,
		Events:        a.queue.Bus(),
		Ready:         append(a.readyChecks(tg), a.emailReadyCheck(em)),
		Channels:      channelNames(adapters),
		MetricsToken:  cfg.MetricsToken,
		Metrics:       metrics,
		Logger:        log,
		BodyLimit:     cfg.BodyLimit,
		SecureCookies: cfg.SecureCookies,
		TrustProxy:    cfg.TrustProxy,
		Version:       version,
		Mounts:        mounts,
		KB:            a.kb,
		PublicURL:     cfg.PublicURL,
		OTP:           a.otp,
		CSAT:          a.csat,
		Bot:           a.botAdmin,
		Recordings:    recordings,
		RecordingKey:  recordingKey,
		CallImports:   a.callImports(),
		KPI:           a.kpi,
	})
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
	}
	// Requests keep running through a graceful stop; only event streams are
	// told to end, so Shutdown does not wait for them.
	srv.RegisterOnShutdown(handler.CloseStreams)
	srv.RegisterOnShutdown(chat.Close)
	if cfg.PprofAddr != "" {
		go servePprof(cfg.PprofAddr, log)
	}
	if cfg.MetricsAddr != "" {
		go serveMetrics(cfg.MetricsAddr, metrics, log)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	store := "SQLite in " + cfg.Data
	if cfg.DatabaseURL != "" {
		store = "PostgreSQL"
	}
	queues := "in-process queues (single node)"
	if cfg.RedisURL != "" {
		queues = "Redis"
	}
	defer log.Info("huiliu stopped")
	log.Info("huiliu is serving", "addr", ln.Addr().String(), "store", store, "queues", queues, "version", version)
	if err := a.calendarCheck(ctx); err != nil {
		log.Warn("sla: calendars need next year's holidays", "err", err)
	}
	fmt.Fprintf(stdout, "huiliu %s listening on http://%s (%s, %s)\n", version, ln.Addr(), store, queues)
	fmt.Fprintf(stdout, "next: create an admin with 'huiliu agent add --email you@example.com --name You --role admin', then see http://%s/api/v1/openapi.json\n", ln.Addr())

	return services.Manager{Logger: log, ShutdownTimeout: cfg.ShutdownTimeout}.Run(ctx, append(append(a.nodeServices(adapters, tg, chat, srv, ln), a.emailServices(em)...), a.botServices(engine)...)...)
}

// nodeServices are the node's long-running parts in start order; they stop
// in reverse. The sender comes first so it stops last and finishes the sends
// in flight; the HTTP server comes last so it stops taking requests first.
// Only the sender and the HTTP server are essential: a failing bot or
// worker is logged and the node keeps serving.
func (a *app) nodeServices(adapters []channels.Adapter, tg *telegram.Channel, chat *webchat.Server, srv *http.Server, ln net.Listener) []services.Service {
	sender := a.svc.NewSender(a.db, adapters...)
	list := []services.Service{
		{Name: "sender", Essential: true, Run: func(ctx context.Context) error { sender.Run(ctx); return nil }},
		{Name: "prune", Run: func(ctx context.Context) error { pruneLoop(ctx, a, a.log); return nil }},
	}
	list = append(list, a.slaServices()...)
	list = append(list, a.routingServices()...)
	list = append(list, a.retentionServices()...)
	list = append(list, a.qaServices()...)
	list = append(list, a.reportServices()...)
	list = append(list, a.telegramServices(tg)...)
	list = append(list,
		services.Service{Name: "webchat", Run: func(ctx context.Context) error { return chat.Run(ctx, a.svc) }},
		services.Service{Name: "kb", Run: a.kb.Run},
		services.Service{Name: "http", Essential: true, Run: func(ctx context.Context) error { return serveHTTP(ctx, srv, ln, a.cfg.ShutdownTimeout) }},
	)
	return list
}

// serveHTTP serves until ctx ends, then stops gracefully within timeout.
func serveHTTP(ctx context.Context, srv *http.Server, ln net.Listener, timeout time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}

// servePprof exposes the profiler on its own listener, never on the public
// address, for performance work on a running desk.
func servePprof(addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: readHeaderTimeout}
	log.Info("profiler listening", "addr", addr)
	if err := srv.ListenAndServe(); err != nil {
		log.Error("profiler stopped", "err", err)
	}
}

// pruneInterval is how often expired sessions and old idempotency keys are
// deleted; every node does it, the deletes are idempotent.
const pruneInterval = time.Hour

func pruneLoop(ctx context.Context, a *app, log *slog.Logger) {
	t := time.NewTicker(pruneInterval)
	defer t.Stop()
	for {
		sessions, keys, err := a.db.Prune(ctx, time.Now(), desk.IdempotencyKeep)
		if err != nil && ctx.Err() == nil {
			log.Warn("prune", "err", err)
		} else if sessions+keys > 0 {
			log.Info("pruned", "sessions", sessions, "idempotency_keys", keys)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// channelNames are the channels this node runs: the website chat and the
// API's inbound always, and every configured outbound channel.
func channelNames(adapters []channels.Adapter) []string {
	names := []string{"webchat", "api"}
	for _, ad := range adapters {
		if !slices.Contains(names, ad.Name()) {
			names = append(names, ad.Name())
		}
	}
	return names
}
