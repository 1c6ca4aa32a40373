package desk

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"huiliu/channels"
	"huiliu/desk/sla"
)

// The phone channel's names.
const (
	ChannelPhone = "phone"
	// MessageKindCall marks the timeline entry of a telephone call; its
	// Event (action "call") carries the call's fields for display.
	MessageKindCall = "call"
	// FollowupCallback is the kind of follow-up a missed call or a
	// voicemail leaves: call the customer back.
	FollowupCallback = "callback"
	// TargetCallback is the SLA target of callbacks ("callback:<id>").
	TargetCallback = "callback"
	// DefaultCallbackWithin is the business time allowed for a callback.
	DefaultCallbackWithin = 2 * time.Hour
)

// Limits of call fields (the phone channel checks the same on the wire).
const (
	maxCallIDBytes    = 128
	maxCallShortBytes = 200
	maxCallURLBytes   = 2048
	maxCallNotesRunes = 2000
)

// CallRecord is one telephone call as merged from its events.
type CallRecord struct {
	ID           string        `json:"id"`
	Line         string        `json:"line"`
	CallID       string        `json:"call_id"`
	TicketID     string        `json:"ticket_id"`
	MessageID    string        `json:"message_id"`
	ContactID    string        `json:"contact_id"`
	Direction    string        `json:"direction"`
	Customer     string        `json:"customer"`
	Ours         string        `json:"ours,omitempty"`
	Agent        string        `json:"agent,omitempty"`
	AgentID      string        `json:"agent_id,omitempty"`
	State        string        `json:"state"`
	StartedAt    time.Time     `json:"started_at,omitzero"`
	AnsweredAt   time.Time     `json:"answered_at,omitzero"`
	EndedAt      time.Time     `json:"ended_at,omitzero"`
	Talk         time.Duration `json:"-"`
	Queue        string        `json:"queue,omitempty"`
	RecordingURL string        `json:"-"` // only the desk's recording proxy reads it
	Disposition  string        `json:"disposition,omitempty"`
	Notes        string        `json:"notes,omitempty"`
	Source       string        `json:"source"`
	CallbackID   string        `json:"callback_id,omitempty"`
	CreatedAt    time.Time     `json:"created_at"`
	UpdatedAt    time.Time     `json:"updated_at"`
}

// TalkTime is the platform's talk time, else answer to end.
func (c CallRecord) TalkTime() time.Duration {
	if c.Talk > 0 || c.AnsweredAt.IsZero() || c.EndedAt.Before(c.AnsweredAt) {
		return c.Talk
	}
	return c.EndedAt.Sub(c.AnsweredAt).Round(time.Second)
}

// reachedCustomer: an answered call of ours keeps a callback promise.
func (c CallRecord) reachedCustomer() bool {
	return c.Direction == "out" && !c.AnsweredAt.IsZero()
}

func (s *Service) phoneStore() (PhoneReader, error) {
	ps, ok := s.store.(PhoneReader)
	if !ok {
		return nil, errors.New("desk: the store keeps no calls")
	}
	return ps, nil
}

