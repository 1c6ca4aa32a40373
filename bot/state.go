package bot

import (
	"context"
	"encoding/json"
	"fmt"
)

// state is one conversation's dialogue state, kept as JSON in bot_states
// so it survives restarts and moves between nodes.
type state struct {
	Lang string `json:"lang,omitempty"`
	// Greeted: the conversation had its opening greeting.
	Greeted bool `json:"greeted,omitempty"`
	// Fails counts turns in a row the bot did not understand.
	Fails int `json:"fails,omitempty"`
	// Clarify holds the article ids offered by the last clarifying question.
	Clarify []string     `json:"clarify,omitempty"`
	Flow    *flowState   `json:"flow,omitempty"`
	Verify  *verifyState `json:"verify,omitempty"`
}

type flowState struct {
	ID     string            `json:"id"`
	Step   int               `json:"step"`
	Fields map[string]string `json:"fields,omitempty"`
	Bad    int               `json:"bad,omitempty"`
}

// Verification stages.
const (
	stageCustomerNo = "customer_no" // waiting for the customer number
	stageCode       = "code"        // a code is out, waiting for it
)

type verifyState struct {
	Stage string `json:"stage"`
	// Fact is the account fact asked about (answered after success), Flow
	// the flow to resume instead; both empty for plain verification.
	Fact   string `json:"fact,omitempty"`
	Flow   string `json:"flow,omitempty"`
	Failed int    `json:"failed,omitempty"`
	Asked  int    `json:"asked,omitempty"` // customer-number prompts
}

func (e *Engine) loadState(ctx context.Context, ticketID string) (state, error) {
	var st state
	raw, err := e.o.State.BotState(ctx, ticketID)
	if err != nil || raw == "" {
		return st, err
	}
	if err := json.Unmarshal([]byte(raw), &st); err != nil {
		// A state this version cannot read starts over rather than
		// stopping the conversation.
		e.o.Log.Warn("bot: unreadable state, starting over", "ticket", ticketID, "err", err)
		return state{}, nil
	}
	return st, nil
}

func (e *Engine) saveState(ctx context.Context, ticketID string, st state) error {
	raw, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("bot: state of %s: %w", ticketID, err)
	}
	return e.o.State.SaveBotState(ctx, ticketID, string(raw), e.o.Now())
}
