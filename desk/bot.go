package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// maxHandOffReasonRunes bounds the reason a hand-off records.
const maxHandOffReasonRunes = 200

// startsWithBot says whether a new ticket on channel begins with the bot
// (Options.BotChannels). Such a ticket is in StatusBot: routing and the
// queues skip it (they take open tickets only) until HandOff.
func (s *Service) startsWithBot(channel string) bool {
	return slices.Contains(s.botChannels, channel)
}

// HandOff moves a ticket from the bot to the desk: bot → open, recorded as
// a system entry with the reason, and routing is nudged so the ticket is
// offered at once.
func (s *Service) HandOff(ctx context.Context, ticketID, reason string) (Ticket, error) {
	reason = truncateRunes(strings.TrimSpace(reason), maxHandOffReasonRunes)
	if !ValidText(reason) {
		return Ticket{}, Errorf(CodeInvalid, "reason must be valid UTF-8 without NUL characters")
	}
	var t Ticket
	var m Message
	err := s.store.Tx(ctx, func(tx Tx) error {
		cur, err := tx.Ticket(ctx, ticketID)
		if err != nil {
			return notFoundAs(err, "ticket %s not found", ticketID)
		}
		if cur.Status != StatusBot {
			return Errorf(CodeConflict, "ticket %d is not with the bot (status %s)", cur.Number, cur.Status)
		}
		now := s.now().UTC()
		open := StatusOpen
		if t, err = tx.SetTicketFields(ctx, ticketID, TicketFields{Status: &open}, now); err != nil {
			return err
		}
		e := SystemEvent{Action: "bot_handoff", Args: map[string]string{"reason": reason}}
		m, err = s.recordEntry(ctx, tx, &t, Actor{}, AuthorSystem, e, e.text(), now)
		return err
	})
	if err != nil {
		return Ticket{}, fmt.Errorf("desk: hand off ticket %s: %w", ticketID, err)
	}
	s.publish(ctx, messageEvent(EventMessageCreated, t, m))
	s.publish(ctx, ticketEvent(EventTicketUpdated, t, t))
	s.notify(ctx, Change{Kind: ChangeChanged, Ticket: t, Message: &m, Actor: Actor{}})
	return t, nil
}

// suggestHistory is how many of a ticket's newest entries are searched for
// the customer's latest message.
const suggestHistory = 50

// LatestCustomerMessage is the newest customer message on a ticket the
// agent may see, as stored (unmasked: the bot reads it to suggest a
// reply), and the ticket. A ticket whose newest entries hold none answers
// not found.
func (s *Service) LatestCustomerMessage(ctx context.Context, a Agent, ticketID string) (Ticket, Message, error) {
	t, err := s.VisibleTicket(ctx, a, ticketID)
	if err != nil {
		return Ticket{}, Message{}, err
	}
	recent, err := s.store.MessagesAfterSeq(ctx, t.ID, max(0, t.LastSeq-suggestHistory), suggestHistory)
	if err != nil {
		return t, Message{}, fmt.Errorf("desk: messages of ticket %s: %w", t.ID, err)
	}
	for i := len(recent) - 1; i >= 0; i-- {
		if m := recent[i]; m.Direction == DirIn {
			return t, m, nil
		}
	}
	return t, Message{}, Errorf(CodeNotFound, "ticket %d has no message from the customer to answer", t.Number)
}
