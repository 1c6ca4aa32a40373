package desk

import (
	"context"
	"time"
)

// Store is the record: every fact the desk acknowledges is committed here
// first. store.DB implements it on SQLite and PostgreSQL.
//
// Errors: a missing row is an error for which errors.Is(err, ErrNotFound)
// holds; a unique violation (a racing insert, a replayed external id) one for
// which errors.Is(err, ErrConflict) holds. Both are wrapped with context.
type Store interface {
	Reader
	// Tx runs fn in one transaction: committed if fn returns nil, rolled
	// back otherwise. fn may run again if the database reports a
	// serialization failure, so it must not have side effects outside tx.
	Tx(ctx context.Context, fn func(tx Tx) error) error
	Ping(ctx context.Context) error
	Close() error
}

// Reader holds the queries. Inside a Tx they see the transaction's writes.
type Reader interface {
	SLAReader
	RoutingReader
	FactsReader
	RetentionReader
	OfficialReader
	ComplaintReader
	ContactReader

	Ticket(ctx context.Context, id string) (Ticket, error)
	// ActiveTicket is the newest ticket of contact on (channel, threadKey)
	// that is not closed.
	ActiveTicket(ctx context.Context, contactID, channel, threadKey string) (Ticket, error)
	Tickets(ctx context.Context, f TicketFilter) (TicketPage, error)
	// CountTickets counts what Tickets would list, without paging.
	CountTickets(ctx context.Context, f TicketFilter) (int, error)
	// TicketChannels lists the channels tickets came by, sorted.
	TicketChannels(ctx context.Context) ([]string, error)

	Message(ctx context.Context, id string) (Message, error)
	MessageByExternalID(ctx context.Context, channel, externalID string) (Message, error)
	// Messages lists a ticket's timeline oldest first, after the message id
	// after (empty: from the start), at most limit.
	Messages(ctx context.Context, ticketID, after string, limit int) ([]Message, error)
	// MessagesAfterSeq lists a ticket's messages with Seq > after in Seq
	// order, at most limit: what a live view that saw after missed.
	MessagesAfterSeq(ctx context.Context, ticketID string, after int64, limit int) ([]Message, error)

	// Contact returns a contact with its identities.
	Contact(ctx context.Context, id string) (Contact, error)
	Identity(ctx context.Context, id string) (Identity, error)
	IdentityByValue(ctx context.Context, kind, value string) (Identity, error)

	Agent(ctx context.Context, id string) (Agent, error)
	AgentByEmail(ctx context.Context, email string) (Agent, error)
	Agents(ctx context.Context) ([]Agent, error)
	Team(ctx context.Context, id string) (Team, error)
	TeamByName(ctx context.Context, name string) (Team, error)
	Teams(ctx context.Context) ([]Team, error)

	TokenByHash(ctx context.Context, hash []byte) (Token, error)
	SessionByHash(ctx context.Context, hash []byte) (Session, error)

	// Attachments lists the files of a ticket's messages without bytes.
	Attachments(ctx context.Context, ticketID string) ([]Attachment, error)
	// Attachment returns one file with its bytes.
	Attachment(ctx context.Context, id string) (Attachment, error)

	// CannedReplies lists the canned replies of the given teams and the
	// global ones (team ""); all of them when teamIDs is nil.
	CannedReplies(ctx context.Context, teamIDs []string) ([]CannedReply, error)
	CannedReply(ctx context.Context, id string) (CannedReply, error)

	Sites(ctx context.Context) ([]Site, error)
	Site(ctx context.Context, id string) (Site, error)
	SiteByKey(ctx context.Context, key string) (Site, error)

	// Idempotency returns what was recorded for (scope, key).
	Idempotency(ctx context.Context, scope, key string) (string, error)

	// AuditLog lists entries newest first, before the entry id before
	// (empty: from the newest), at most limit.
	AuditLog(ctx context.Context, before string, limit int) ([]AuditEntry, error)
	// AuditSearch lists entries newest first that match the query.
	AuditSearch(ctx context.Context, q AuditQuery) ([]AuditEntry, error)
	// Tokens lists every API token, newest first (hashes included; the
	// service leaves them out of answers).
	Tokens(ctx context.Context) ([]Token, error)

	// Verification is the proof recorded on ticket id (ErrNotFound: none).
	Verification(ctx context.Context, ticketID string) (Verification, error)
	// OTPAttempts lists the code attempts on ticketID since, oldest first.
	OTPAttempts(ctx context.Context, ticketID string, since time.Time) ([]OTPAttempt, error)
}

