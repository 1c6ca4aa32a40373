// Package services keeps a process's long-running services — workers, channels,
// the HTTP server — under one manager: it starts them in list order, logs
// each start and stop, and on shutdown stops them one by one in reverse
// order, so what starts first (the outbox sender) stops last and finishes
// its in-flight work after everything that feeds it has stopped.
//
// Nothing is restarted. A service that ends before shutdown is logged as an
// error; if it is Essential the process cannot do its job without it, and
// the manager shuts everything down and returns that error. Other services
// end alone: a failing bot must not take the node's desk and web chat down.
package services

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Service is one long-running part of the process.
type Service struct {
	Name string
	// Run works until ctx ends, then stops and returns nil. Returning
	// earlier, with or without an error, is a failure.
	Run func(ctx context.Context) error
	// Essential services stop the process when they fail.
	Essential bool
}

// ErrEndedEarly is the failure of a service that returned nil before
// shutdown.
var ErrEndedEarly = errors.New("ended before shutdown")

// Manager runs services.
type Manager struct {
	Logger *slog.Logger
	// ShutdownTimeout bounds the whole stop, all services together.
	ShutdownTimeout time.Duration
}

type result struct {
	i   int
	err error
}

// Run starts services in order and runs them until ctx ends or an essential
// one fails, then stops them in reverse order. It returns the failures of
// essential services (also those in stopping, such as an HTTP server that
// could not drain its requests), an error naming the services that did not
// stop within the shutdown timeout, or nil.
func (m Manager) Run(ctx context.Context, services ...Service) error {
	log := m.Logger
	if log == nil {
		log = slog.Default()
	}
	// Each service has its own context so they can be stopped one by one;
	// values of ctx carry over.
	base := context.WithoutCancel(ctx)
	cancels := make([]context.CancelFunc, len(services))
	running := make([]bool, len(services))
	results := make(chan result, len(services))
	for i, s := range services {
		sctx, cancel := context.WithCancel(base)
		cancels[i], running[i] = cancel, true
		log.Info("service started", "service", s.Name)
		go func() { results <- result{i, s.Run(sctx)} }()
	}
	defer func() {
		for _, cancel := range cancels {
			cancel()
		}
	}()

	var failed error
	for failed == nil && ctx.Err() == nil {
		select {
		case <-ctx.Done():
		case r := <-results:
			running[r.i] = false
			s := services[r.i]
			err := r.err
			if err == nil {
				err = ErrEndedEarly
			}
			log.Error("service stopped before shutdown; not restarted", "service", s.Name, "essential", s.Essential, "err", err)
			if s.Essential {
				failed = fmt.Errorf("%s: %w", s.Name, err)
			}
		}
	}

	log.Info("stopping services", "timeout", m.ShutdownTimeout)
	deadline := time.NewTimer(m.ShutdownTimeout)
	defer deadline.Stop()
	for i := len(services) - 1; i >= 0; i-- {
		cancels[i]()
		for running[i] {
			select {
			case r := <-results:
				running[r.i] = false
				if r.err != nil {
					log.Error("service stopped with an error", "service", services[r.i].Name, "err", r.err)
					if services[r.i].Essential {
						failed = errors.Join(failed, fmt.Errorf("%s: %w", services[r.i].Name, r.err))
					}
				} else {
					log.Info("service stopped", "service", services[r.i].Name)
				}
			case <-deadline.C:
				// The rest are cancelled on return without waiting.
				var stuck []string
				for k := i; k < len(services); k++ {
					if running[k] {
						stuck = append(stuck, services[k].Name)
					}
				}
				log.Error("services did not stop within the shutdown timeout", "services", stuck, "timeout", m.ShutdownTimeout)
				return errors.Join(failed, fmt.Errorf("shutdown timeout %s: still running: %s", m.ShutdownTimeout, strings.Join(stuck, ", ")))
			}
		}
	}
	return failed
}
