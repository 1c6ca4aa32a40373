package desk

import (
	"context"
	"time"
)

// Quality sampling and scorecards (质检): supervisors pick closed tickets
// each week, reviewers score them on a versioned scorecard, the reviewed
// agent acknowledges or disputes the result and a supervisor settles a
// dispute. See docs/quality.md.

// PermQAReview lets an agent review quality samples; supervisors and
// admins review by their role.
const PermQAReview = "qa.review"

// Review statuses.
const (
	QAAssigned     = "assigned"     // waiting for its reviewer
	QASubmitted    = "submitted"    // scored; the agent may acknowledge or dispute
	QAAcknowledged = "acknowledged" // the agent accepted it
	QADisputed     = "disputed"     // the agent disputes it; a supervisor settles
	QASettled      = "settled"      // a supervisor upheld or amended it
)

// Why a ticket was sampled.
const (
	QAReasonRandom      = "random"
	QAReasonComplaint   = "complaint"
	QAReasonCSAT        = "csat"
	QAReasonSLA         = "sla"
	QAReasonTransfer    = "transfer"
	QAReasonCalibration = "calibration"
)

// QARules are the always-sample rules a plan may switch on, in the order
// a ticket matching several is recorded under.
var QARules = []string{QAReasonComplaint, QAReasonCSAT, QAReasonSLA, QAReasonTransfer}

// Settlement outcomes.
const (
	QAUpheld  = "upheld"
	QAAmended = "amended"
)

// Limits of quality reviews.
const (
	QAMaxScore          = 5  // a criterion is scored 0..QAMaxScore
	QAMaxCriteria       = 20 // per scorecard
	QAMaxPerAgent       = 50 // random samples per agent and week
	QAMaxReviewers      = 50 // per plan or calibration
	qaMaxNameRunes      = 80
	qaMaxTextRunes      = 2000 // notes, comments, dispute reasons
	qaMaxCriterionRunes = 500  // a criterion's description
	// qaMaxCandidates bounds the closed tickets one plan's week reads.
	qaMaxCandidates = 200_000
	qaListLimit     = 200
	// CSATLowScore: an answered survey at or below it is always sampled.
	CSATLowScore = 2
)

// QACriterion is one line of a scorecard. Name and Description are per
// language (zh-CN, zh-TW, en); Key is stable across versions.
type QACriterion struct {
	Key         string            `json:"key"`
	Weight      int               `json:"weight"`
	Name        map[string]string `json:"name"`
	Description map[string]string `json:"description"`
}

// QAScorecard is a card at one version. A version never changes once
// written: saving writes the next version, and reviews keep theirs.
type QAScorecard struct {
	ID        string        `json:"id"`
	Name      string        `json:"name"`
	Version   int           `json:"version"`
	Current   int           `json:"current_version"`
	Criteria  []QACriterion `json:"criteria"`
	CreatedBy string        `json:"created_by,omitempty"`
	CreatedAt time.Time     `json:"created_at"`
	UpdatedAt time.Time     `json:"updated_at"`
}

// QAPlan samples closed tickets each week.
type QAPlan struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	ScorecardID string `json:"scorecard_id"`
	// TeamID limits the plan to one team's tickets; "" all.
	TeamID string `json:"team_id"`
	// PerAgent random closed tickets per agent and week, spread over the
	// channels the agent worked.
	PerAgent int `json:"per_agent"`
	// Rules are always-sample rules (QARules).
	Rules     []string  `json:"rules"`
	Reviewers []string  `json:"reviewers"`
	Active    bool      `json:"active"`
	RRNext    int       `json:"-"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// QAScore is a reviewer's score of one criterion.
type QAScore struct {
	Key   string `json:"key"`
	Score int    `json:"score"`
	Note  string `json:"note,omitempty"`
}

// QAReview is one sampled ticket's review.
type QAReview struct {
	ID               string    `json:"id"`
	TicketID         string    `json:"ticket_id"`
	TicketNumber     int64     `json:"ticket_number"`
	AgentID          string    `json:"agent_id"`
	ReviewerID       string    `json:"reviewer_id"`
	ScorecardID      string    `json:"scorecard_id"`
	ScorecardVersion int       `json:"scorecard_version"`
	PlanID           string    `json:"plan_id,omitempty"`
	Week             string    `json:"week,omitempty"`
	Reason           string    `json:"reason"`
	Channel          string    `json:"channel"`
	CalibrationID    string    `json:"calibration_id,omitempty"`
	Scores           []QAScore `json:"scores"`
	Note             string    `json:"note,omitempty"`
	Total            int       `json:"total"`
	OriginalTotal    int       `json:"original_total"`
	Status           string    `json:"status"`
	CreatedAt        time.Time `json:"created_at"`
	SubmittedAt      time.Time `json:"submitted_at,omitzero"`
	AcknowledgedAt   time.Time `json:"acknowledged_at,omitzero"`
	DisputeReason    string    `json:"dispute_reason,omitempty"`
	DisputedAt       time.Time `json:"disputed_at,omitzero"`
	SettledBy        string    `json:"settled_by,omitempty"`
	SettledAt        time.Time `json:"settled_at,omitzero"`
	SettleOutcome    string    `json:"settle_outcome,omitempty"`
	SettleNote       string    `json:"settle_note,omitempty"`
}

// QAComment is a reviewer's comment on one message of the reviewed ticket.
type QAComment struct {
	ID        string    `json:"id"`
	ReviewID  string    `json:"review_id"`
	MessageID string    `json:"message_id"`
	AuthorID  string    `json:"author_id"`
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
}

// QACalibration gives one ticket to several reviewers to compare scores.
type QACalibration struct {
	ID               string    `json:"id"`
	TicketID         string    `json:"ticket_id"`
	ScorecardID      string    `json:"scorecard_id"`
	ScorecardVersion int       `json:"scorecard_version"`
	CreatedBy        string    `json:"created_by"`
	CreatedAt        time.Time `json:"created_at"`
}

// QARun records that a plan's week was sampled.
type QARun struct {
	PlanID    string    `json:"plan_id"`
	Week      string    `json:"week"`
	Samples   int       `json:"samples"`
	StartedBy string    `json:"started_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// QACandidate is a closed ticket a plan may sample, with what the rules
