package desk

import (
	"time"
)

// Survey is one satisfaction survey (CSAT): the question a customer is asked
// after one resolution of a ticket, and their answer.
type Survey struct {
	ID       string `json:"id"`
	TicketID string `json:"ticket_id"`
	// Cycle is the Seq of the status entry that resolved the ticket: a
	// ticket resolved, reopened and resolved again gets a second survey.
	Cycle     int64  `json:"cycle"`
	ContactID string `json:"contact_id"`
	// AgentID is who worked the ticket at the resolution (the assignee, else
	// the owner); TeamID its team then.
	AgentID string `json:"agent_id,omitempty"`
	TeamID  string `json:"team_id,omitempty"`
	Channel string `json:"channel"`
	Lang    string `json:"lang"`
	// TokenHash is the hex SHA-256 of the customer's token; the token is
	// made again from the id when the request is sent (desk/csat_token.go).
	TokenHash string `json:"-"`
	// MessageID is the request on the timeline.
	MessageID  string     `json:"message_id,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
	// Score is 1 (very unhappy) to 5 (very happy), 0 until answered.
	Score   int    `json:"score,omitempty"`
	Comment string `json:"comment,omitempty"`
}

// SurveyState is where a survey stands for the customer.
type SurveyState string

const (
	SurveyOpen     SurveyState = "open"
	SurveyAnswered SurveyState = "answered"
	SurveyExpired  SurveyState = "expired"
)

// State says whether s can still be answered at now.
func (s Survey) State(now time.Time) SurveyState {
	switch {
	case s.AnsweredAt != nil:
		return SurveyAnswered
	case !now.Before(s.ExpiresAt):
		return SurveyExpired
	}
	return SurveyOpen
}

// Survey limits.
const (
	// SurveyValidity is how long a customer may answer.
	SurveyValidity = 7 * 24 * time.Hour
	// MaxSurveyComment bounds the comment, in bytes.
	MaxSurveyComment = 2000
	// MaxSurveyWording bounds a configured question, in bytes.
	MaxSurveyWording = 500
)

// MessageKindSurvey is the kind of the message asking for a rating; the
// channels show it as a card, buttons or a link (Outbound.Survey).
const MessageKindSurvey = "csat_request"

// CSATSettings configure surveys for the whole desk (Scope "") or one team
// (Scope = team id), which then overrides the desk's row entirely.
type CSATSettings struct {
	Scope   string `json:"scope"`
	Enabled bool   `json:"enabled"`
	// Threshold: a score at or below it is low (1–5; 0 turns the low-score
	// action off).
	Threshold int `json:"threshold"`
	// Notify tells the team's supervisors of a low score; Reopen opens the
	// ticket again; Flag tags it low-csat.
	Notify bool `json:"notify"`
	Reopen bool `json:"reopen"`
	Flag   bool `json:"flag"`
	// Wording is the question per language tag (zh-CN, zh-TW, en); a
	// missing one uses the catalog's default.
	Wording   map[string]string `json:"wording"`
	UpdatedAt time.Time         `json:"updated_at"`
}

// DefaultCSATSettings apply where nothing was saved.
func DefaultCSATSettings() CSATSettings {
	return CSATSettings{Enabled: true, Threshold: 2, Notify: true, Flag: true, Wording: map[string]string{}}
}

// LowScoreTag marks a ticket whose customer gave a low score.
const LowScoreTag = "low-csat"
