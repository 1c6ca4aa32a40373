package desk

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// CustomerMessage is one entry of a ticket's timeline as its customer sees
// it. Every channel that shows a customer their conversation (web chat,
// mail threads, the help centre, the bot) reads it through
// Service.CustomerTimeline, so the same rule holds everywhere: the
// customer's own messages and what was sent to them, never internal notes
// or system entries.
type CustomerMessage struct {
	ID       string
	TicketID string
	// Seq is the entry's Seq on the ticket; notes and system entries take
	// numbers too, so a customer's seqs may skip.
	Seq int64
	// From is AuthorContact for the customer's own messages, otherwise who
	// sent it: AuthorAgent, AuthorBot or AuthorSystem.
	From AuthorKind
	// ExternalID is the channel's id of the customer's own message.
	ExternalID string
	Text       string
	// AuthorName is the agent's current name or the bot's (or system's)
	// recorded one; EmployeeNo is an agent's public number, so customers can
	// check they talk to a genuine agent.
	AuthorName string
	EmployeeNo string
	// Files are the attachments of the message (without bytes): what was
	// sent to the customer and what they sent themselves.
	Files []Attachment
	At    time.Time
	// Kind is the message's kind (MessageKindVerifyRequest, or ""), or
	// MessageKindResolved for the entry that resolved the ticket.
	Kind string
}

// MessageKindResolved marks, in the customer's view, the system entry that
// resolved their ticket: the chat tells them and offers a new conversation.
const MessageKindResolved = "resolved"

// customerVisible says whether the customer of a ticket may see m: their
// messages, what was sent to them, and that the ticket was resolved (never
// who did it or any other system entry).
func customerVisible(m Message) bool {
	return m.Direction == DirIn || m.Direction == DirOut || resolvedEntry(m)
}

func resolvedEntry(m Message) bool {
	return m.Direction == DirSystem && m.Event != nil && m.Event.Action == "status" && m.Event.Args["status"] == string(StatusResolved)
}

// CustomerTimeline lists what the customer may see of ticket with Seq >
// afterSeq, oldest first, at most limit entries. A short answer means
// caught up: pages of notes are read past.
func (s *Service) CustomerTimeline(ctx context.Context, ticketID string, afterSeq int64, limit int) ([]CustomerMessage, error) {
	if limit <= 0 {
		limit = DefaultPageSize
	}
	var out []CustomerMessage
	var files map[string][]Attachment
	agents := map[string]Agent{}
	for {
		raw, err := s.store.MessagesAfterSeq(ctx, ticketID, afterSeq, limit)
		if err != nil {
			return nil, fmt.Errorf("desk: customer timeline of %s: %w", ticketID, err)
		}
		for _, m := range raw {
			afterSeq = m.Seq
			if !customerVisible(m) {
				continue
			}
			v := CustomerMessage{ID: m.ID, TicketID: m.TicketID, Seq: m.Seq, From: m.AuthorKind, Text: m.Text,
				AuthorName: m.AuthorName, At: m.CreatedAt, Kind: m.Kind}
			switch {
			case resolvedEntry(m):
				v.From, v.Kind, v.Text, v.AuthorName = AuthorSystem, MessageKindResolved, "", ""
				out = append(out, v)
				continue
			case m.Direction == DirIn:
				v.From, v.ExternalID = AuthorContact, m.ExternalID
			case m.AuthorKind == AuthorAgent:
				a, err := s.authorAgent(ctx, agents, m.AuthorID)
				if err != nil {
					return nil, fmt.Errorf("desk: customer timeline of %s: %w", ticketID, err)
				}
				v.AuthorName, v.EmployeeNo = a.Name, a.EmployeeNo
			}
			// Read the ticket's file list once, on the first page that
			// has a message.
			if files == nil {
				if files, err = s.attachmentsByMessage(ctx, ticketID); err != nil {
					return nil, err
				}
			}
			v.Files = files[m.ID]
			out = append(out, v)
		}
		if len(raw) < limit || len(out) >= limit {
			return out, nil
		}
	}
}

// authorAgent looks an agent up once per call; a deleted author is shown
// without a name rather than failing the customer's view.
func (s *Service) authorAgent(ctx context.Context, seen map[string]Agent, id string) (Agent, error) {
	if a, ok := seen[id]; ok {
		return a, nil
	}
	a, err := s.store.Agent(ctx, id)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return Agent{}, err
	}
	seen[id] = a
	return a, nil
}

func (s *Service) attachmentsByMessage(ctx context.Context, ticketID string) (map[string][]Attachment, error) {
	list, err := s.store.Attachments(ctx, ticketID)
	if err != nil {
		return nil, fmt.Errorf("desk: files of ticket %s: %w", ticketID, err)
	}
	out := map[string][]Attachment{}
	for _, a := range list {
		out[a.MessageID] = append(out[a.MessageID], a)
	}
	return out, nil
}

// CustomerFile is a file, with its bytes, that the customer of ticket may
// download: one sent to them on that ticket or one they sent on it. Any
// other file — of another ticket, of a note, or none — is not found,
// whatever link was forged.
func (s *Service) CustomerFile(ctx context.Context, ticketID, attachmentID string) (Attachment, error) {
	a, err := s.store.Attachment(ctx, attachmentID)
	if err != nil {
		return Attachment{}, notFoundAs(fmt.Errorf("desk: customer file %s: %w", attachmentID, err), "file not found")
	}
	m, err := s.store.Message(ctx, a.MessageID)
	if err != nil {
		return Attachment{}, notFoundAs(fmt.Errorf("desk: customer file %s: %w", attachmentID, err), "file not found")
	}
	if m.TicketID != ticketID || (m.Direction != DirOut && m.Direction != DirIn) {
		return Attachment{}, Errorf(CodeNotFound, "file not found")
	}
	return a, nil
}

// ConversationTicket is the id of the ticket, not closed, of the customer
// known on a channel by identity (kind, value) in conversation threadKey;
// "" when there is none.
func (s *Service) ConversationTicket(ctx context.Context, kind, value, channel, threadKey string) (string, error) {
	ident, err := s.store.IdentityByValue(ctx, kind, value)
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("desk: conversation of %s %s: %w", kind, value, err)
	}
	t, err := s.store.ActiveTicket(ctx, ident.ContactID, channel, threadKey)
	if errors.Is(err, ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("desk: conversation of %s %s: %w", kind, value, err)
	}
	return t.ID, nil
}
