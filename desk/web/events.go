package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
)

// events streams the desk's events as Server-Sent Events. A client resumes
// after a drop with Last-Event-ID (browsers send it themselves) or ?after=,
// and gets exactly what it missed; events of tickets the agent may not see
// are skipped, but their sequence still advances the resume point.
func (s *Server) events(c echo.Context) error {
	after := int64(-1)
	for _, v := range []string{c.Request().Header.Get("Last-Event-ID"), c.QueryParam("after")} {
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return desk.Errorf(desk.CodeInvalid, "after / Last-Event-ID must be a sequence number")
		}
		after = n
		break
	}
	if s.opts.Events == nil {
		return desk.Errorf(desk.CodeUnavailable, "live events are not configured")
	}
	ctx := c.Request().Context()
	ch, err := s.opts.Events.Subscribe(ctx, desk.StreamDesk, after)
	if err != nil {
		return desk.Wrap(desk.CodeUnavailable, err, "live events are unavailable, try again shortly")
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
			if e.Reset {
				if err := write("id: %d\nevent: reset\ndata: {}\n\n", e.Seq); err != nil {
					return nil
				}
				continue
			}
			var ev desk.Event
			if err := json.Unmarshal(e.Data, &ev); err != nil {
				s.log.Error("web: undecodable event", "seq", e.Seq, "err", err)
				continue
			}
			if !desk.CanSeeEvent(agent, ev) {
				// An id without data moves the client's resume point
				// without dispatching a message event.
				if err := write("id: %d\n\n", e.Seq); err != nil {
					return nil
				}
				continue
			}
			ev.Seq = e.Seq
			data, _ := json.Marshal(ev)
			if err := write("id: %d\nevent: %s\ndata: %s\n\n", e.Seq, ev.Type, data); err != nil {
				return nil
			}
		}
	}
}
