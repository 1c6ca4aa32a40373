package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"huiliu/queue"
	"huiliu/queue/memory"
	"huiliu/queue/redisq"
)

// timersBench schedules many deadlines and claims them as they fall due,
// the way SLA workers do, to measure how late they fire and whether any
// fires twice or never.
type timersBench struct {
	Timers     int
	Spread     time.Duration
	Lead       time.Duration
	Workers    int
	Batch      int
	Schedulers int
}

func runBenchTimers(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench timers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var b timersBench
	fs.IntVar(&b.Timers, "timers", 1_000_000, "deadlines to schedule")
	fs.DurationVar(&b.Spread, "spread", 2*time.Minute, "deadlines fall evenly over this long")
	fs.DurationVar(&b.Lead, "lead", 10*time.Second, "the first deadline is this long after the start")
	fs.IntVar(&b.Workers, "workers", 4, "claim workers")
	fs.IntVar(&b.Batch, "batch", 500, "timers per claim")
	fs.IntVar(&b.Schedulers, "schedulers", 32, "concurrent schedulers")
	redisURL := fs.String("redis-url", os.Getenv("REDIS_URL"), "Redis to run on (default REDIS_URL; empty: in-process memory)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if b.Timers < 1 || b.Spread <= 0 || b.Lead < 0 || b.Workers < 1 || b.Batch < 1 || b.Schedulers < 1 {
		return usagef("--timers, --spread, --workers, --batch and --schedulers must be positive")
	}
	var be queue.Backend
	if *redisURL != "" {
		var err error
		if be, err = redisq.New(ctx, *redisURL); err != nil {
			return fmt.Errorf("connect to redis: %w", err)
		}
	} else {
		be = memory.New()
	}
	defer be.Close()
	var tag [4]byte
	_, _ = rand.Read(tag[:])
	r, err := b.run(ctx, be.Timers("bench-"+hex.EncodeToString(tag[:])))
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, r)
	return nil
}

type timersResult struct {
	scheduleRate float64
	fired        int
	late         []int64 // ms, one per first firing
	duplicates   int64
	missed       int
}

func (r timersResult) String() string {
	slices.Sort(r.late)
	pct := func(p float64) int64 {
		if len(r.late) == 0 {
			return 0
		}
		return r.late[min(len(r.late)-1, int(p*float64(len(r.late))))]
	}
	return fmt.Sprintf("timers: scheduled %.0f/s, fired %d, late p50 %d ms, p99 %d ms, duplicates %d, missed %d",
		r.scheduleRate, r.fired, pct(0.50), pct(0.99), r.duplicates, r.missed)
}

func (b timersBench) run(ctx context.Context, tm queue.Timers) (timersResult, error) {
	start := time.Now()
	first := start.Add(b.Lead)
	at := func(i int) time.Time {
		return first.Add(time.Duration(int64(b.Spread) * int64(i) / int64(b.Timers))).Truncate(time.Millisecond)
	}
	fired := make([]atomic.Int32, b.Timers)
	late := make([]int64, b.Timers)
	var firedN, dups atomic.Int64
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// Claim from the start, as a live node would while deadlines arrive.
	var wg sync.WaitGroup
	errc := make(chan error, b.Workers+b.Schedulers)
	for range b.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				got, err := tm.ClaimDue(ctx, time.Now(), b.Batch)
				if err != nil {
					if ctx.Err() == nil {
						errc <- fmt.Errorf("claim: %w", err)
					}
					return
				}
				now := time.Now()
				for _, t := range got {
					i, err := strconv.Atoi(t.Key)
					if err != nil || i < 0 || i >= b.Timers {
						continue
					}
					if fired[i].Add(1) > 1 {
						dups.Add(1)
						continue
					}
					late[i] = now.Sub(at(i)).Milliseconds()
					if firedN.Add(1) == int64(b.Timers) {
						cancel()
					}
				}
				if len(got) < b.Batch {
					time.Sleep(5 * time.Millisecond)
				}
			}
		}()
	}
	var next atomic.Int64
	var swg sync.WaitGroup
	for range b.Schedulers {
		swg.Add(1)
		go func() {
			defer swg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= b.Timers || ctx.Err() != nil {
					return
				}
				if err := tm.Schedule(ctx, strconv.Itoa(i), at(i)); err != nil {
					errc <- fmt.Errorf("schedule: %w", err)
					return
				}
			}
		}()
	}
	swg.Wait()
	rate := float64(b.Timers) / time.Since(start).Seconds()
	// Everything due has had a few seconds past the last deadline.
	select {
	case <-ctx.Done():
	case <-time.After(time.Until(at(b.Timers - 1).Add(10 * time.Second))):
		cancel()
	case err := <-errc:
		cancel()
		wg.Wait()
		return timersResult{}, err
	}
	wg.Wait()
	r := timersResult{scheduleRate: rate, duplicates: dups.Load()}
	for i := range fired {
		if fired[i].Load() == 0 {
			r.missed++
		} else {
			r.fired++
			r.late = append(r.late, late[i])
		}
	}
	return r, nil
}
