package web

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"sync"

	"huiliu/desk"
	"huiliu/queue"
)

// The agents' live streams (SSE in events.go, the websocket in agent_ws.go)
// share these: how a resume point is read, how the desk stream is
// subscribed and how each entry is judged for one agent.

// resumeFrom reads the first non-empty value as a resume point
// "<epoch>:<seq>" (what the streams hand out), or Live ("new events only")
// when none is given. A plain sequence from before epochs is accepted with
// no epoch, which the bus answers with a reset: it proves nothing.
func resumeFrom(values ...string) (queue.Position, error) {
	for _, v := range values {
		if v == "" {
			continue
		}
		epoch, seqText, ok := strings.Cut(v, ":")
		if !ok {
			epoch, seqText = "", v
		}
		n, err := strconv.ParseInt(seqText, 10, 64)
		if err != nil || n < 0 || ok && !validEpoch(epoch) {
			return queue.Position{}, desk.Errorf(desk.CodeInvalid, "after / Last-Event-ID must be a position <epoch>:<seq> from this stream")
		}
		return queue.Position{Epoch: epoch, Seq: n}, nil
	}
	return queue.Live, nil
}

// validEpoch accepts what queue.NewEpoch makes, with room to change it.
func validEpoch(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || r == '-' || r == '_') {
			return false
		}
	}
	return true
}

// position is how a client keeps its place: "<epoch>:<seq>".
func position(epoch string, seq int64) string {
	return epoch + ":" + strconv.FormatInt(seq, 10)
}

// subscribeDesk follows the desk stream after from.
func (s *Server) subscribeDesk(ctx context.Context, from queue.Position) (<-chan queue.Entry, error) {
	if s.opts.Events == nil {
		return nil, desk.Errorf(desk.CodeUnavailable, "live events are not configured")
	}
	ch, err := s.opts.Events.Subscribe(ctx, desk.StreamDesk, from)
	if err != nil {
		return nil, desk.Wrap(desk.CodeUnavailable, err, "live events are unavailable, try again shortly")
	}
	return ch, nil
}

// liveItem is one desk stream entry as an agent receives it: a reset, an
// event they may see (Data: the event's JSON, seq set), or (Data nil) a skip
// that only moves their resume point past an event they may not see.
type liveItem struct {
	Seq      int64
	TicketID string // of an event the agent may see
	Pos      string // the client's resume point after this item
	Reset    bool
	Type     string
	Data     []byte
}

// liveItemFor judges entry e for agent; ok is false for an entry that does
// not decode (logged; the stream goes on). The entry is decoded once per
// node however many agents follow the stream (liveCache).
func (s *Server) liveItemFor(agent desk.Agent, e queue.Entry) (item liveItem, ok bool) {
	item.Seq = e.Seq
	item.Pos = position(e.Epoch, e.Seq)
	if e.Reset {
		item.Reset = true
		return item, true
	}
	d, ok := s.live.get(e, s.log)
	if !ok {
		return item, false
	}
	if desk.CanSeeEvent(agent, d.vis) {
		item.Type, item.Data, item.TicketID = d.vis.Type, d.data, d.vis.TicketID
	}
	return item, true
}

// liveCacheSize entries are kept: enough for every agent of a node to read
// an entry while it is recent, small enough to hold no memory worth noting.
const liveCacheSize = 1024

// liveCache holds the decoded form of recent desk stream entries, so that
// twenty agents on a node cost one decode per event, not twenty.
type liveCache struct {
	mu    sync.Mutex
	slots [liveCacheSize]liveDecoded
}

// liveDecoded is an entry as every agent needs it: what decides who may see
// it and the JSON to send, with the bus sequence filled in. The epoch is
// part of the key: a new epoch numbers from 1 again.
type liveDecoded struct {
	epoch string
	seq   int64
	vis   desk.Event // Type, TicketID, TeamID, OwnerID, AssigneeID
	data  []byte
}

func (c *liveCache) get(e queue.Entry, log *slog.Logger) (liveDecoded, bool) {
	i := e.Seq % liveCacheSize
	c.mu.Lock()
	d := c.slots[i]
	c.mu.Unlock()
	if d.seq == e.Seq && d.epoch == e.Epoch && d.data != nil {
		return d, true
	}
	d, err := decodeLive(e)
	if err != nil {
		log.Error("web: undecodable event", "seq", e.Seq, "err", err)
		return liveDecoded{}, false
	}
	c.mu.Lock()
	c.slots[i] = d
	c.mu.Unlock()
	return d, true
}

// seqZero is how a published event starts: the desk publishes before the
// bus has numbered it, and Seq is the Event's first field.
var seqZero = []byte(`{"seq":0,`)

func decodeLive(e queue.Entry) (liveDecoded, error) {
	var vis struct {
		Type       string `json:"type"`
		TicketID   string `json:"ticket_id"`
		TeamID     string `json:"team_id"`
		OwnerID    string `json:"owner_id"`
		AssigneeID string `json:"assignee_id"`
	}
	if err := json.Unmarshal(e.Data, &vis); err != nil {
		return liveDecoded{}, err
	}
	d := liveDecoded{epoch: e.Epoch, seq: e.Seq, vis: desk.Event{Type: vis.Type, TicketID: vis.TicketID, TeamID: vis.TeamID, OwnerID: vis.OwnerID, AssigneeID: vis.AssigneeID}}
	if bytes.HasPrefix(e.Data, seqZero) {
		// Splice the sequence in rather than encode the event again.
		d.data = append([]byte(`{"seq":`+strconv.FormatInt(e.Seq, 10)+`,`), e.Data[len(seqZero):]...)
		return d, nil
	}
	var ev desk.Event
	if err := json.Unmarshal(e.Data, &ev); err != nil {
		return liveDecoded{}, err
	}
	ev.Seq = e.Seq
	data, err := json.Marshal(ev)
	if err != nil {
		return liveDecoded{}, err
	}
	d.data = data
	return d, nil
}
