package desk

import (
	"context"
	"time"
)

// CSATReader reads surveys and their settings. *store.DB and its
// transactions implement it beside Reader.
type CSATReader interface {
	// SurveyByTokenHash finds the survey of a customer's token.
	SurveyByTokenHash(ctx context.Context, hash string) (Survey, error)
	// SurveyByMessage finds the survey a request message asks.
	SurveyByMessage(ctx context.Context, messageID string) (Survey, error)
	// TicketSurveys lists a ticket's surveys, oldest first.
	TicketSurveys(ctx context.Context, ticketID string) ([]Survey, error)
	// ResolutionSeq is the Seq of the ticket's latest status entry to
	// resolved; 0 when there is none.
	ResolutionSeq(ctx context.Context, ticketID string) (int64, error)
	// CSATSettings returns the saved settings of scope (ErrNotFound: none).
	CSATSettings(ctx context.Context, scope string) (CSATSettings, error)
	// AllCSATSettings lists every saved scope.
	AllCSATSettings(ctx context.Context) ([]CSATSettings, error)
}

// CSATWriter writes surveys and settings.
type CSATWriter interface {
	// InsertSurvey stores s unless the ticket has one for s.Cycle already;
	// created says which.
	InsertSurvey(ctx context.Context, s Survey) (created bool, err error)
	// AnswerSurvey records the answer of an open survey; answered is false
	// (and nothing changes) when it was answered before or expired at at.
	AnswerSurvey(ctx context.Context, id string, score int, comment string, at time.Time) (answered bool, err error)
	// PurgeSurveyComments replaces with marker the comments of the
	// surveys of contactID's tickets (the retention purge calls it once
	// every one of them is purged); it counts them.
	PurgeSurveyComments(ctx context.Context, contactID, marker string) (int, error)
	PutCSATSettings(ctx context.Context, c CSATSettings) error
	DeleteCSATSettings(ctx context.Context, scope string) error
}

// CSATStore is a Store that also keeps surveys.
type CSATStore interface {
	Store
	CSATReader
}

// CSATTx is a Tx that also writes surveys.
type CSATTx interface {
	Tx
	CSATReader
	CSATWriter
}