// RecordCall stores one call event: the first event of a call lands on
// the caller's conversation (a phone identity, unverified, found by the
// normalised number; a new ticket when none is open) as a timeline entry
// of kind call; every event then merges into the call record and rewrites
// that entry. It is idempotent by (line, call id, state), and events in
// any order leave the right final state. A missed inbound call or a
// voicemail leaves a callback follow-up due within the line's callback
// time in business hours; an answered call of ours to the customer keeps
// the open callbacks of the ticket.
func (s *Service) RecordCall(ctx context.Context, c channels.Call) (channels.CallReceipt, error) {
	if err := validateCall(&c); err != nil {
		return channels.CallReceipt{}, err
	}
	ps, err := s.phoneStore()
	if err != nil {
		return channels.CallReceipt{}, err
	}
	now := s.now().UTC()
	if c.At.IsZero() {
		c.At = now
	}
	// One read answers the usual redelivery and finds the call's entry.
	rec, seen, err := ps.CallEventSeen(ctx, c.Line, c.CallID, c.State)
	switch {
	case err == nil:
		if seen {
			return callReceipt(rec, true), nil
		}
	case errors.Is(err, ErrNotFound):
		// The call's first event: its entry lands on the conversation.
		// A concurrent first event of the same call meets this one on the
		// entry's external id and gets the same ticket and message.
		rc, err := s.Ingest(ctx, callInbound(c, now))
		if err != nil {
			return channels.CallReceipt{}, fmt.Errorf("desk: call %s/%s: %w", c.Line, c.CallID, err)
		}
		rec = CallRecord{TicketID: rc.TicketID, MessageID: rc.MessageID}
	default:
		return channels.CallReceipt{}, fmt.Errorf("desk: call %s/%s: %w", c.Line, c.CallID, err)
	}
	agentID := ""
	if c.Agent != "" {
		if agentID, err = ps.AgentIDByExtension(ctx, c.Agent); err != nil && !errors.Is(err, ErrNotFound) {
			return channels.CallReceipt{}, fmt.Errorf("desk: call %s/%s: agent %s: %w", c.Line, c.CallID, c.Agent, err)
		}
	}
	var merged CallRecord
	var t Ticket
	var entry Message
	var dup, changed bool
	// The ticket and the entry the live views need are read inside the
	// transaction: the writer's page cache is warm, while a pooled reader
	// starts cold after every commit (SQLite drops a connection's cache
	// when another one wrote), which made those reads the costliest part
	// of an event.
	err = s.store.Tx(ctx, func(tx Tx) error {
		merged, dup, changed = CallRecord{}, false, false
		ptx, ok := tx.(PhoneWriter)
		if !ok {
			return errors.New("the store keeps no calls")
		}
		fresh, err := ptx.InsertCallEvent(ctx, c.Line, c.CallID, c.State, c.At, now)
		if err != nil {
			return err
		}
		if !fresh {
			dup = true
			merged, err = ptx.CallByCallID(ctx, c.Line, c.CallID)
			return err
		}
		if t, err = tx.Ticket(ctx, rec.TicketID); err != nil {
			return err
		}
		in := recordOf(c, rec, agentID, now)
		if in.ContactID == "" {
			in.ContactID = t.ContactID
		}
		if merged, err = ptx.MergeCall(ctx, in); err != nil {
			return err
		}
		if err := s.writeCallEntry(ctx, tx, merged); err != nil {
			return err
		}
		if changed, err = s.callFollowups(ctx, tx, ptx, &t, &merged, now); err != nil {
			return err
		}
		entry, err = tx.Message(ctx, merged.MessageID)
		return err
	})
	if err != nil {
		return channels.CallReceipt{}, fmt.Errorf("desk: call %s/%s: %w", c.Line, c.CallID, err)
	}
	if !dup {
		s.afterCall(ctx, t, entry, changed)
		switch {
		case c.State == channels.CallRinging && merged.State == channels.CallRinging && merged.AgentID != "":
			s.screenPop(ctx, merged)
		case c.State == channels.CallEnded && merged.AgentID != "":
			s.wrapUpNotice(ctx, t, merged)
		}
	}
	return callReceipt(merged, dup), nil
}

func callReceipt(r CallRecord, dup bool) channels.CallReceipt {
	return channels.CallReceipt{TicketID: r.TicketID, MessageID: r.MessageID, State: r.State, Duplicate: dup}
}

// afterCall tells live views the entry changed and the SLA worker that a
// callback came or went.
func (s *Service) afterCall(ctx context.Context, t Ticket, entry Message, followupsChanged bool) {
	s.publish(ctx, messageEvent(EventMessageUpdated, t, entry))
	if followupsChanged {
		s.notify(ctx, Change{Kind: ChangeChanged, Ticket: t, Actor: SystemActor("phone")})
	}
}

// callInbound is the call's first timeline entry as an inbound message.
func callInbound(c channels.Call, now time.Time) channels.Inbound {
	from := channels.Party{Kind: IdentityPhone, Value: c.Customer}
	if from.Value == "" {
		// A withheld number is nobody we could recognise again: the call
		// gets a contact of its own rather than joining other strangers.
		from.Value = "withheld:" + c.Line + ":" + c.CallID
	}
	r := CallRecord{Direction: c.Direction, Customer: c.Customer, State: c.State}
	return channels.Inbound{Channel: ChannelPhone, ExternalID: c.Line + ":" + c.CallID, ThreadKey: c.Line,
		From: from, Text: callText(r), ReceivedAt: now, Call: &c}
}