// look at.
type QACandidate struct {
	TicketID   string
	Number     int64
	Channel    string
	Category   string
	TeamID     string
	OwnerID    string
	AssigneeID string
	Handoff    bool
	// ClosedAt is when the ticket last changed (it is resolved or closed).
	ClosedAt time.Time
	// Workers are the agents who wrote to the customer or a note on the
	// ticket (not those who only moved or closed it).
	Workers []string
	// SLAClocks is the ticket's ticket_sla row (JSON), "" none.
	SLAClocks string
}

// QAReviewFilter selects reviews; empty fields do not filter.
type QAReviewFilter struct {
	ReviewerID    string
	AgentID       string
	Statuses      []string
	CalibrationID string
	// Scored: submitted at least once.
	Scored bool
	// NoCalibration leaves calibration reviews out.
	NoCalibration bool
	Limit         int
}

// QAReader holds the quality queries; store.DB implements it.
type QAReader interface {
	QAScorecards(ctx context.Context) ([]QAScorecard, error)
	// QAScorecard reads a card at version (0: its current version).
	QAScorecard(ctx context.Context, id string, version int) (QAScorecard, error)
	QAPlans(ctx context.Context) ([]QAPlan, error)
	QAPlan(ctx context.Context, id string) (QAPlan, error)
	QARun(ctx context.Context, planID, week string) (QARun, error)
	// QACandidates lists tickets resolved or closed (last changed) in
	// [from, to), of team ("" any), at most limit, by id.
	QACandidates(ctx context.Context, from, to time.Time, teamID string, limit int) ([]QACandidate, error)
	// QALowCSAT returns which of the tickets have an answered survey
	// scoring at most maxScore.
	QALowCSAT(ctx context.Context, ticketIDs []string, maxScore int) (map[string]bool, error)
	// QATicketWorkers lists the agents who wrote replies or notes on a
	// ticket; system entries (a transfer, a close) do not count.
	QATicketWorkers(ctx context.Context, ticketID string) ([]string, error)
	QAReview(ctx context.Context, id string) (QAReview, error)
	QAReviews(ctx context.Context, f QAReviewFilter) ([]QAReview, error)
	QAComments(ctx context.Context, reviewID string) ([]QAComment, error)
	QACalibration(ctx context.Context, id string) (QACalibration, error)
}

// QAWriter holds their writes.
type QAWriter interface {
	InsertQAScorecard(ctx context.Context, c QAScorecard) error
	// PutQAScorecardVersion stores c.Criteria as version c.Version and
	// makes it current; ErrConflict when that version exists.
	PutQAScorecardVersion(ctx context.Context, c QAScorecard) error
	InsertQAPlan(ctx context.Context, p QAPlan) error
	UpdateQAPlan(ctx context.Context, p QAPlan) error
	// SetQAPlanCursor moves a plan's round-robin position only.
	SetQAPlanCursor(ctx context.Context, id string, next int) error
	// InsertQARun records a plan's week; ErrConflict when it ran already.
	InsertQARun(ctx context.Context, r QARun) error
	InsertQAReview(ctx context.Context, r QAReview) error
	UpdateQAReview(ctx context.Context, r QAReview) error
	InsertQAComment(ctx context.Context, c QAComment) error
	InsertQACalibration(ctx context.Context, c QACalibration) error
}

// QATx is a transaction with the quality reads and writes. store.DB
// implements QAReader and its transactions QATx; the service finds them on
// its Store, so no other store needs them.
type QATx interface {
	Tx
	QAReader
	QAWriter
}
