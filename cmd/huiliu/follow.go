package main

import (
	"context"
	"log/slog"
	"time"
)

// follow hands a running channel the settings in force (load, then
// replace) whenever this node changed them (changed is signalled) and every
// interval, for another node's change. A failed reload leaves the running
// set as it is and is logged as what.
func follow[T any](ctx context.Context, log *slog.Logger, what string, every time.Duration, changed <-chan struct{},
	load func(context.Context) (T, error), replace func(T) error) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-changed:
		}
		v, err := load(ctx)
		if err == nil {
			err = replace(v)
		}
		if err != nil && ctx.Err() == nil {
			log.Warn(what+" not reloaded; the running ones carry on", "err", err)
		}
	}
}