// Tx holds the writes; every one of them runs inside Store.Tx.
type Tx interface {
	Reader
	SLAWriter
	RoutingWriter
	FactsWriter
	RetentionWriter
	OfficialWriter
	ComplaintWriter
	ContactWriter

	InsertContact(ctx context.Context, c Contact) error
	InsertIdentity(ctx context.Context, id Identity) error
	// VerifyIdentity records that identity id was proved, how and by whom.
	VerifyIdentity(ctx context.Context, id string, at time.Time, method, verifier string) error
	// MergeContacts moves the identities, tickets, messages and notes of
	// contact from to contact into and marks from as merged.
	MergeContacts(ctx context.Context, from, into string) error

	// InsertTicket stores t and sets t.Number to the next public number.
	InsertTicket(ctx context.Context, t *Ticket) error
	// UpdateTicket stores every field of t; use it only on a ticket read in
	// the same transaction by a path that owns all of it (creation, close).
	UpdateTicket(ctx context.Context, t Ticket) error
	// TouchTicket applies a new message to ticket id in one statement and
	// returns the ticket as stored. A closed or missing ticket is
	// ErrNotFound.
	TouchTicket(ctx context.Context, id string, tt TicketTouch) (Ticket, error)
	// SetTicketFields writes only the fields set in f (and updated_at) and
	// returns the ticket as stored; a closed or missing ticket is
	// ErrNotFound.
	SetTicketFields(ctx context.Context, id string, f TicketFields, at time.Time) (Ticket, error)

	// InsertMessage stores m; with m.Seq zero it takes the ticket's next
	// Seq itself.
	InsertMessage(ctx context.Context, m Message) error
	InsertAttachment(ctx context.Context, a Attachment) error
	SetDelivery(ctx context.Context, messageID string, d Delivery, reason string) error

	InsertOutbox(ctx context.Context, o OutboxItem) error

	InsertAgent(ctx context.Context, a Agent) error
	// UpdateAgent stores name, role, active, password hash and team ids.
	UpdateAgent(ctx context.Context, a Agent) error
	InsertTeam(ctx context.Context, t Team) error

	InsertCannedReply(ctx context.Context, c CannedReply) error
	DeleteCannedReply(ctx context.Context, id string) error
	UpdateCannedReply(ctx context.Context, c CannedReply) error
	InsertSite(ctx context.Context, s Site) error
	UpdateSite(ctx context.Context, s Site) error

	InsertToken(ctx context.Context, t Token) error
	// RevokeToken marks a token revoked at at; not found when there is no
	// such token or it was revoked before.
	RevokeToken(ctx context.Context, id string, at time.Time) error
	TouchToken(ctx context.Context, id string, at time.Time) error
	InsertSession(ctx context.Context, s Session) error
	DeleteSession(ctx context.Context, id string) error

	// PutIdempotency records ref for (scope, key); ErrConflict if present.
	PutIdempotency(ctx context.Context, scope, key, ref string, at time.Time) error

	InsertAudit(ctx context.Context, e AuditEntry) error
	// PutVerification records v on its ticket, replacing an earlier one.
	PutVerification(ctx context.Context, v Verification) error
	InsertOTPAttempt(ctx context.Context, a OTPAttempt) error
}

// OutboxStore is what the sender worker needs; the same store implements it.
type OutboxStore interface {
	// ClaimOutbox leases up to limit items whose next attempt is due and
	// whose lease has run out, for lease; a claimed item is invisible to
	// other claimers (on any node) until then. Attempts is incremented.
	ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]OutboxItem, error)
	// FinishOutbox removes the item and records the message's final
	// delivery state (sent or failed with reason) in one transaction.
	FinishOutbox(ctx context.Context, itemID, messageID string, d Delivery, reason string) error
	// RetryOutbox schedules the item's next attempt and records the error.
	RetryOutbox(ctx context.Context, itemID string, next time.Time, reason string) error
}
