package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"huiliu/desk/pii"
)

// A complaint is a ticket of category CategoryComplaint with a Complaint
// row: where it came from, how serious it is, who answers for it and its
// deadlines (docs/complaints.md).
const (
	CategoryComplaint = "complaint"
	// TagComplaint marks a registered complaint; TagComplaintSuspected a
	// ticket whose customer wrote like a complaint, for an agent to confirm
	// or dismiss; TagComplaintDismissed a suspicion an agent dismissed,
	// which later messages do not raise again.
	TagComplaint          = "complaint"
	TagComplaintSuspected = "complaint-suspected"
	TagComplaintDismissed = "complaint-dismissed"
)

// ComplaintSource is where a complaint came from.
type ComplaintSource string

const (
	SourceCustomer  ComplaintSource = "customer"  // the customer, on any channel
	SourceRegulator ComplaintSource = "regulator" // a referral: 12315, the financial regulator's 12378, …
	SourceSocial    ComplaintSource = "social"    // social media, the press
	SourceInternal  ComplaintSource = "internal"  // raised inside the company
)

// ComplaintSources lists the sources in the order forms offer them.
var ComplaintSources = []ComplaintSource{SourceCustomer, SourceRegulator, SourceSocial, SourceInternal}

// Valid reports a known source.
func (s ComplaintSource) Valid() bool { return slices.Contains(ComplaintSources, s) }

// Severity is how serious a complaint is.
type Severity string

const (
	SeverityLow      Severity = "low"
	SeverityNormal   Severity = "normal"
	SeverityHigh     Severity = "high"
	SeverityCritical Severity = "critical"
)

// Severities lists them from least to most serious.
var Severities = []Severity{SeverityLow, SeverityNormal, SeverityHigh, SeverityCritical}

// Valid reports a known severity.
func (s Severity) Valid() bool { return slices.Contains(Severities, s) }

// ComplaintStatus is where a complaint stands. It follows the ticket: the
// first public agent reply after filing makes it responded, resolving or
// closing the ticket resolved, a reopening customer message takes it back.
type ComplaintStatus string

const (
	ComplaintOpen      ComplaintStatus = "open"
	ComplaintResponded ComplaintStatus = "responded"
	ComplaintResolved  ComplaintStatus = "resolved"
	// ComplaintWithdrawn is a ticket turned back into "not a complaint";
	// the row stays for the record and counts as no complaint.
	ComplaintWithdrawn ComplaintStatus = "withdrawn"
)

// ComplaintStatuses lists every status.
var ComplaintStatuses = []ComplaintStatus{ComplaintOpen, ComplaintResponded, ComplaintResolved, ComplaintWithdrawn}

// Limits of a complaint's texts.
const (
	maxComplaintSummaryRunes = 2000
	maxComplaintWantsRunes   = 1000
	maxRegulatorRefRunes     = 64
	maxWithdrawReasonRunes   = 500
)

