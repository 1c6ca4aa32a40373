package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"huiliu/channels"
)

// Limits on inbound envelopes.
const (
	MaxExternalIDBytes = 256
	MaxThreadKeyBytes  = 256
	MaxPartyValueBytes = 320 // an email address can be this long
	MaxNameBytes       = 200
	maxIngestAttempts  = 4
	subjectRunes       = 80
)

// Ingest stores one inbound customer message: it finds or creates the
// contact by identity, threads the message into the open ticket of that
// conversation (or opens one), commits, then publishes events. It is
// idempotent on (channel, external id): a replay returns the first receipt
// with Duplicate set.
func (s *Service) Ingest(ctx context.Context, in channels.Inbound) (channels.Receipt, error) {
	if err := validateInbound(&in); err != nil {
		return channels.Receipt{}, err
	}
	if in.ReceivedAt.IsZero() {
		in.ReceivedAt = s.now()
	}
	for attempt := 1; ; attempt++ {
		res, err := s.ingestOnce(ctx, in)
		if errors.Is(err, ErrConflict) && in.ExternalID != "" {
			// Most often a replay: the message was stored by an earlier or
			// a concurrent request. Looking it up only on conflict keeps a
			// round trip off every first delivery.
			m, ferr := s.store.MessageByExternalID(ctx, in.Channel, in.ExternalID)
			if ferr == nil {
				return channels.Receipt{TicketID: m.TicketID, MessageID: m.ID, Seq: m.Seq, Duplicate: true}, nil
			}
			if !errors.Is(ferr, ErrNotFound) {
				return channels.Receipt{}, fmt.Errorf("desk: ingest %s/%s: %w", in.Channel, in.ExternalID, ferr)
			}
		}
		// Otherwise a concurrent ingest created the same contact or ticket
		// first; the next round sees its rows.
		if errors.Is(err, ErrConflict) && attempt < maxIngestAttempts {
			continue
		}
		if err != nil {
			return channels.Receipt{}, fmt.Errorf("desk: ingest %s/%s: %w", in.Channel, in.ExternalID, err)
		}
		typ := EventMessageCreated
		if res.newTicket {
			typ = EventTicketCreated
		}
		s.publish(ctx, messageEvent(typ, res.ticket, res.message))
		s.notify(ctx, Change{Kind: ChangeIngested, Ticket: res.ticket, Message: &res.message,
			NewTicket: res.newTicket, Reopened: res.reopened})
		// Identity links last: they may merge the contact the steps above
		// saw, and record their own entries.
		if len(in.Links) > 0 {
			s.linkIdentities(ctx, in, res.ticket.ID, res.ticket.ContactID)
		}
		return channels.Receipt{TicketID: res.ticket.ID, MessageID: res.message.ID, Seq: res.message.Seq}, nil
	}
}

type ingestResult struct {
	ticket    Ticket
	message   Message
	newTicket bool
	// reopened: the message moved a pending or resolved ticket open.
	reopened bool
}

func (s *Service) ingestOnce(ctx context.Context, in channels.Inbound) (ingestResult, error) {
	now := in.ReceivedAt.UTC()
	if ident, t, ok := s.knownConversation(ctx, in, now); ok {
		return s.appendToConversation(ctx, in, ident, t, now)
	}
	var res ingestResult
	err := s.store.Tx(ctx, func(tx Tx) error {
		res = ingestResult{}
		ident, err := s.resolveIdentity(ctx, tx, in, now)
		if err != nil {
			return err
		}
		t, isNew, err := s.threadTicket(ctx, tx, in, ident, now)
		if err != nil {
			return err
		}
		before := t.Status
		if !isNew {
			// The ticket row first: it hands out the message's Seq.
			if t, err = tx.TouchTicket(ctx, t.ID, TicketTouch{Preview: preview(in.Text), At: now, Reopen: true}); err != nil {
				return err
			}
		}
		m := inboundMessage(in, t, ident, now)
		if err := insertMessage(ctx, tx, m, in.Attachments); err != nil {
			return err
		}
		res = ingestResult{ticket: t, message: m, newTicket: isNew, reopened: !isNew && t.Status != before}
		return nil
	})
	return res, err
}

