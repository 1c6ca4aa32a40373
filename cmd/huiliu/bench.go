package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log/slog"
	"os"
	"strings"

	"huiliu/cmd/huiliu/internal/bench"
)

func runBench(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "bot" {
		return runBenchBot(ctx, args[1:], stdout, stderr)
	}
	err := bench.Run(ctx, bench.Options{OpenDesk: openBenchDesk, RaiseOpenFiles: raiseOpenFiles}, args, stdout, stderr)
	var u bench.UsageError
	if errors.As(err, &u) {
		return usageError{string(u)}
	}
	return err
}

// openBenchDesk opens a desk in this process for a bench, on a fresh
// SQLite store in a temporary directory unless a database is configured.
func openBenchDesk(ctx context.Context, name string, args []string, stderr io.Writer, define func(*flag.FlagSet), check func() error, log *slog.Logger) (bench.LocalDesk, func(), error) {
	cfg, err := adminFlags(name, args, stderr, define)
	if err != nil {
		return bench.LocalDesk{}, nil, err
	}
	if err := check(); err != nil {
		return bench.LocalDesk{}, nil, err
	}
	cleanup := func() {}
	if cfg.DatabaseURL == "" {
		dir, err := os.MkdirTemp("", "huiliu-"+strings.ReplaceAll(name, " ", "-"))
		if err != nil {
			return bench.LocalDesk{}, nil, err
		}
		cleanup = func() { _ = os.RemoveAll(dir) }
		cfg.Data = dir
	}
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		cleanup()
		return bench.LocalDesk{}, nil, err
	}
	d := bench.LocalDesk{
		Service: a.svc, Store: a.db, Leases: a.queue.Leases(),
		Offsets: channelOffsets{db: a.db, prefix: "bench-telegram:"},
		Email:   a.emailDeps(),
		KB:      a.db,
		KPI:     a.kpi, History: a.db,
	}
	return d, func() { a.Close(); cleanup() }, nil
}
