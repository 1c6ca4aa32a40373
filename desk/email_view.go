package desk

import (
	"context"
	"errors"
	"fmt"
)

// MaxInlineImageBytes bounds the inline (cid:) images one mail view embeds
// in total; beyond it the rest show as their alternative text and stay
// downloadable from the message's file list.
const MaxInlineImageBytes = 8 << 20

// MailView is one message of a ticket the agent may see, with the bytes of
// the inline images its HTML refers to (by Content-ID), for the desk's
// sandboxed mail view.
func (s *Service) MailView(ctx context.Context, a Agent, id string) (Message, map[string]Attachment, error) {
	m, err := found(s.store.Message(ctx, id))("message", id)
	if err != nil {
		return Message{}, nil, err
	}
	if _, err := s.VisibleTicket(ctx, a, m.TicketID); err != nil {
		if errors.Is(err, ErrNotFound) {
			return Message{}, nil, hidden("message", id, err)
		}
		return Message{}, nil, err
	}
	files, err := s.store.Attachments(ctx, m.TicketID)
	if err != nil {
		return Message{}, nil, fmt.Errorf("desk: files of message %s: %w", id, err)
	}
	inline := map[string]Attachment{}
	var total int64
	for _, f := range files {
		if f.MessageID != m.ID {
			continue
		}
		m.Attachments = append(m.Attachments, f)
		if f.ContentID == "" || total+f.Size > MaxInlineImageBytes {
			continue
		}
		full, err := s.store.Attachment(ctx, f.ID)
		if err != nil {
			return Message{}, nil, fmt.Errorf("desk: inline image %s of message %s: %w", f.ID, id, err)
		}
		total += f.Size
		inline[f.ContentID] = full
	}
	// The text and HTML are masked like every read (pii_mask.go); the
	// addresses of the header stay, as the reply's To and Cc are built
	// from them.
	return maskMessage(m), inline, nil
}
