package bench

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"huiliu/channels"
	"huiliu/channels/api"
	"huiliu/channels/phone"
	"huiliu/desk"
)

// runBenchPhone posts call event sequences (ringing, answered, ended, in
// a shuffled order with one event of each call sent twice) to a line's
// signed webhook of a desk in this process, then checks every call has
// one record in its final state and one timeline entry.
func runBenchPhone(ctx context.Context, o Options, args []string, stdout, stderr io.Writer) error {
	var calls, clients, customers int
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	a, closeDesk, err := o.OpenDesk(ctx, "bench phone", args, stderr, func(fs *flag.FlagSet) {
		fs.IntVar(&calls, "calls", 2000, "calls to post (four events each)")
		fs.IntVar(&clients, "clients", 16, "concurrent HTTP clients")
		fs.IntVar(&customers, "customers", 500, "distinct caller numbers")
	}, func() error {
		if calls < 1 || clients < 1 || customers < 1 {
			return usagef("--calls, --clients and --customers must be positive")
		}
		return nil
	}, log)
	if err != nil {
		return err
	}
	defer closeDesk()
	line := phone.Line{Name: "bench", Secret: "bench-line-secret-" + desk.NewID()}
	if err := line.Prepare(); err != nil {
		return err
	}
	srv := httptest.NewServer(phone.Handler(line, a.Service, time.Now, log))
	defer srv.Close()
	run := desk.NewID()
	type post struct{ body string }
	work := make(chan post, clients*4)
	var failed atomic.Int64
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: 30 * time.Second}
	for range clients {
		wg.Go(func() {
			for p := range work {
				if !postSigned(ctx, client, srv.URL+phone.EventsPath(line.Name), line.Secret, p.body) {
					failed.Add(1)
				}
			}
		})
	}
	start, cpu0 := time.Now(), cpuTime()
	events := 0
	base := time.Now().Add(-time.Hour).Unix()
	for i := range calls {
		id := fmt.Sprintf("%s-%d", run, i)
		number := fmt.Sprintf("139%08d", i%customers)
		states := []string{channels.CallRinging, channels.CallAnswered, channels.CallEnded}
		rand.Shuffle(len(states), func(i, j int) { states[i], states[j] = states[j], states[i] })
		states = append(states, states[rand.IntN(len(states))]) // one redelivery
		for k, st := range states {
			body := `{"call_id":"` + id + `","direction":"in","caller":"` + number + `","callee":"4008001234","state":"` + st +
				`","at":` + strconv.FormatInt(base+int64(k), 10) + `}`
			select {
			case work <- post{body}:
			case <-ctx.Done():
				close(work)
				wg.Wait()
				return ctx.Err()
			}
			events++
		}
	}
	close(work)
	wg.Wait()
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	lost, dup, err := checkBenchCalls(ctx, a, line.Name, run, calls)
	if err != nil {
		return err
	}
	if n := failed.Load(); n > 0 {
		fmt.Fprintf(stderr, "bench phone: %d posts failed\n", n)
	}
	// The CPU per event (client and desk together, since they share this
	// process) is what the rate would be on idle cores; on a busy machine
	// the rate mostly says how long the desk waited for one.
	fmt.Fprintf(stdout, "phone: %.0f events/s, calls lost %d, duplicated %d (%d calls, %d events, %d clients, %s, %.2f ms CPU per event)\n",
		float64(events)/elapsed.Seconds(), lost, dup, calls, events, clients, elapsed.Round(time.Millisecond),
		float64(cpu.Microseconds())/1000/float64(events))
	return nil
}

// postSigned sends one signed event and reports a 200.
func postSigned(ctx context.Context, c *http.Client, url, secret, body string) bool {
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(api.HeaderTimestamp, ts)
	req.Header.Set(api.HeaderSignature, api.Sign(secret, ts, []byte(body)))
	res, err := c.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}

// checkBenchCalls counts calls without a record in state ended (lost) and
// call entries beyond one per call (duplicated).
func checkBenchCalls(ctx context.Context, a LocalDesk, line, run string, calls int) (lost, dup int, err error) {
	pr, ok := a.Store.(desk.PhoneReader)
	rd, ok2 := a.Store.(desk.Reader)
	if !ok || !ok2 {
		return 0, 0, fmt.Errorf("bench phone: the store keeps no calls")
	}
	tickets := map[string]bool{}
	for i := range calls {
		rec, err := pr.CallByCallID(ctx, line, fmt.Sprintf("%s-%d", run, i))
		if err != nil || rec.State != channels.CallEnded {
			lost++
			continue
		}
		tickets[rec.TicketID] = true
	}
	entries := 0
	for id := range tickets {
		var after int64
		for {
			page, err := rd.MessagesAfterSeq(ctx, id, after, 1000)
			if err != nil {
				return 0, 0, fmt.Errorf("bench phone: %w", err)
			}
			for _, m := range page {
				if m.Kind == desk.MessageKindCall {
					entries++
				}
			}
			if len(page) < 1000 {
				break
			}
			after = page[len(page)-1].Seq
		}
	}
	if extra := entries - (calls - lost); extra > 0 {
		dup = extra
	}
	return lost, dup, nil
}
