package web

import (
	"context"
	"encoding/json"
	"strconv"

	"huiliu/desk"
	"huiliu/queue"
)

// The agents' live streams (SSE in events.go, the websocket in agent_ws.go)
// share these: how a resume point is read, how the desk stream is
// subscribed and how each entry is judged for one agent.

// resumeAfter is the first non-empty value as a sequence number, or -1
// ("new events only") when none is given.
func resumeAfter(values ...string) (int64, error) {
	for _, v := range values {
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return 0, desk.Errorf(desk.CodeInvalid, "after / Last-Event-ID must be a sequence number")
		}
		return n, nil
	}
	return -1, nil
}

// subscribeDesk follows the desk stream after seq after.
func (s *Server) subscribeDesk(ctx context.Context, after int64) (<-chan queue.Entry, error) {
	if s.opts.Events == nil {
		return nil, desk.Errorf(desk.CodeUnavailable, "live events are not configured")
	}
	ch, err := s.opts.Events.Subscribe(ctx, desk.StreamDesk, after)
	if err != nil {
		return nil, desk.Wrap(desk.CodeUnavailable, err, "live events are unavailable, try again shortly")
	}
	return ch, nil
}

// liveItem is one desk stream entry as an agent receives it: a reset, an
// event they may see, or (Event nil) a skip that only moves their resume
// point past an event they may not see.
type liveItem struct {
	Seq   int64
	Reset bool
	Event *desk.Event
}

// liveItemFor judges entry e for agent; ok is false for an entry that does
// not decode (logged; the stream goes on).
func (s *Server) liveItemFor(agent desk.Agent, e queue.Entry) (item liveItem, ok bool) {
	item.Seq = e.Seq
	if e.Reset {
		item.Reset = true
		return item, true
	}
	var ev desk.Event
	if err := json.Unmarshal(e.Data, &ev); err != nil {
		s.log.Error("web: undecodable event", "seq", e.Seq, "err", err)
		return item, false
	}
	if desk.CanSeeEvent(agent, ev) {
		ev.Seq = e.Seq
		item.Event = &ev
	}
	return item, true
}
