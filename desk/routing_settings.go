package desk

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Team routing modes.
const (
	// ModeAuto hands tickets to the least loaded present agent.
	ModeAuto = "auto"
	// ModePull leaves them in the queue until an agent asks for the next.
	ModePull = "pull"
)

// TeamRouting is how a team's queue is worked.
type TeamRouting struct {
	TeamID string `json:"team_id"`
	Mode   string `json:"mode"`
	// ReassignAfter puts a ticket back in the queue when its assignee keeps
	// the customer waiting this long; zero never does.
	ReassignAfter time.Duration `json:"-"`
	// Default teams catch the tickets no rule matches (one at most).
	Default bool `json:"default"`
}

// AgentRouting is what an agent can take: how many open tickets at once
// and, when set, only tickets of these languages, channels and categories.
type AgentRouting struct {
	AgentID        string    `json:"agent_id"`
	Capacity       int       `json:"capacity"`
	Languages      []string  `json:"languages"`
	Channels       []string  `json:"channels"`
	Categories     []string  `json:"categories"`
	LastAssignedAt time.Time `json:"last_assigned_at"`
	// AutoAssign opts a supervisor or an admin into automatic assignment;
	// without it the router gives them nothing (they still pull or are
	// assigned by hand). Agents are always auto-assigned.
	AutoAssign bool `json:"auto_assign"`
}

// Segment says that the customer with an identity (kind, value) belongs to
// a segment such as "overdue".
type Segment struct {
	Kind    string `json:"kind"`
	Value   string `json:"value"`
	Segment string `json:"segment"`
}

// AssignedTicket is a worked ticket as the reassigner sees it.
type AssignedTicket struct {
	Ticket
	// WaitingSince is when the customer's unanswered message came; zero
	// when the desk spoke last.
	WaitingSince time.Time
	AssignedAt   time.Time
}

// Defaults and limits of routing settings.
const (
	DefaultCapacity  = 8
	MaxCapacity      = 200
	MaxReassignAfter = 7 * 24 * time.Hour
	MaxSegmentImport = 10000
)

// routingOf returns an agent's settings, or the defaults.
func routingOf(m map[string]AgentRouting, agentID string) AgentRouting {
	if r, ok := m[agentID]; ok {
		return r
	}
	return AgentRouting{AgentID: agentID, Capacity: DefaultCapacity}
}

func (t *TeamRouting) validate() error {
	switch t.Mode {
	case "":
		t.Mode = ModePull
	case ModeAuto, ModePull:
	default:
		return Errorf(CodeInvalid, "mode must be auto or pull, not %q", t.Mode)
	}
	if t.ReassignAfter < 0 || t.ReassignAfter > MaxReassignAfter {
		return Errorf(CodeInvalid, "reassign_after must be between 0 (off) and %s", MaxReassignAfter)
	}
	if t.ReassignAfter != 0 && t.ReassignAfter < time.Minute {
		return Errorf(CodeInvalid, "reassign_after must be at least one minute (or 0 for off)")
	}
	return nil
}

func (a *AgentRouting) validate() error {
	if a.Capacity < 0 || a.Capacity > MaxCapacity {
		return Errorf(CodeInvalid, "capacity must be between 0 and %d", MaxCapacity)
	}
	var err error
	if a.Languages, err = cleanList("languages", a.Languages, true); err != nil {
		return err
	}
	if a.Channels, err = cleanList("channels", a.Channels, true); err != nil {
		return err
	}
	a.Categories, err = cleanList("categories", a.Categories, false)
	return err
}

func (s *Segment) validate(i int) error {
	s.Kind, s.Value, s.Segment = strings.TrimSpace(s.Kind), strings.TrimSpace(s.Value), strings.TrimSpace(s.Segment)
	switch {
	case !ValidIdentityKind(s.Kind):
		return Errorf(CodeInvalid, "entry %d: kind %q is not one of webchat, telegram, email, phone, customer_no, api", i+1, s.Kind)
	case s.Value == "" || len(s.Value) > MaxPartyValueBytes || !ValidText(s.Value):
		return Errorf(CodeInvalid, "entry %d: value is required, at most %d bytes", i+1, MaxPartyValueBytes)
	case s.Segment == "" || utf8.RuneCountInString(s.Segment) > maxKeywordRunes || !ValidText(s.Segment):
		return Errorf(CodeInvalid, "entry %d: segment is required, at most %d characters", i+1, maxKeywordRunes)
	}
	if s.Kind == IdentityEmail {
		s.Value = strings.ToLower(s.Value)
	}
	return nil
}
