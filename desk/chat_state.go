package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"huiliu/desk/sla"
)

// ChatState is what a customer's chat tells them about their ticket
// besides the messages: where it stands in the queue and whether the desk
// is open, by the business calendar of the ticket's SLA policy.
type ChatState struct {
	Status Status
	// Queue is the ticket's place in its team's queue (1 is next); 0 when
	// an agent has it, the bot answers, or it has no team to wait for.
	Queue int
	// Open says the desk works now; NextOpen is when it opens when not.
	// A ticket no SLA policy matches has no calendar: always open.
	Open     bool
	NextOpen time.Time
}

// queueScan bounds the queue read for a position: beyond it the customer
// is told "more than queueScan ahead".
const queueScan = 200

// ChatState reads ticket id's state for its customer's chat.
func (s *Service) ChatState(ctx context.Context, id string) (ChatState, error) {
	t, err := s.store.Ticket(ctx, id)
	if err != nil {
		return ChatState{}, fmt.Errorf("desk: chat state of ticket %s: %w", id, err)
	}
	st := ChatState{Status: t.Status, Open: true}
	if t.Status == StatusOpen && t.AssigneeID == "" && t.TeamID != "" {
		queued, err := s.store.QueuedTickets(ctx, []string{t.TeamID}, queueScan)
		if err != nil {
			return ChatState{}, fmt.Errorf("desk: chat state of ticket %s: %w", id, err)
		}
		st.Queue = slices.IndexFunc(queued, func(q Ticket) bool { return q.ID == id }) + 1
		if st.Queue == 0 {
			st.Queue = queueScan + 1
		}
	}
	cal, err := s.ticketCalendar(ctx, s.store, t)
	if err != nil || cal == nil {
		return st, err
	}
	now := s.now()
	if !cal.IsOpen(now) {
		next, err := cal.NextOpen(now)
		if err != nil {
			return ChatState{}, fmt.Errorf("desk: chat state of ticket %s: %w", id, err)
		}
		st.Open, st.NextOpen = false, next.UTC()
	}
	return st, nil
}

// ticketCalendar is the business calendar of the SLA policy t falls
// under; nil when none matches.
func (s *Service) ticketCalendar(ctx context.Context, r Reader, t Ticket) (*sla.Calendar, error) {
	policies, err := r.SLAPolicies(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: calendar of ticket %s: %w", t.ID, err)
	}
	for _, p := range policies {
		if !p.Matches(t) {
			continue
		}
		c, err := r.SLACalendar(ctx, p.CalendarID)
		if err != nil {
			return nil, fmt.Errorf("desk: calendar of ticket %s: %w", t.ID, err)
		}
		cal, err := c.Build()
		if err != nil {
			return nil, fmt.Errorf("desk: calendar of ticket %s: %w", t.ID, err)
		}
		return cal, nil
	}
	return nil, nil
}

// maxCallbackNameRunes bounds the name a customer leaves for a callback.
const maxCallbackNameRunes = 64

// ChatCallback records a customer's request, left in the chat out of
// hours, to be called back on phone (E.164, checked by the channel): a
// callback follow-up due when the desk opens and an entry on the ticket
// that agents see.
func (s *Service) ChatCallback(ctx context.Context, id, name, phone string) error {
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > maxCallbackNameRunes || !ValidText(name) || strings.ContainsAny(name, "\r\n") {
		return Errorf(CodeInvalid, "name: at most %d characters on one line", maxCallbackNameRunes)
	}
	if phone == "" || len(phone) > MaxPartyValueBytes || !ValidText(phone) {
		return Errorf(CodeInvalid, "phone: a telephone number is needed")
	}
	var t Ticket
	err := s.store.Tx(ctx, func(tx Tx) error {
		var err error
		if t, err = tx.Ticket(ctx, id); err != nil {
			return err
		}
		if t.Status == StatusClosed {
			return Errorf(CodeConflict, "ticket %d is closed", t.Number)
		}
		now := s.now().UTC()
		due := now
		if cal, err := s.ticketCalendar(ctx, tx, t); err != nil {
			return err
		} else if cal != nil {
			if due, err = cal.NextOpen(now); err != nil {
				return err
			}
		}
		due = due.UTC().Truncate(time.Millisecond)
		note := "call back " + phone
		if name != "" {
			note += " (" + name + ")"
		}
		f := Followup{ID: NewID(), TicketID: t.ID, DueAt: due, Note: note, CreatedAt: now, Kind: FollowupCallback}
		if err := tx.InsertFollowup(ctx, f); err != nil {
			return err
		}
		ev := SystemEvent{Action: "callback_requested", Args: map[string]string{"name": name, "number": phone, "due": due.Format(time.RFC3339)}}
		_, err = s.recordEntry(ctx, tx, &t, SystemActor("webchat"), AuthorSystem, ev,
			"the customer asked for a call back on "+phone+" by "+ev.Args["due"], now)
		return err
	})
	if err != nil {
		return fmt.Errorf("desk: callback on ticket %s: %w", id, err)
	}
	s.publish(ctx, ticketEvent(EventTicketUpdated, t, t))
	s.notify(ctx, Change{Kind: ChangeChanged, Ticket: t, Actor: SystemActor("webchat")})
	return nil
}
