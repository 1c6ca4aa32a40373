package desk

import (
	"context"
	"time"
)

// PurgeCandidate is a closed ticket whose personal data is due to go.
type PurgeCandidate struct {
	TicketID, ContactID string
}

// PurgeCount is what one purge changed.
type PurgeCount struct {
	Messages, Attachments int
}

// RetentionReader finds what the retention purge has to do.
type RetentionReader interface {
	// PurgeCandidates lists closed tickets last updated before t and not
	// purged yet, by id after the id after, at most limit.
	PurgeCandidates(ctx context.Context, before time.Time, after string, limit int) ([]PurgeCandidate, error)
}

// RetentionWriter holds the purge's writes.
type RetentionWriter interface {
	// PurgeTicket replaces the text and HTML of the ticket's messages and
	// system entries (except status changes and SLA steps, which the SLA
	// clocks replay) and its subject and preview with marker, deletes its
	// attachments and marks it purged at at; it counts the messages and
	// entries it changed.
	PurgeTicket(ctx context.Context, ticketID, marker string, at time.Time) (PurgeCount, error)
	// PurgeContact, when every ticket of the contact is purged, deletes its
	// identities (so a new message from the same address or account starts
	// a new contact) and replaces its name with marker; it returns the
	// identities deleted, and done false when some ticket is not purged.
	PurgeContact(ctx context.Context, contactID, marker string) (identities []Identity, done bool, err error)
}
