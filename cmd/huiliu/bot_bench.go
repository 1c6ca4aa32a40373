package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"sync"
	"time"

	"huiliu/bot"
	"huiliu/desk"
	"huiliu/kb"
)

// runBenchBot is `huiliu bench bot`: bot turns through the production
// path (Engine.Try: ingest, understand, reply, decisions, state) on the
// demo help centre, on a fresh SQLite store unless a database is
// configured. It prints one line: "bot: p50 X ms, p99 Y ms, …".
func runBenchBot(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var turns, workers int
	cfg, err := adminFlags("bench bot", args, stderr, func(fs *flag.FlagSet) {
		fs.IntVar(&turns, "turns", 600, "bot turns to run")
		fs.IntVar(&workers, "concurrency", 4, "conversations answered at once")
	})
	if err != nil {
		return err
	}
	if turns < 1 || workers < 1 {
		return usagef("--turns and --concurrency must be at least 1")
	}
	if cfg.DatabaseURL == "" {
		dir, err := os.MkdirTemp("", "huiliu-bench-bot")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		cfg.Data = dir
	}
	return withApp(ctx, cfg, stderr, func(a *app) error {
		if a.kb, err = a.openKB(ctx, false); err != nil {
			return err
		}
		defer a.kb.Close()
		if _, err := a.kb.Import(ctx, desk.Actor{}, kb.Demo()); err != nil {
			return err
		}
		e, err := a.newBot()
		if err != nil {
			return err
		}
		qs := bot.SampleQuestions()
		run := desk.NewID()
		lat := make([]time.Duration, turns)
		var mu sync.Mutex
		var firstErr error
		var wg sync.WaitGroup
		start := time.Now()
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < turns; i += workers {
					q := qs[i%len(qs)]
					// Each conversation takes a few turns, as customers do.
					key := fmt.Sprintf("bench-%s-%d", run, i/3)
					t0 := time.Now()
					_, _, err := e.Try(ctx, key, q.Text, q.Lang)
					lat[i] = time.Since(t0)
					if err != nil {
						mu.Lock()
						firstErr = cmpErr(firstErr, err)
						mu.Unlock()
					}
				}
			}()
		}
		wg.Wait()
		took := time.Since(start)
		if firstErr != nil {
			return firstErr
		}
		slices.Sort(lat)
		pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
		fmt.Fprintf(stdout, "bot: p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d turns, %d at once, %.0f turns/s (goal p99 ≤ 50 ms, no language model)\n",
			pct(0.5), pct(0.99), pct(1), turns, workers, float64(turns)/took.Seconds())
		return nil
	})
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}
