package desk

import (
	"context"

	"errors"
	"fmt"
	"huiliu/channels"
	"huiliu/i18n"
	"strings"
	"time"
)

// ReplyKind says whether an agent's message goes to the customer.
type ReplyKind string

const (
	KindReply ReplyKind = "reply" // sent to the customer through the ticket's channel
	KindNote  ReplyKind = "note"  // internal, seen by agents only
	// KindVerify asks the customer to verify (a reply; on Telegram with a
	// share-my-phone button). Without text a bilingual request is sent.
	KindVerify ReplyKind = "verify"
)

// verifyRequestText is sent when an agent asks for verification without
// words of their own. The desk does not know which script the customer
// reads, so it asks in Chinese and English.
var verifyRequestText = i18n.Lines("verify.request", i18n.ZhCN, i18n.En)

// PostRequest is an agent's reply or internal note.
type PostRequest struct {
	TicketID string
	Kind     ReplyKind
	Text     string
	// IdempotencyKey makes a retried request return the first result
	// instead of posting twice.
	IdempotencyKey string
	// Attachments are files sent with the message (or kept with a note).
	Attachments []channels.Attachment
	// OverrideReason sends a public reply the disclosure guard refuses
	// (desk/facts_guard.go); recorded in the audit log and on the timeline.
	OverrideReason string
}

// MaxIdempotencyKeyBytes bounds the Idempotency-Key header.
const MaxIdempotencyKeyBytes = 200

// IdempotencyKeep is how long an Idempotency-Key is honoured; older keys
// are pruned, so a retry must come within it.
const IdempotencyKeep = 7 * 24 * time.Hour

// Post commits a reply (with an outbox row for the sender) or internal
// note by actor: an agent, the bot or the system, recorded as its author.
// An agent must see the ticket; the first public reply of an agent makes
// them the ticket's first-contact owner and, if nobody works it yet, its
// assignee — never a bot's or the system's. created is false when the
// idempotency key had been used: the earlier message is returned.
func (s *Service) Post(ctx context.Context, actor Actor, req PostRequest) (msg Message, created bool, err error) {
	if err := validatePost(&req); err != nil {
		return Message{}, false, err
	}
	t, err := s.postTicket(ctx, actor, req.TicketID)
	if err != nil {
		return Message{}, false, err
	}
	scope := "post:" + string(actor.Author()) + ":" + actor.Name
	if actor.Agent != nil {
		scope = "post:" + actor.Agent.ID
	}
	if req.IdempotencyKey != "" {
		if m, ok, err := s.idempotentMessage(ctx, scope, req.IdempotencyKey); err != nil || ok {
			return m, false, err
		}
	}
	override, err := s.disclosureGate(ctx, actor, t, req)
	if err != nil {
		return Message{}, false, err
	}
	err = s.store.Tx(ctx, func(tx Tx) error {
		now := s.now().UTC()
		msg = Message{
			ID:         NewID(),
			TicketID:   t.ID,
			AuthorKind: actor.Author(),
			Channel:    t.Channel, // a ticket's channel never changes
			Text:       req.Text,
			CreatedAt:  now,
		}
		if actor.Agent != nil {
			msg.AuthorID = actor.Agent.ID
		} else {
			msg.AuthorName = actor.Name
		}
		touch := TicketTouch{At: now}
		if req.Kind == KindNote {
			msg.Direction = DirNote
		} else {
			if req.Kind == KindVerify {
				msg.Kind = MessageKindVerifyRequest
			}
			msg.Direction = DirOut
			msg.Delivery = DeliveryPending
			touch.Preview = preview(req.Text)
			if actor.Agent != nil {
				touch.ClaimFor = actor.Agent.ID // 首问负责制 is a person's
			}
		}
		// The ticket row first: it hands out the message's Seq.
		touched, err := tx.TouchTicket(ctx, t.ID, touch)
		if errors.Is(err, ErrNotFound) {
			return Errorf(CodeConflict, "ticket %d is closed; the customer's next message opens a new one", t.Number)
		}
		if err != nil {
			return err
		}
		t = touched
		msg.Seq = t.LastSeq
		if err := insertMessage(ctx, tx, msg, req.Attachments); err != nil {
			return err
		}
		if msg.Direction == DirOut {
			item := OutboxItem{
				ID:             NewID(),
				MessageID:      msg.ID,
				TicketID:       t.ID,
				Channel:        t.Channel,
				IdempotencyKey: msg.ID,
				NextAttemptAt:  now,
			}
			if err := tx.InsertOutbox(ctx, item); err != nil {
				return err
			}
		}
		if override != nil {
			if _, err := s.recordEntry(ctx, tx, &t, actor, AuthorSystem, *override, factsEventText(*override), now); err != nil {
				return err
			}
		}
		if req.IdempotencyKey != "" {
			return tx.PutIdempotency(ctx, scope, req.IdempotencyKey, msg.ID, now)
		}
		return nil
	})
	if errors.Is(err, ErrConflict) && req.IdempotencyKey != "" {
		// A concurrent request with the same key won the race.
		m, ok, err := s.idempotentMessage(ctx, scope, req.IdempotencyKey)
		if err == nil && ok {
			return m, false, nil
		}
	}
	if err != nil {
		return Message{}, false, fmt.Errorf("desk: post to ticket %s: %w", req.TicketID, err)
	}
	if msg.Direction == DirOut {
		s.nudge()
	}
	s.publish(ctx, messageEvent(EventMessageCreated, t, msg))
	s.notify(ctx, Change{Kind: ChangePosted, Ticket: t, Message: &msg, Actor: actor})
	return msg, true, nil
}

