package desk

import (
	"context"
	"time"
)

// ComplaintFilter selects complaints for the register. Empty fields match
// everything.
type ComplaintFilter struct {
	// Visibility restricts an agent to complaints on tickets they may see
	// (VisibilityOf); nil: all.
	Visibility *Visibility
	Status     []ComplaintStatus
	Source     ComplaintSource
	Severity   Severity
	TeamID     string
	OwnerID    string
	// Overdue keeps complaints not resolved or withdrawn whose resolution
	// or (before a first response) first-response deadline is before
	// OverdueAt.
	Overdue   bool
	OverdueAt time.Time
	// CreatedFrom and CreatedTo bound the filing time (To exclusive).
	CreatedFrom, CreatedTo time.Time
	// Sort is "deadline" (the earliest open deadline first; the default)
	// or "created" (newest first).
	Sort   string
	Limit  int
	Offset int
}

// ComplaintReader holds the complaint register's queries.
type ComplaintReader interface {
	// Complaint is the row of ticket ticketID (ErrNotFound: none).
	Complaint(ctx context.Context, ticketID string) (Complaint, error)
	// Complaints lists rows by the filter, with the ticket's number and
	// subject.
	Complaints(ctx context.Context, f ComplaintFilter) ([]Complaint, error)
	// ComplaintDefaultDone reports whether the default name was put in
	// place once already.
	ComplaintDefaultDone(ctx context.Context, name string) (bool, error)
}

// ComplaintWriter holds its writes.
type ComplaintWriter interface {
	// PutComplaint inserts or replaces the row of c.TicketID.
	PutComplaint(ctx context.Context, c Complaint) error
	// MarkComplaintDefault records that default name was put in place;
	// a second mark is a no-op.
	MarkComplaintDefault(ctx context.Context, name string, at time.Time) error
}