// recordOf is the call record this event says, for MergeCall.
func recordOf(c channels.Call, known CallRecord, agentID string, now time.Time) CallRecord {
	r := CallRecord{ID: NewID(), Line: c.Line, CallID: c.CallID, TicketID: known.TicketID, MessageID: known.MessageID,
		ContactID: known.ContactID, Direction: c.Direction, Customer: c.Customer, Ours: c.Ours, Agent: c.Agent,
		AgentID: agentID, State: c.State, StartedAt: c.StartedAt, AnsweredAt: c.AnsweredAt, EndedAt: c.EndedAt,
		Talk: c.Talk, Queue: c.Queue, RecordingURL: c.RecordingURL, Disposition: c.Disposition, Notes: c.Notes,
		Source: c.Source, CreatedAt: now, UpdatedAt: now}
	switch c.State {
	case channels.CallRinging:
		if r.StartedAt.IsZero() {
			r.StartedAt = c.At
		}
	case channels.CallAnswered:
		if r.AnsweredAt.IsZero() {
			r.AnsweredAt = c.At
		}
	default:
		if r.EndedAt.IsZero() {
			r.EndedAt = c.At
		}
	}
	return r
}

// writeCallEntry rewrites the call's timeline entry from the record.
func (s *Service) writeCallEntry(ctx context.Context, tx Tx, r CallRecord) error {
	ptx, ok := tx.(PhoneWriter)
	if !ok {
		return errors.New("the store keeps no calls")
	}
	agentName := r.Agent
	if r.AgentID != "" {
		if a, err := tx.Agent(ctx, r.AgentID); err == nil {
			agentName = a.Name
		}
	}
	return ptx.SetMessageEvent(ctx, r.MessageID, callText(r), callEvent(r, agentName))
}

// callFollowups leaves a callback for a missed call and keeps open ones
// when we reached the customer; it reports whether follow-ups changed.
// t is the call's ticket, read in tx; a callback's entry moves it on.
func (s *Service) callFollowups(ctx context.Context, tx Tx, ptx PhoneWriter, t *Ticket, r *CallRecord, now time.Time) (bool, error) {
	missed := r.Direction == "in" && (r.State == channels.CallMissed || r.State == channels.CallVoicemail)
	switch {
	case missed && r.CallbackID == "":
		if t.Status == StatusClosed {
			return false, nil
		}
		due, err := s.callbackDue(ctx, tx, *t, r.Line, now)
		if err != nil {
			return false, err
		}
		f := Followup{ID: NewID(), TicketID: t.ID, DueAt: due, Note: callbackNote(*r), CreatedAt: now, Kind: FollowupCallback}
		if err := tx.InsertFollowup(ctx, f); err != nil {
			return false, err
		}
		if err := ptx.SetCallCallback(ctx, r.ID, f.ID); err != nil {
			return false, err
		}
		r.CallbackID = f.ID
		ev := SystemEvent{Action: "callback_set", Args: map[string]string{"due": due.Format(time.RFC3339), "number": r.Customer}}
		_, err = s.recordEntry(ctx, tx, t, SystemActor("phone"), AuthorSystem, ev,
			"callback due by "+ev.Args["due"]+" for the missed call from "+r.Customer, now)
		return true, err
	case r.reachedCustomer():
		fs, err := tx.Followups(ctx, r.TicketID)
		if err != nil {
			return false, err
		}
		done := false
		for _, f := range fs {
			if f.Kind == FollowupCallback && f.DoneAt.IsZero() {
				if err := tx.FinishFollowup(ctx, f.ID, now, r.AgentID); err != nil {
					return false, err
				}
				done = true
			}
		}
		return done, nil
	}
	return false, nil
}

func callbackNote(r CallRecord) string {
	if r.State == channels.CallVoicemail {
		return "call back " + r.Customer + " (voicemail)"
	}
	return "call back " + r.Customer + " (missed call)"
}

// callbackDue counts the line's callback time on the business calendar of
// the ticket's SLA policy, or mainland China office hours without one.
func (s *Service) callbackDue(ctx context.Context, tx Tx, t Ticket, line string, now time.Time) (time.Time, error) {
	within := s.callbackWithin[line]
	if within <= 0 {
		within = DefaultCallbackWithin
	}
	cal, err := s.ticketCalendar(ctx, tx, t)
	if err != nil {
		return time.Time{}, err
	}
	if cal == nil {
		cal = defaultCallbackCalendar()
	}
	due, err := cal.Add(now, within)
	if err != nil {
		return time.Time{}, fmt.Errorf("callback deadline: %w", err)
	}
	return due.UTC().Truncate(time.Millisecond), nil
}

var defaultCallbackCalendar = sync.OnceValue(sla.ChinaMainlandAll)

