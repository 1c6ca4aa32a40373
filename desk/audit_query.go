package desk

import (
	"time"
	"unicode/utf8"
)

// MaxAuditPage bounds one page of the audit log (API and page); exports
// read page after page up to MaxAuditExport.
const (
	MaxAuditPage   = 500
	MaxAuditExport = 50000
)

// AuditQuery filters the audit log; zero fields filter nothing.
type AuditQuery struct {
	// ActorID is the acting agent's id.
	ActorID string
	// Action is a prefix of the action: "ticket." finds every ticket action.
	Action string
	// Target is the id of the object acted on (a ticket, an agent…).
	Target string
	// From and To bound the time, From included, To not.
	From, To time.Time
	// Before pages: only entries older than this entry id.
	Before string
	// Limit is the page size (default 50, at most MaxAuditPage).
	Limit int
}

func (q AuditQuery) check() error {
	for _, v := range []string{q.ActorID, q.Action, q.Target, q.Before} {
		if utf8.RuneCountInString(v) > 200 || !ValidText(v) {
			return Errorf(CodeInvalid, "audit filters are at most 200 characters of text")
		}
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.To.After(q.From) {
		return Errorf(CodeInvalid, "to must be after from")
	}
	return nil
}