// knownConversation finds, outside any transaction, the sender and the open
// ticket their message belongs to: the common case of a customer writing
// again. These reads run on the read pool, not on SQLite's one writer.
func (s *Service) knownConversation(ctx context.Context, in channels.Inbound, now time.Time) (Identity, Ticket, bool) {
	ident, err := s.store.IdentityByValue(ctx, in.From.Kind, in.From.Value)
	if err != nil {
		return Identity{}, Ticket{}, false // not found, or an error the full path reports
	}
	t, err := s.conversationTicket(ctx, s.store, in, ident)
	if err != nil || (t.Status == StatusResolved && (in.NewConversation || now.Sub(t.UpdatedAt) > ReopenWindow)) {
		return Identity{}, Ticket{}, false
	}
	return ident, t, true
}

// appendToConversation stores the message on a ticket read outside the
// transaction. The ticket update is conditional: if the ticket was closed
// meanwhile, the conflict sends Ingest round again to open a new one.
func (s *Service) appendToConversation(ctx context.Context, in channels.Inbound, ident Identity, t Ticket, now time.Time) (ingestResult, error) {
	var res ingestResult
	err := s.store.Tx(ctx, func(tx Tx) error {
		t2, err := tx.TouchTicket(ctx, t.ID, TicketTouch{Preview: preview(in.Text), At: now, Reopen: true})
		if errors.Is(err, ErrNotFound) {
			return fmt.Errorf("ticket %s was closed meanwhile: %w", t.ID, ErrConflict)
		}
		if err != nil {
			return err
		}
		m := inboundMessage(in, t2, ident, now)
		if err := insertMessage(ctx, tx, m, in.Attachments); err != nil {
			return err
		}
		res = ingestResult{ticket: t2, message: m, reopened: t2.Status != t.Status}
		return nil
	})
	return res, err
}

// insertMessage stores a message with its files in the caller's transaction.
func insertMessage(ctx context.Context, tx Tx, m Message, files []channels.Attachment) error {
	if err := tx.InsertMessage(ctx, m); err != nil {
		return err
	}
	for _, f := range files {
		a := Attachment{ID: NewID(), MessageID: m.ID, Name: f.Name, MIME: f.MIME, Data: f.Data, ContentID: f.ContentID, CreatedAt: m.CreatedAt}
		if err := tx.InsertAttachment(ctx, a); err != nil {
			return err
		}
	}
	return nil
}

// checkAttachments enforces the limits on files and tidies their names and
// types in place.
func checkAttachments(files []channels.Attachment) error {
	if len(files) > MaxAttachments {
		return Errorf(CodeTooLarge, "at most %d attachments per message", MaxAttachments)
	}
	for i := range files {
		a := &files[i]
		if len(a.Data) > MaxAttachmentBytes {
			return Errorf(CodeTooLarge, "attachment %d is larger than %d bytes", i+1, MaxAttachmentBytes)
		}
		if !ValidText(a.Name) || len(a.Name) > maxAttachmentNameBytes {
			a.Name = "" // a bad name is not worth losing the file over
		}
		a.MIME = cleanMIME(a.MIME)
	}
	return nil
}

// cleanMIME keeps a content type only if it looks like one (type/subtype,
// no parameters); files are served by what they are declared to be, so an
// odd declaration becomes the neutral application/octet-stream.
func cleanMIME(m string) string {
	m = strings.ToLower(strings.TrimSpace(m))
	typ, sub, ok := strings.Cut(m, "/")
	if !ok || len(m) > 100 || !isToken(typ) || !isToken(sub) {
		return "application/octet-stream"
	}
	return m
}

func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("!#$&^_.+-", r)) {
			return false
		}
	}
	return true
}

