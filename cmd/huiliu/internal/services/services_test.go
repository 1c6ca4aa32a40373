package services

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// journal records what services did, in order, from many goroutines.
type journal struct {
	mu    sync.Mutex
	lines []string
}

func (j *journal) add(s string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.lines = append(j.lines, s)
}

func (j *journal) get() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return slices.Clone(j.lines)
}

// logs is a slog text handler's output, safe for concurrent writes.
type logs struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logs) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func manager(timeout time.Duration) (Manager, *logs) {
	l := &logs{}
	return Manager{Logger: slog.New(slog.NewTextHandler(l, nil)), ShutdownTimeout: timeout}, l
}

// waiting is a service that works until its context ends and records when
// it was told to stop.
func waiting(name string, j *journal, started *sync.WaitGroup) Service {
	started.Add(1)
	return Service{Name: name, Run: func(ctx context.Context) error {
		started.Done()
		<-ctx.Done()
		j.add("stop " + name)
		return nil
	}}
}

// runAsync runs m in the background and returns its result channel.
func runAsync(ctx context.Context, m Manager, services ...Service) <-chan error {
	done := make(chan error, 1)
	go func() { done <- m.Run(ctx, services...) }()
	return done
}

func wait(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(15 * time.Second): // a hang guard, not a timing assertion
		t.Fatal("manager did not return")
		return nil
	}
}

func TestStopsInReverseOrderEachAfterTheNextHasStopped(t *testing.T) {
	var j journal
	var started sync.WaitGroup
	m, l := manager(time.Minute)
	ctx, cancel := context.WithCancel(context.Background())
	done := runAsync(ctx, m, waiting("sender", &j, &started), waiting("sla", &j, &started), waiting("telegram", &j, &started), waiting("http", &j, &started))
	started.Wait()
	cancel()
	if err := wait(t, done); err != nil {
		t.Fatal(err)
	}
	// The sender stops last: it finishes what the others handed it.
	want := []string{"stop http", "stop telegram", "stop sla", "stop sender"}
	if got := j.get(); !slices.Equal(got, want) {
		t.Fatalf("stop order %q, want %q", got, want)
	}
	for _, name := range []string{"sender", "sla", "telegram", "http"} {
		for _, msg := range []string{`msg="service started" service=` + name, `msg="service stopped" service=` + name} {
			if !strings.Contains(l.String(), msg) {
				t.Errorf("log lacks %s:\n%s", msg, l)
			}
		}
	}
}

func TestAFailingServiceIsLoggedAndTheOthersKeepRunning(t *testing.T) {
	var j journal
	var started sync.WaitGroup
	m, l := manager(time.Minute)
	failed := make(chan struct{})
	bot := Service{Name: "telegram", Run: func(context.Context) error {
		defer close(failed)
		return errors.New("bot token revoked")
	}}
	ctx, cancel := context.WithCancel(context.Background())
	done := runAsync(ctx, m, waiting("sender", &j, &started), bot, waiting("http", &j, &started))
	started.Wait()
	<-failed
	for !strings.Contains(l.String(), "bot token revoked") {
		select {
		case err := <-done:
			t.Fatalf("manager returned %v after a non-essential service failed", err)
		case <-time.After(time.Millisecond):
		}
	}
	if got := j.get(); len(got) != 0 {
		t.Fatalf("services stopped after a non-essential failure: %q", got)
	}
	if !strings.Contains(l.String(), `level=ERROR msg="service stopped before shutdown; not restarted" service=telegram essential=false err="bot token revoked"`) {
		t.Errorf("failure not logged as an error:\n%s", l)
	}
	cancel()
	if err := wait(t, done); err != nil {
		t.Fatalf("Run = %v, want nil: the failed service was not essential", err)
	}
	if got, want := j.get(), []string{"stop http", "stop sender"}; !slices.Equal(got, want) {
		t.Fatalf("stop order %q, want %q", got, want)
	}
}

func TestAnEssentialFailureStopsEverything(t *testing.T) {
	var j journal
	var started sync.WaitGroup
	m, l := manager(time.Minute)
	errListen := errors.New("listen: address in use")
	release := make(chan struct{})
	httpSvc := Service{Name: "http", Essential: true, Run: func(context.Context) error {
		<-release
		return errListen
	}}
	done := runAsync(context.Background(), m, waiting("sender", &j, &started), waiting("webchat", &j, &started), httpSvc)
	started.Wait()
	close(release)
	err := wait(t, done)
	if !errors.Is(err, errListen) || !strings.HasPrefix(err.Error(), "http: ") {
		t.Fatalf("Run = %v, want the http service's failure", err)
	}
	if got, want := j.get(), []string{"stop webchat", "stop sender"}; !slices.Equal(got, want) {
		t.Fatalf("stop order %q, want %q", got, want)
	}
	if !strings.Contains(l.String(), "essential=true") {
		t.Errorf("failure not logged:\n%s", l)
	}
}

func TestAnEssentialServiceEndingQuietlyIsAFailure(t *testing.T) {
	m, _ := manager(time.Minute)
	err := m.Run(context.Background(), Service{Name: "sender", Essential: true, Run: func(context.Context) error { return nil }})
	if !errors.Is(err, ErrEndedEarly) {
		t.Fatalf("Run = %v, want ErrEndedEarly", err)
	}
}

func TestShutdownTimeoutNamesTheStuckServiceAndStopsTheRest(t *testing.T) {
	var j journal
	var started sync.WaitGroup
	m, l := manager(20 * time.Millisecond)
	stuck := make(chan struct{})
	defer close(stuck)
	started.Add(1)
	hung := Service{Name: "telegram", Run: func(context.Context) error {
		started.Done()
		<-stuck // ignores its context
		return nil
	}}
	ctx, cancel := context.WithCancel(context.Background())
	done := runAsync(ctx, m, waiting("sender", &j, &started), hung, waiting("http", &j, &started))
	started.Wait()
	cancel()
	err := wait(t, done)
	if err == nil || !strings.Contains(err.Error(), "still running: telegram") {
		t.Fatalf("Run = %v, want a timeout naming telegram", err)
	}
	if !strings.Contains(l.String(), `msg="services did not stop within the shutdown timeout" services=[telegram]`) {
		t.Errorf("timeout not logged:\n%s", l)
	}
	// The sender, queued behind the stuck service, is still told to stop.
	for !slices.Contains(j.get(), "stop sender") {
		time.Sleep(time.Millisecond)
	}
}

func TestAnEssentialServiceFailingToStopIsReturned(t *testing.T) {
	m, l := manager(time.Minute)
	errDrain := errors.New("requests still running")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := m.Run(ctx,
		Service{Name: "bot", Run: func(ctx context.Context) error { <-ctx.Done(); return errors.New("bot: poll cut short") }},
		Service{Name: "http", Essential: true, Run: func(ctx context.Context) error { <-ctx.Done(); return errDrain }},
	)
	if !errors.Is(err, errDrain) || strings.Contains(err.Error(), "bot") {
		t.Fatalf("Run = %v, want only the essential http service's stop error", err)
	}
	if !strings.Contains(l.String(), `msg="service stopped with an error" service=bot`) {
		t.Errorf("the bot's stop error is not logged:\n%s", l)
	}
}
