package bot

import (
	"context"
	"time"
)

// Kind is what the bot decided on one turn. The values are the issue's
// list and analytics count them as written: never rename one.
type Kind string

const (
	KindAnswer        Kind = "answer"         // Detail.ArticleID
	KindClarify       Kind = "clarify"        // Detail.Candidates (article ids)
	KindVerifyRequest Kind = "verify_request" // Detail.Fact asked about
	KindVerifyPending Kind = "verify_pending" // a code is out, waiting for it
	KindVerifyFailed  Kind = "verify_failed"  // Detail.Count wrong codes so far
	KindVerifyLocked  Kind = "verify_locked"  // tries used up; hand-off follows
	KindDisclose      Kind = "disclose"       // Detail.Fact told after verification
	KindHandoff       Kind = "handoff"        // Detail.Reason (Reason* below)
	KindRefuse        Kind = "refuse"         // Detail.Reason (Refuse* below)
	KindGreet         Kind = "greet"
	KindAgentCheck    Kind = "agent_check" // Detail.Result found / not_found
	// KindSuggest: a suggested reply on an email ticket (suggest.go).
	KindSuggest Kind = "suggest"
)

// Kinds lists every decision kind of a chat turn, in the order
// (KindSuggest, made outside a conversation, is not one).
var Kinds = []Kind{KindAnswer, KindClarify, KindVerifyRequest, KindVerifyPending, KindVerifyFailed,
	KindVerifyLocked, KindDisclose, KindHandoff, KindRefuse, KindGreet, KindAgentCheck}

// Hand-off reasons (Detail.Reason of KindHandoff).
const (
	ReasonHumanRequest = "human_request"
	ReasonComplaint    = "complaint"
	ReasonLegal        = "legal"
	ReasonNegotiation  = "negotiation"
	ReasonAngry        = "angry"
	ReasonUrgent       = "urgent"
	ReasonUnknown      = "unknown"
)

// Refusal reasons (Detail.Reason of KindRefuse).
const (
	RefuseOffTopic        = "off_topic"
	RefuseOthersData      = "others_data"
	RefusePromptInjection = "prompt_injection"
	RefuseAbuse           = "abuse"
)

// Agent check results (Detail.Result of KindAgentCheck).
const (
	ResultFound    = "found"
	ResultNotFound = "not_found"
)

// Detail is the structured part of a decision, stored as JSON text in
// bot_decisions.detail. Empty fields are left out.
type Detail struct {
	ArticleID  string   `json:"article_id,omitempty"`
	Candidates []string `json:"candidates,omitempty"`
	Fact       string   `json:"fact,omitempty"`
	Count      int      `json:"count,omitempty"`
	Reason     string   `json:"reason,omitempty"`
	Result     string   `json:"result,omitempty"`
	// Flow is the flow the turn ran in (repayment_plan, complaint …), and
	// Fields what the flow has collected so far, for the agent.
	Flow   string            `json:"flow,omitempty"`
	Fields map[string]string `json:"fields,omitempty"`
}

// MaxDecisionTextRunes bounds the customer's question kept with a decision.
const MaxDecisionTextRunes = 500

// Decision is one decision of one bot turn (a turn may record several:
// verify_failed then verify_locked then handoff).
type Decision struct {
	ID       string `json:"id"`
	TicketID string `json:"ticket_id"`
	// MessageID is the customer's message the turn answered ("" for a
	// greeting the bot sends unasked).
	MessageID string    `json:"message_id"`
	Channel   string    `json:"channel"`
	Kind      Kind      `json:"kind"`
	Detail    Detail    `json:"detail"`
	Lang      string    `json:"lang"` // zh-CN, zh-TW or en
	Text      string    `json:"text"` // the customer's message, cut to MaxDecisionTextRunes
	CreatedAt time.Time `json:"created_at"`
}

// DecisionFilter selects decisions; zero fields select all.
type DecisionFilter struct {
	TicketID string
	Channel  string
	Kind     Kind
	Since    time.Time // created_at >= Since
	Until    time.Time // created_at < Until
	Limit    int       // default 200, at most 10000
}

// DecisionStore keeps decisions (table bot_decisions, migration 00028);
// *store.DB implements it.
type DecisionStore interface {
	InsertBotDecisions(ctx context.Context, ds []Decision) error
	// BotDecisions lists decisions, oldest first.
	BotDecisions(ctx context.Context, f DecisionFilter) ([]Decision, error)
}

// StateStore keeps each conversation's dialogue state and the once-only
// claim of each customer message (migration 00029); *store.DB implements it.
type StateStore interface {
	// ClaimBotTurn is true for the first caller of a message id only.
	ClaimBotTurn(ctx context.Context, messageID, ticketID string, at time.Time) (bool, error)
	BotState(ctx context.Context, ticketID string) (string, error)
	SaveBotState(ctx context.Context, ticketID, state string, at time.Time) error
	// SaveBotTurn stores a turn's decisions and the new state in one commit.
	SaveBotTurn(ctx context.Context, ticketID, state string, ds []Decision, at time.Time) error
	// InsertBotDecisions stores decisions made outside a conversation
	// (an email's suggested reply).
	InsertBotDecisions(ctx context.Context, ds []Decision) error
}