func inboundMessage(in channels.Inbound, t Ticket, ident Identity, now time.Time) Message {
	return Message{
		ID:         NewID(),
		TicketID:   t.ID,
		Seq:        t.LastSeq, // taken by TouchTicket, or 1 on a new ticket
		Direction:  DirIn,
		AuthorKind: AuthorContact,
		AuthorID:   ident.ContactID,
		Channel:    in.Channel,
		ExternalID: in.ExternalID,
		Text:       in.Text,
		HTML:       in.HTML,
		Email:      in.Email,
		Kind:       inboundKind(in),
		Event:      inboundEvent(in),
		CreatedAt:  now,
	}
}

// inboundKind marks a phone call's entry; RecordCall writes its event.
func inboundKind(in channels.Inbound) string {
	if in.Call != nil {
		return MessageKindCall
	}
	return ""
}

// inboundEvent is a call entry's event as its first commit has it, so
// the observers of that commit (the SLA clocks) already know the call's
// direction; RecordCall rewrites it with the merged call.
func inboundEvent(in channels.Inbound) *SystemEvent {
	if in.Call == nil {
		return nil
	}
	ev := callEvent(CallRecord{Line: in.Call.Line, Direction: in.Call.Direction, Customer: in.Call.Customer, State: in.Call.State}, "")
	return &ev
}

// resolveIdentity finds the identity of the sender or creates a new contact
// for it. A channel-vouched identity is recorded as verified.
func (s *Service) resolveIdentity(ctx context.Context, tx Tx, in channels.Inbound, now time.Time) (Identity, error) {
	ident, err := tx.IdentityByValue(ctx, in.From.Kind, in.From.Value)
	if err == nil {
		return ident, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Identity{}, err
	}
	c := Contact{ID: NewID(), Name: in.From.Name, CreatedAt: now}
	if c.Name == "" && in.From.Kind != IdentityWebchat {
		// A phone number or an address says who it is; a website
		// visitor's random id does not, so desks label those themselves.
		c.Name = in.From.Value
	}
	if err := tx.InsertContact(ctx, c); err != nil {
		return Identity{}, err
	}
	ident = Identity{ID: NewID(), ContactID: c.ID, Kind: in.From.Kind, Value: in.From.Value, CreatedAt: now}
	if in.From.Verified {
		ident.VerifiedAt = &now
		ident.Method = in.From.Method
		ident.Verifier = in.Channel
	}
	if err := tx.InsertIdentity(ctx, ident); err != nil {
		return Identity{}, err
	}
	return ident, nil
}

// threadTicket returns the ticket the message belongs to: the open one of
// the conversation, a resolved one reopened within ReopenWindow, or a new
// one.
func (s *Service) threadTicket(ctx context.Context, tx Tx, in channels.Inbound, ident Identity, now time.Time) (Ticket, bool, error) {
	t, err := s.conversationTicket(ctx, tx, in, ident)
	switch {
	case err == nil && (t.Status != StatusResolved || (!in.NewConversation && now.Sub(t.UpdatedAt) <= ReopenWindow)):
		return t, false, nil // TouchTicket reopens a pending or resolved one
	case err == nil:
		// Resolved too long ago, or the customer started over: close it,
		// and the message starts anew.
		t.Status = StatusClosed
		t.UpdatedAt = now
		if err := tx.UpdateTicket(ctx, t); err != nil {
			return Ticket{}, false, err
		}
	case !errors.Is(err, ErrNotFound):
		return Ticket{}, false, err
	}
	t = Ticket{
		ID:            NewID(),
		ContactID:     ident.ContactID,
		IdentityID:    ident.ID,
		Channel:       in.Channel,
		ThreadKey:     in.ThreadKey,
		Status:        StatusOpen,
		Priority:      PriorityNormal,
		Subject:       subject(in.Text),
		Preview:       preview(in.Text),
		LastMessageAt: now,
		CreatedAt:     now,
		UpdatedAt:     now,
		Tags:          []string{},
		LastSeq:       1, // the message that opens it
	}
	if in.Email != nil && in.Email.Subject != "" {
		t.Subject = truncateRunes(in.Email.Subject, subjectRunes)
	}
	if s.startsWithBot(in.Channel) {
		t.Status = StatusBot
	}
	s.routeNew(ctx, tx, &t, in.Text, append([]Identity{ident}, partyIdentities(in.Links)...))
	if t.TeamID == "" && in.DefaultTeam != "" {
		if team, err := tx.TeamByName(ctx, in.DefaultTeam); err == nil {
			t.TeamID = team.ID
		} else {
			s.log.Warn("desk: default team of the channel not found", "team", in.DefaultTeam, "err", err)
		}
	}
	if err := tx.InsertTicket(ctx, &t); err != nil {
		return Ticket{}, false, err
	}
	return t, true, nil
}

