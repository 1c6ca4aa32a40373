package web

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// events streams the desk's events as Server-Sent Events. Each id is a
// position "<epoch>:<seq>"; a client resumes after a drop with
// Last-Event-ID (browsers send it themselves) or ?after=, and gets exactly
// what it missed, or a reset when the stream cannot prove it still holds
// that (another epoch: the server restarted or Redis lost the stream).
// Events of tickets the agent may not see are skipped, but their position
// still advances the resume point.
func (s *Server) events(c echo.Context) error {
	from, err := resumeFrom(c.Request().Header.Get("Last-Event-ID"), c.QueryParam("after"))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	ch, err := s.subscribeDesk(ctx, from)
	if err != nil {
		return err
	}
	agent := current(c).Agent
	w := c.Response()
	h := w.Header()
	h.Set(echo.HeaderContentType, "text/event-stream; charset=utf-8")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	write := func(format string, args ...any) error {
		// The server's WriteTimeout would end a long stream; each write gets
		// its own deadline instead.
		_ = rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
		if _, err := fmt.Fprintf(w, format, args...); err != nil {
			return err
		}
		return rc.Flush()
	}
	if err := write(": connected\nretry: 2000\n\n"); err != nil {
		return nil
	}
	beat := time.NewTicker(s.opts.Heartbeat)
	defer beat.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-s.closing:
			return nil
		case <-beat.C:
			if err := write(": keep-alive\n\n"); err != nil {
				return nil
			}
		case e, ok := <-ch:
			if !ok {
				// Dropped as too slow, or the bus closed: the client
				// reconnects with Last-Event-ID and loses nothing.
				return nil
			}
			item, ok := s.liveItemFor(agent, e)
			switch {
			case !ok:
				continue
			case item.Reset:
				if err := write("id: %s\nevent: reset\ndata: {}\n\n", item.Pos); err != nil {
					return nil
				}
				continue
			case item.Data == nil:
				// An id without data moves the client's resume point
				// without dispatching a message event.
				if err := write("id: %s\n\n", item.Pos); err != nil {
					return nil
				}
				continue
			}
			if err := write("id: %s\nevent: %s\ndata: %s\n\n", item.Pos, item.Type, item.Data); err != nil {
				return nil
			}
		}
	}
}
