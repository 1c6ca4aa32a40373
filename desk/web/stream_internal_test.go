package web

import (
	"encoding/json"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/queue"
)

// The spliced form of a published event equals encoding it again with its
// sequence, and an event in any other shape is decoded and encoded instead.
func TestDecodeLiveSplicesTheSequence(t *testing.T) {
	ev := desk.Event{Type: desk.EventMessageCreated, TicketID: "t1", MessageID: "m1", MessageSeq: 3, TeamID: "team",
		OwnerID: "o", AssigneeID: "a", At: time.Unix(1_800_000_000, 0).UTC(), Data: json.RawMessage(`{"x":"y"}`)}
	published, _ := json.Marshal(ev) // as the desk publishes: Seq 0
	want := ev
	want.Seq = 42
	for name, data := range map[string][]byte{
		"published":  published,
		"reordered":  []byte(`{"type":"message.created","seq":0,"ticket_id":"t1","message_id":"m1","message_seq":3,"team_id":"team","owner_id":"o","assignee_id":"a","at":"2027-01-15T08:00:00Z","data":{"x":"y"}}`),
		"whitespace": append([]byte(" "), published...),
	} {
		d, err := decodeLive(queue.Entry{Seq: 42, Data: data})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var got desk.Event
		if err := json.Unmarshal(d.data, &got); err != nil {
			t.Fatalf("%s: spliced JSON %q does not decode: %v", name, d.data, err)
		}
		if name != "reordered" && !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: got %+v\nwant %+v", name, got, want)
		}
		if got.Seq != 42 || d.vis.TeamID != "team" || d.vis.OwnerID != "o" || d.vis.AssigneeID != "a" || d.vis.Type != desk.EventMessageCreated {
			t.Fatalf("%s: seq %d, visibility %+v", name, got.Seq, d.vis)
		}
	}
	if _, err := decodeLive(queue.Entry{Seq: 1, Data: []byte(`{"seq":0,`)}); err == nil {
		t.Fatal("a truncated event decoded")
	}
}

// A slot reused by a later sequence is decoded afresh, never served stale.
func TestLiveCacheNeverServesAnotherSequence(t *testing.T) {
	var c liveCache
	mk := func(seq int64, team string) queue.Entry {
		b, _ := json.Marshal(desk.Event{Type: "ticket.updated", TeamID: team})
		return queue.Entry{Seq: seq, Data: b}
	}
	log := slog.New(slog.DiscardHandler)
	if d, ok := c.get(mk(5, "a"), log); !ok || d.vis.TeamID != "a" {
		t.Fatalf("first: %+v", d)
	}
	if d, ok := c.get(mk(5+liveCacheSize, "b"), log); !ok || d.vis.TeamID != "b" || d.seq != 5+liveCacheSize {
		t.Fatalf("same slot, later seq: %+v", d)
	}
	if _, ok := c.get(queue.Entry{Seq: 9, Data: []byte("not json")}, log); ok {
		t.Fatal("garbage decoded")
	}
}

// BenchmarkLiveFanout is one event judged and framed for twenty agents, as
// the agent websockets of one node do.
func BenchmarkLiveFanout(b *testing.B) {
	s := &Server{log: slog.New(slog.DiscardHandler)}
	data, _ := json.Marshal(desk.Event{Type: desk.EventMessageCreated, TicketID: "01J9Z8Q6V3K4M5N6P7R8S9T0VW", TeamID: "team",
		Data: json.RawMessage(`{"ticket":{"id":"01J9Z8Q6V3K4M5N6P7R8S9T0VW","subject":"你好，我想查询还款计划","preview":"你好"},"message":{"id":"01J9Z8Q6V3K4M5N6P7R8S9T0VX","text":"你好，我想查询还款计划，谢谢"}}`)})
	agents := make([]desk.Agent, 20)
	for i := range agents {
		agents[i] = desk.Agent{ID: "a", Role: desk.RoleAgent, TeamIDs: []string{"team"}}
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		e := queue.Entry{Seq: int64(i + 1), Data: data}
		for _, a := range agents {
			item, _ := s.liveItemFor(a, e)
			_ = eventFrame(item.Seq, item.Pos, item.Data)
		}
	}
}

// TestCoalescerKeepsLatestPerTicketInStreamOrder: a client behind gets one
// frame per ticket, the latest, and its position never moves backwards.
func TestCoalescerKeepsLatestPerTicketInStreamOrder(t *testing.T) {
	var c coalescer
	c.hold("A", 1, []byte("A1"))
	c.hold("B", 2, []byte("B2"))
	c.hold("", 3, []byte("skip3"))
	c.hold("A", 4, []byte("A4"))
	c.hold("C", 5, []byte("C5"))
	c.hold("", 6, []byte("skip6"))
	var got []string
	for !c.empty() {
		got = append(got, string(c.next()))
	}
	if strings.Join(got, ",") != "B2,A4,C5,skip6" {
		t.Fatalf("flushed %v, want B2,A4,C5,skip6", got)
	}
	// Held again after a flush: still in stream order.
	c.hold("", 7, []byte("skip7"))
	c.hold("A", 8, []byte("A8"))
	c.hold("A", 9, []byte("A9"))
	got = got[:0]
	for !c.empty() {
		got = append(got, string(c.next()))
	}
	if strings.Join(got, ",") != "skip7,A9" {
		t.Fatalf("flushed %v, want skip7,A9", got)
	}
}
