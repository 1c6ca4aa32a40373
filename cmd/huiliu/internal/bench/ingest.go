package bench

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"huiliu/desk"
)

func runBenchIngest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	base := fs.String("url", "http://127.0.0.1:8080", "desk base URL")
	token := fs.String("token", "", "API token (huiliu token add)")
	clients := fs.Int("clients", 32, "concurrent HTTP clients")
	duration := fs.Duration("duration", 20*time.Second, "how long to send")
	customers := fs.Int("customers", 1000, "distinct simulated customers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *token == "" || *clients < 1 || *duration <= 0 || *customers < 1 {
		return usagef("--token is required; --clients, --duration and --customers must be positive")
	}
	r, err := benchIngest(ctx, ingestBench{URL: strings.TrimRight(*base, "/"), Token: *token, Clients: *clients, Duration: *duration, Customers: *customers})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, r)
	return nil
}

type ingestBench struct {
	URL       string
	Token     string
	Clients   int
	Duration  time.Duration
	Customers int
}

type benchResult struct {
	n       int
	elapsed time.Duration
	lat     []time.Duration
	errors  int64
	first   string // first error, to say why
}

func (r benchResult) String() string {
	slices.Sort(r.lat)
	pct := func(p float64) float64 {
		if len(r.lat) == 0 {
			return 0
		}
		return float64(r.lat[min(len(r.lat)-1, int(p*float64(len(r.lat))))].Microseconds()) / 1000
	}
	line := fmt.Sprintf("ingest: %.0f msg/s, p50 %.1f ms, p99 %.1f ms, errors %d",
		float64(r.n)/r.elapsed.Seconds(), pct(0.50), pct(0.99), r.errors)
	if r.first != "" {
		line += "\nfirst error: " + r.first
	}
	return line
}

// benchIngest posts inbound messages from many simulated customers as fast
// as the desk takes them and reports throughput and latency.
func benchIngest(ctx context.Context, b ingestBench) (benchResult, error) {
	tr := &http.Transport{MaxIdleConns: b.Clients, MaxIdleConnsPerHost: b.Clients, IdleConnTimeout: time.Minute}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	defer tr.CloseIdleConnections()
	run := desk.NewID()
	ctx, cancel := context.WithTimeout(ctx, b.Duration)
	defer cancel()
	var (
		mu      sync.Mutex
		res     benchResult
		counter atomic.Int64
		wg      sync.WaitGroup
	)
	start := time.Now()
	for c := 0; c < b.Clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var lat []time.Duration
			var errs int64
			var first string
			for ctx.Err() == nil {
				i := counter.Add(1)
				cust := i % int64(b.Customers)
				// Formatted by hand: the generator shares the machine with the
				// desk, so it should spend as little CPU as it can.
				body := fmt.Appendf(nil, `{"external_id":"bench-%s-%d","thread_key":"bench","from":{"kind":"api","value":"bench-%s-%d","name":"客户 %d"},"text":"你好，我想查询第 %d 期的还款计划 / repayment plan question %d"}`,
					run, i, run, cust, cust, i%12+1, i)
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, b.URL+"/api/v1/inbound", bytes.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+b.Token)
				req.Header.Set("Content-Type", "application/json")
				t0 := time.Now()
				resp, err := client.Do(req)
				if ctx.Err() != nil {
					if resp != nil {
						resp.Body.Close()
					}
					break // the run ended mid-request; not an error of the desk
				}
				if err == nil {
					msg, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
					resp.Body.Close()
					if resp.StatusCode != http.StatusCreated {
						err = fmt.Errorf("status %d: %s", resp.StatusCode, bytes.TrimSpace(msg))
					}
				}
				if err != nil {
					errs++
					if first == "" {
						first = err.Error()
					}
					continue
				}
				lat = append(lat, time.Since(t0))
			}
			mu.Lock()
			res.lat = append(res.lat, lat...)
			res.errors += errs
			if res.first == "" {
				res.first = first
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.n = len(res.lat)
	return res, nil
}