// conversationTicket is the ticket a message continues: the one the
// channel named (email threading, where the sender may be another
// participant than the ticket's contact) or else the sender's active one
// in this conversation. A closed named ticket is not found, so the
// message opens a new one.
func (s *Service) conversationTicket(ctx context.Context, r Reader, in channels.Inbound, ident Identity) (Ticket, error) {
	if in.TicketID == "" {
		return r.ActiveTicket(ctx, ident.ContactID, in.Channel, in.ThreadKey)
	}
	t, err := r.Ticket(ctx, in.TicketID)
	if err != nil {
		return Ticket{}, err
	}
	if t.Status == StatusClosed {
		return Ticket{}, fmt.Errorf("ticket %s is closed: %w", t.ID, ErrNotFound)
	}
	return t, nil
}

func validateInbound(in *channels.Inbound) error {
	switch {
	case in.Channel == "":
		return Errorf(CodeInvalid, "channel is required")
	case len(in.ExternalID) > MaxExternalIDBytes:
		return Errorf(CodeInvalid, "external_id is longer than %d bytes", MaxExternalIDBytes)
	case len(in.ThreadKey) > MaxThreadKeyBytes:
		return Errorf(CodeInvalid, "thread_key is longer than %d bytes", MaxThreadKeyBytes)
	case !ValidIdentityKind(in.From.Kind):
		return Errorf(CodeInvalid, "from.kind %q is not one of webchat, telegram, email, phone, customer_no, api", in.From.Kind)
	case strings.TrimSpace(in.From.Value) == "":
		return Errorf(CodeInvalid, "from.value is required")
	case len(in.From.Value) > MaxPartyValueBytes:
		return Errorf(CodeInvalid, "from.value is longer than %d bytes", MaxPartyValueBytes)
	case len(in.From.Name) > MaxNameBytes:
		return Errorf(CodeInvalid, "from.name is longer than %d bytes", MaxNameBytes)
	case len(in.Text) > MaxTextBytes || len(in.HTML) > MaxTextBytes:
		return Errorf(CodeTooLarge, "text is longer than %d bytes", MaxTextBytes)
	}
	for _, f := range []string{in.ExternalID, in.ThreadKey, in.From.Value, in.From.Name, in.Text, in.HTML, in.TicketID} {
		if !ValidText(f) {
			return Errorf(CodeInvalid, "text fields must be valid UTF-8 without NUL characters")
		}
	}
	if err := checkEmail(in.Email); err != nil {
		return err
	}
	// Sanitized before the emptiness check: markup that was all script
	// is no message.
	in.HTML = SanitizeHTML(in.HTML)
	if strings.TrimSpace(in.Text) == "" && strings.TrimSpace(in.HTML) == "" && len(in.Attachments) == 0 {
		return Errorf(CodeInvalid, "text is required")
	}
	if err := checkAttachments(in.Attachments); err != nil {
		return err
	}
	if in.From.Kind == IdentityEmail {
		in.From.Value = strings.ToLower(strings.TrimSpace(in.From.Value))
	}
	return nil
}

// ValidText reports whether s can be stored as text on every database:
// valid UTF-8 and no NUL byte (PostgreSQL refuses those).
func ValidText(s string) bool {
	return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0
}

// preview is the start of a message as an inbox shows it: one line.
func preview(text string) string {
	return truncateRunes(strings.Join(strings.Fields(text), " "), PreviewLen)
}

// subject is the first line of the first message, shortened.
func subject(text string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	return truncateRunes(strings.TrimSpace(line), subjectRunes)
}

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
