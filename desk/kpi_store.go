package desk

import (
	"context"
	"time"
)

// KPIStore is the record of the KPI roll-ups; store.DB implements it on
// both databases.
type KPIStore interface {
	// KPITx runs fn in one transaction, like Store.Tx.
	KPITx(ctx context.Context, fn func(tx KPITx) error) error
	// KPISums adds up kpi_daily over days [from, to) (yyyymmdd) matching
	// f, grouped by group: "" (one row), "day", "agent_id", "team_id",
	// "channel" or "category".
	KPISums(ctx context.Context, f KPIFilter, from, to int, group string) ([]KPIGroup, error)
	// KPIBacklog counts the tickets open and pending now matching f
	// (its AgentID matches the assignee).
	KPIBacklog(ctx context.Context, f KPIFilter) (open, pending int, err error)
	// TicketsUpdatedSince lists the ids of tickets changed at or after
	// since, oldest change first, at most limit, and the change time of the
	// last one listed.
	TicketsUpdatedSince(ctx context.Context, since time.Time, limit int) ([]string, time.Time, error)
	// KPIExtras counts satisfaction surveys, complaints and quality reviews
	// matching f in each of the consecutive spans.
	KPIExtras(ctx context.Context, f KPIFilter, spans []Span) ([]KPIExtra, error)
	// Contacts counts the customers on record.
	CountContacts(ctx context.Context) (int, error)
	// ClaimWeeklySummary claims sending week's summary at at: true if
	// nobody claimed it, or a claim from before stale never finished.
	ClaimWeeklySummary(ctx context.Context, week string, at, stale time.Time) (bool, error)
	// FinishWeeklySummary records that week's summary went out.
	FinishWeeklySummary(ctx context.Context, week string, at time.Time) error
}

// KPITx is what a roll-up sync does inside its transaction.
type KPITx interface {
	Reader
	// LockKPITicket returns ticket id's stored contribution ("" none),
	// holding a lock on it until the transaction ends, so concurrent
	// syncs of one ticket on several nodes apply their differences one
	// after the other.
	LockKPITicket(ctx context.Context, id string) (string, error)
	PutKPITicket(ctx context.Context, id, contrib string, ticketUpdatedAt, at time.Time) error
	// AddKPICounts adds delta to the row of key (created when missing).
	AddKPICounts(ctx context.Context, key KPIKey, delta *Counts) error
}

// KPIFilter narrows the roll-ups; empty fields match all.
type KPIFilter struct {
	AgentID  string `json:"agent_id"`
	TeamID   string `json:"team_id"`
	Channel  string `json:"channel"`
	Category string `json:"category"`
}

// KPIGroup is one group of KPISums.
type KPIGroup struct {
	Key    string
	Counts Counts
}

// KPIExtra is what the satisfaction, complaint and quality tables hold for
// a period. Those rows are few next to tickets and indexed by time, so they
// are counted per period from their own tables rather than rolled up.
type KPIExtra struct {
	SurveysSent     int64 // satisfaction surveys asked
	SurveysAnswered int64
	ScoreSum        int64 // of the answered, 1–5 each
	Satisfied       int64 // answered 4 or 5
	Complaints      int64 // filed, not withdrawn
	Reviews         int64 // quality reviews submitted
	ReviewSum       int64 // their totals, 0–100 each
}