// callEvent is the structured form of the call's timeline entry; the desk
// translates it (sys.call_<direction>_<state>) and draws the call.
func callEvent(r CallRecord, agentName string) SystemEvent {
	a := map[string]string{"call": r.ID, "line": r.Line, "direction": r.Direction, "state": r.State,
		"number": r.Customer}
	if r.Customer == "" {
		a["number"] = "withheld"
	}
	put := func(k, v string) {
		if v != "" {
			a[k] = v
		}
	}
	at := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	put("agent", agentName)
	// Who had the call: their desk offers them its wrap-up.
	put("agent_id", r.AgentID)
	put("started", at(r.StartedAt))
	put("answered", at(r.AnsweredAt))
	put("ended", at(r.EndedAt))
	if d := r.TalkTime(); d > 0 {
		a["talk"] = strconv.Itoa(int(d / time.Second))
	}
	put("queue", r.Queue)
	put("disposition", r.Disposition)
	put("notes", r.Notes)
	if r.RecordingURL != "" {
		a["recording"] = "1"
	}
	return SystemEvent{Action: "call_" + r.Direction + "_" + r.State, Args: a}
}

// callText is the English line of a call entry.
func callText(r CallRecord) string {
	num := r.Customer
	if num == "" {
		num = "a withheld number"
	}
	var b strings.Builder
	if r.Direction == "out" {
		b.WriteString("Call to " + num)
	} else {
		b.WriteString("Call from " + num)
	}
	b.WriteString(": " + r.State)
	if d := r.TalkTime(); d > 0 {
		b.WriteString(", talked " + d.String())
	}
	if r.Disposition != "" {
		b.WriteString(", " + r.Disposition)
	}
	if r.Notes != "" {
		b.WriteString("\n" + r.Notes)
	}
	return b.String()
}

func validateCall(c *channels.Call) error {
	c.Line, c.CallID = strings.TrimSpace(c.Line), strings.TrimSpace(c.CallID)
	switch {
	case c.Line == "" || len(c.Line) > 40:
		return Errorf(CodeInvalid, "line is required (at most 40 bytes)")
	case c.CallID == "" || len(c.CallID) > maxCallIDBytes:
		return Errorf(CodeInvalid, "call_id is required (at most %d bytes)", maxCallIDBytes)
	case channels.CallStateRank(c.State) == 0:
		return Errorf(CodeInvalid, "state must be ringing, answered, ended, missed or voicemail")
	case c.Direction != "in" && c.Direction != "out":
		return Errorf(CodeInvalid, "direction must be in or out")
	case len(c.Customer) > 32 || len(c.Ours) > 32:
		return Errorf(CodeInvalid, "numbers are at most 32 bytes")
	case len(c.Agent) > maxCallShortBytes || len(c.Queue) > maxCallShortBytes || len(c.Disposition) > maxCallShortBytes:
		return Errorf(CodeInvalid, "agent, queue and disposition are at most %d bytes", maxCallShortBytes)
	case len(c.RecordingURL) > maxCallURLBytes:
		return Errorf(CodeInvalid, "recording_url is at most %d bytes", maxCallURLBytes)
	case len([]rune(c.Notes)) > maxCallNotesRunes:
		return Errorf(CodeInvalid, "notes are at most %d characters", maxCallNotesRunes)
	case c.Talk < 0 || c.Talk > 7*24*time.Hour:
		return Errorf(CodeInvalid, "talk time must be between 0 and a week")
	}
	for _, f := range []string{c.Line, c.CallID, c.Customer, c.Ours, c.Agent, c.Queue, c.RecordingURL, c.Disposition, c.Notes, c.Source} {
		if !ValidText(f) {
			return Errorf(CodeInvalid, "call fields must be valid UTF-8 without NUL characters")
		}
	}
	return nil
}

// CallRecording is the call whose recording an agent asks to play: only
// for agents who may see its ticket, and only when it has one. The
// recording's address never leaves the desk; the web proxy fetches it.
func (s *Service) CallRecording(ctx context.Context, a Agent, callID string) (CallRecord, error) {
	ps, err := s.phoneStore()
	if err != nil {
		return CallRecord{}, err
	}
	rec, err := ps.CallByID(ctx, callID)
	if err != nil {
		return CallRecord{}, notFoundAs(err, "recording not found")
	}
	if _, err := s.VisibleTicket(ctx, a, rec.TicketID); err != nil {
		return CallRecord{}, Errorf(CodeNotFound, "recording not found")
	}
	if rec.RecordingURL == "" {
		return CallRecord{}, Errorf(CodeNotFound, "recording not found")
	}
	return rec, nil
}