// postTicket is the ticket actor posts to: one the agent may see; the bot
// and the system post where the desk sends them.
func (s *Service) postTicket(ctx context.Context, actor Actor, id string) (Ticket, error) {
	if actor.Agent != nil {
		return s.VisibleTicket(ctx, *actor.Agent, id)
	}
	if strings.TrimSpace(actor.Name) == "" || !ValidText(actor.Name) || len(actor.Name) > MaxNameBytes {
		return Ticket{}, Errorf(CodeInvalid, "a bot or system post needs a name of at most %d bytes", MaxNameBytes)
	}
	t, err := s.store.Ticket(ctx, id)
	if err != nil {
		return Ticket{}, notFoundAs(fmt.Errorf("desk: ticket %s: %w", id, err), "ticket %s not found", id)
	}
	return t, nil
}

func (s *Service) idempotentMessage(ctx context.Context, scope, key string) (Message, bool, error) {
	ref, err := s.store.Idempotency(ctx, scope, key)
	if errors.Is(err, ErrNotFound) {
		return Message{}, false, nil
	}
	if err != nil {
		return Message{}, false, fmt.Errorf("desk: idempotency key: %w", err)
	}
	m, err := s.store.Message(ctx, ref)
	if err != nil {
		return Message{}, false, fmt.Errorf("desk: idempotent message %s: %w", ref, err)
	}
	return m, true, nil
}

func validatePost(req *PostRequest) error {
	if req.Kind == KindVerify && strings.TrimSpace(req.Text) == "" {
		req.Text = verifyRequestText
	}
	if err := checkAttachments(req.Attachments); err != nil {
		return err
	}
	switch {
	case req.Kind != KindReply && req.Kind != KindNote && req.Kind != KindVerify:
		return Errorf(CodeInvalid, "kind must be reply, note or verify")
	case strings.TrimSpace(req.Text) == "" && len(req.Attachments) == 0:
		return Errorf(CodeInvalid, "text is required")
	case len(req.Text) > MaxTextBytes:
		return Errorf(CodeTooLarge, "text is longer than %d bytes", MaxTextBytes)
	case !ValidText(req.Text):
		return Errorf(CodeInvalid, "text must be valid UTF-8 without NUL characters")
	case len(req.OverrideReason) > MaxOverrideReasonBytes || !ValidText(req.OverrideReason):
		return Errorf(CodeInvalid, "the override reason must be valid text of at most %d bytes", MaxOverrideReasonBytes)
	case len(req.IdempotencyKey) > MaxIdempotencyKeyBytes:
		return Errorf(CodeInvalid, "Idempotency-Key is longer than %d bytes", MaxIdempotencyKeyBytes)
	}
	return nil
}
