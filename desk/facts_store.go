package desk

import (
	"context"
	"time"
)

// FactsReader holds the reads of customer facts, claims and the saved
// policy; store.DB implements it (migrations 00012, 00013).
type FactsReader interface {
	FactPolicyReader
	// CustomerClaim is the claim recorded on ticket id (ErrNotFound: none).
	CustomerClaim(ctx context.Context, ticketID string) (CustomerClaim, error)
	// StoredFacts is the record imported for customerNo (ErrNotFound: none).
	StoredFacts(ctx context.Context, customerNo string) (CustomerFacts, error)
}

// FactsWriter holds the writes.
type FactsWriter interface {
	FactPolicyWriter
	// PutCustomerClaim records c on its ticket, replacing an earlier claim.
	PutCustomerClaim(ctx context.Context, c CustomerClaim) error
	// PutStoredFacts stores f by its customer number and says whether it
	// was created, updated or already the same.
	PutStoredFacts(ctx context.Context, f CustomerFacts, at time.Time) (ImportOutcome, error)
}

// ImportOutcome is what storing one record did.
type ImportOutcome string

const (
	ImportCreated   ImportOutcome = "created"
	ImportUpdated   ImportOutcome = "updated"
	ImportUnchanged ImportOutcome = "unchanged"
)