// Complaint is the register's row of a complaint ticket. Times not reached
// yet are nil.
type Complaint struct {
	TicketID     string          `json:"ticket_id"`
	TicketNumber int64           `json:"ticket_number"`
	Subject      string          `json:"subject"`
	Source       ComplaintSource `json:"source"`
	RegulatorRef string          `json:"regulator_ref"`
	Severity     Severity        `json:"severity"`
	Summary      string          `json:"summary"`
	Wants        string          `json:"wants"`
	OwnerID      string          `json:"owner_id"`
	TeamID       string          `json:"team_id"`
	Status       ComplaintStatus `json:"status"`
	// FiledBy is the agent's id, or "bot:<name>" / "system:<name>".
	FiledBy string `json:"filed_by"`
	// PolicyID is the SLA policy the deadlines came from ("" none).
	PolicyID              string     `json:"policy_id"`
	CreatedAt             time.Time  `json:"created_at"`
	AcceptedAt            *time.Time `json:"accepted_at"`
	FirstResponseAt       *time.Time `json:"first_response_at"`
	ResolvedAt            *time.Time `json:"resolved_at"`
	DeadlineFirstResponse *time.Time `json:"deadline_first_response"`
	DeadlineResolution    *time.Time `json:"deadline_resolution"`
	// RegulatorDue is a referral's own deadline for the outcome; the
	// resolution deadline is never later than it.
	RegulatorDue    *time.Time `json:"regulator_due"`
	WithdrawnAt     *time.Time `json:"withdrawn_at"`
	WithdrawnBy     string     `json:"withdrawn_by"`
	WithdrawnReason string     `json:"withdrawn_reason"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// Active reports a complaint still being worked (not resolved, not
// withdrawn).
func (c Complaint) Active() bool {
	return c.Status == ComplaintOpen || c.Status == ComplaintResponded
}

// NextDeadline is the deadline the complaint works towards now: the first
// response until there is one, then the resolution; nil when it is done
// or has none.
func (c Complaint) NextDeadline() *time.Time {
	if !c.Active() {
		return nil
	}
	if c.FirstResponseAt == nil && c.DeadlineFirstResponse != nil {
		return c.DeadlineFirstResponse
	}
	return c.DeadlineResolution
}

// Overdue reports an active complaint past the deadline it works towards.
func (c Complaint) Overdue(now time.Time) bool {
	d := c.NextDeadline()
	return d != nil && now.After(*d)
}

// ComplaintInput is what filing a complaint records.
type ComplaintInput struct {
	// Source defaults to customer.
	Source ComplaintSource
	// RegulatorRef names the referral (12315, 12378 or its case number).
	RegulatorRef string
	// RegulatorDue is the referral's own deadline for the outcome
	// (optional); the resolution deadline is the earlier of it and the
	// policy's.
	RegulatorDue time.Time
	// Severity defaults to normal.
	Severity Severity
	Summary  string
	Wants    string
	// OwnerID is the agent who answers for it; empty: the filing agent, or
	// for the bot and the system the ticket's owner, else nobody until an
	// agent accepts it.
	OwnerID string
}

func (in *ComplaintInput) normalize() error {
	in.Summary, in.Wants, in.RegulatorRef = strings.TrimSpace(in.Summary), strings.TrimSpace(in.Wants), strings.TrimSpace(in.RegulatorRef)
	if in.Source == "" {
		in.Source = SourceCustomer
	}
	if in.Severity == "" {
		in.Severity = SeverityNormal
	}
	switch {
	case !in.Source.Valid():
		return Errorf(CodeInvalid, "source must be customer, regulator, social or internal").Say("complaints.err.source")
	case !in.Severity.Valid():
		return Errorf(CodeInvalid, "severity must be low, normal, high or critical").Say("complaints.err.severity")
	case utf8.RuneCountInString(in.Summary) > maxComplaintSummaryRunes || !ValidText(in.Summary),
		utf8.RuneCountInString(in.Wants) > maxComplaintWantsRunes || !ValidText(in.Wants):
		return Errorf(CodeInvalid, "summary is at most %d characters, wants at most %d", maxComplaintSummaryRunes, maxComplaintWantsRunes)
	case utf8.RuneCountInString(in.RegulatorRef) > maxRegulatorRefRunes || !ValidText(in.RegulatorRef) || strings.ContainsAny(in.RegulatorRef, "\r\n\t"):
		return Errorf(CodeInvalid, "regulator_ref is one line of at most %d characters", maxRegulatorRefRunes)
	case in.Source != SourceRegulator && (in.RegulatorRef != "" || !in.RegulatorDue.IsZero()):
		return Errorf(CodeInvalid, "regulator_ref and regulator_due belong to a regulator referral (source regulator)")
	}
	return nil
}

// FileComplaint registers ticket ticketID as a complaint: category
// complaint, tag complaint (a suspicion tag goes), the register's row with
// deadlines from the SLA policy the ticket now matches, a timeline entry and
// an audit entry, in one transaction. The bot (BotActor) and the system
// file too; an agent must see the ticket. A ticket that is a complaint
// already is a conflict; one withdrawn earlier is filed afresh.
func (s *Service) FileComplaint(ctx context.Context, actor Actor, ticketID string, in ComplaintInput) (Complaint, error) {
	if actor.Agent != nil {
		if _, err := s.VisibleTicket(ctx, *actor.Agent, ticketID); err != nil {
			return Complaint{}, err
		}
	}
	if err := in.normalize(); err != nil {
		return Complaint{}, err
	}
	if err := s.ensureComplaintDefaults(ctx); err != nil {
		// Deadlines fall to whatever policy matches; filing goes on.
		s.log.Warn("desk: complaint defaults", "err", err)
	}
	var c Complaint
	var t Ticket
	var m Message
	err := s.store.Tx(ctx, func(tx Tx) error {
		cur, err := tx.Ticket(ctx, ticketID)
		if err != nil {
			return notFoundAs(err, "ticket %s not found", ticketID)
		}
		if cur.Status == StatusClosed {
			return Errorf(CodeConflict, "ticket %d is closed", cur.Number).Say("complaints.err.closed")
		}
		now := s.now().UTC()
		owner, err := complaintOwner(ctx, tx, actor, cur, in.OwnerID)
		if err != nil {
			return err
		}
		f := TicketFields{Category: new(CategoryComplaint)}
		tags := slices.DeleteFunc(slices.Clone(cur.Tags), func(tag string) bool {
			return tag == TagComplaintSuspected || tag == TagComplaintDismissed
		})
		if !slices.Contains(tags, TagComplaint) {
			tags = append(tags, TagComplaint)
		}
		if len(tags) > MaxTags {
			return Errorf(CodeInvalid, "a ticket has at most %d tags", MaxTags)
		}
		f.Tags = &tags
		if p := severityPriority(in.Severity); priorityRank(p) > priorityRank(cur.Priority) {
			f.Priority = &p
		}
		if t, err = tx.SetTicketFields(ctx, ticketID, f, now); err != nil {
			return err
		}
		// Read after the ticket's row is written (and so locked, on
		// PostgreSQL): a concurrent filing of the same ticket waits for it
		// and then finds this one.
		old, err := tx.Complaint(ctx, ticketID)
		switch {
		case err == nil && old.Status != ComplaintWithdrawn:
			return Errorf(CodeConflict, "ticket %d is a complaint already", cur.Number).Say("complaints.err.already")
		case err != nil && !errors.Is(err, ErrNotFound):
			return err
		}
		c = Complaint{TicketID: t.ID, TicketNumber: t.Number, Subject: t.Subject, Source: in.Source, RegulatorRef: in.RegulatorRef,
			Severity: in.Severity, Summary: in.Summary, Wants: in.Wants, OwnerID: owner, TeamID: t.TeamID,
			Status: ComplaintOpen, FiledBy: actorRef(actor), CreatedAt: now, UpdatedAt: now}
		if owner != "" {
			c.AcceptedAt = &now
		}
		if !in.RegulatorDue.IsZero() {
			due := in.RegulatorDue.UTC()
			c.RegulatorDue = &due
		}
		if err := s.complaintDeadlines(ctx, tx, t, &c); err != nil {
			return err
		}
		if err := tx.PutComplaint(ctx, c); err != nil {
			return err
		}
		e := SystemEvent{Action: "complaint_filed", Args: map[string]string{"by": actorLabel(actor), "source": string(c.Source), "severity": string(c.Severity)}}
		m, err = s.recordEntry(ctx, tx, &t, actor, actor.Author(), e, e.complaintText(), now)
		return err
	})
	if err != nil {
		return Complaint{}, fmt.Errorf("desk: file complaint on ticket %s: %w", ticketID, err)
	}
	s.publish(ctx, messageEvent(EventMessageCreated, t, m))
	s.publish(ctx, ticketEvent(EventTicketUpdated, t, t))
	s.notify(ctx, Change{Kind: ChangeChanged, Ticket: t, Message: &m, Actor: actor})
	return maskComplaint(c), nil
}

// complaintOwner is who answers for a new complaint: the one named (an
// active agent), else the filing agent, else the ticket's owner.
func complaintOwner(ctx context.Context, r Reader, actor Actor, t Ticket, named string) (string, error) {
	switch {
	case named != "":
		a, err := r.Agent(ctx, named)
		if err != nil {
			return "", notFoundAs(err, "owner_id: agent %s not found", named)
		}
		if !a.Active {
			return "", Errorf(CodeInvalid, "agent %s is deactivated", a.Name).Say("err.agent_deactivated", "name", a.Name)
		}
		return a.ID, nil
	case actor.Agent != nil:
		return actor.Agent.ID, nil
	}
	return t.OwnerID, nil
}

// severityPriority is the ticket priority a severity asks for at least.
func severityPriority(s Severity) Priority {
	switch s {
	case SeverityCritical:
		return PriorityUrgent
	case SeverityHigh:
		return PriorityHigh
	}
	return PriorityNormal
}

func priorityRank(p Priority) int {
	return slices.Index([]Priority{PriorityLow, PriorityNormal, PriorityHigh, PriorityUrgent}, p)
}

// actorRef is how the register records who filed.
func actorRef(a Actor) string {
	if a.Agent != nil {
		return a.Agent.ID
	}
	return string(a.Author()) + ":" + a.Name
}

// actorLabel is the name a timeline entry shows.
func actorLabel(a Actor) string {
	if a.Agent != nil {
		return a.Agent.Name
	}
	if a.Name != "" {
		return a.Name
	}
	return string(a.Author())
}

// complaintText is the English form of a complaint's timeline entry.
func (e SystemEvent) complaintText() string {
	a := e.Args
	switch e.Action {
	case "complaint_filed":
		return fmt.Sprintf("%s registered a complaint (source %s, severity %s)", a["by"], a["source"], a["severity"])
	case "complaint_withdrawn":
		return fmt.Sprintf("%s marked the ticket as not a complaint: %s", a["by"], a["reason"])
	case "complaint_suspected":
		return fmt.Sprintf("the customer's message looks like a complaint (%s); confirm or dismiss", a["terms"])
	case "complaint_changed":
		return fmt.Sprintf("%s changed the complaint: %s", a["by"], a["what"])
	}
	return e.Action
}

func maskComplaint(c Complaint) Complaint {
	c.Subject = pii.MaskCut(c.Subject)
	c.Summary = pii.Mask(c.Summary)
	c.Wants = pii.Mask(c.Wants)
	c.WithdrawnReason = pii.Mask(c.WithdrawnReason)
	return c
}

// Complaint is ticket id's complaint for an agent who may see the ticket.
func (s *Service) Complaint(ctx context.Context, a Agent, ticketID string) (Complaint, error) {
	if _, err := s.VisibleTicket(ctx, a, ticketID); err != nil {
		return Complaint{}, err
	}
	c, err := found(s.store.Complaint(ctx, ticketID))("complaint", ticketID)
	if err != nil {
		return Complaint{}, err
	}
	return maskComplaint(c), nil
}

// Limits of the register.
const (
	DefaultComplaintPage = 100
	MaxComplaintPage     = 1000
)

// Complaints lists the register: supervisors and admins see every
// complaint, agents those of tickets they may see (their teams').
func (s *Service) Complaints(ctx context.Context, a Agent, f ComplaintFilter) ([]Complaint, error) {
	f.Visibility = VisibilityOf(a)
	if f.Limit <= 0 {
		f.Limit = DefaultComplaintPage
	}
	if f.Limit > MaxComplaintPage {
		f.Limit = MaxComplaintPage
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	if f.Sort != "" && f.Sort != "deadline" && f.Sort != "created" {
		return nil, Errorf(CodeInvalid, "sort must be deadline or created")
	}
	for _, st := range f.Status {
		if !slices.Contains(ComplaintStatuses, st) {
			return nil, Errorf(CodeInvalid, "status must be open, responded, resolved or withdrawn")
		}
	}
	if f.Source != "" && !f.Source.Valid() {
		return nil, Errorf(CodeInvalid, "source must be customer, regulator, social or internal").Say("complaints.err.source")
	}
	if f.Severity != "" && !f.Severity.Valid() {
		return nil, Errorf(CodeInvalid, "severity must be low, normal, high or critical").Say("complaints.err.severity")
	}
	if f.Overdue && f.OverdueAt.IsZero() {
		f.OverdueAt = s.now()
	}
	cs, err := s.store.Complaints(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("desk: complaints: %w", err)
	}
	for i := range cs {
		cs[i] = maskComplaint(cs[i])
	}
	return cs, nil
}
