package web

import (
	"context"
	"time"

	"huiliu/desk"
)

// keepPresence beats the page's presence while the socket lives and
// leaves at once when it closes, so an agent whose last page closed is
// offline without waiting for the TTL.
func (w *wsConn) keepPresence(ctx context.Context) {
	if w.presence == nil {
		return
	}
	beat := time.NewTicker(desk.HeartbeatEvery)
	defer beat.Stop()
	for {
		select {
		case <-ctx.Done():
			// The socket's context is over; leaving still has to reach
			// the presence store.
			lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			w.presence.Close(lctx)
			cancel()
			return
		case <-beat.C:
			w.presence.Beat(ctx)
		}
	}
}
