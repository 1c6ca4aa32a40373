package bot

import (
	"context"
	"fmt"
	"strings"

	"huiliu/desk"
)

// Suggestion is the bot's answer to a customer's latest email, for the
// agent: Text to insert into the reply box, or, when the bot would not
// answer, no text and the reason (a hand-off or refusal decision, a fact
// the conversation is not verified for, nothing understood).
type Suggestion struct {
	TicketID  string `json:"ticket_id"`
	MessageID string `json:"message_id"` // the customer's message answered
	Lang      string `json:"lang"`
	Text      string `json:"text,omitempty"`
	// Kind is what the bot decided: answer, clarify (two close articles,
	// both quoted), disclose, handoff, refuse, verify_request (an
	// account fact the conversation is not verified for), or "" when
	// nothing was understood. Reason details handoff/refuse/clarify.
	Kind   Kind   `json:"kind"`
	Reason string `json:"reason,omitempty"`
	Detail Detail `json:"detail"`
}

// Suggest works out the reply to the customer's message m on email ticket
// t as a chat turn would, but changes nothing: no reply, no code sent, no
// state. Account facts are told only when the conversation is already
// verified at the level they need. The first suggestion with text for a
// message records a KindSuggest decision (once, whichever node or agent
// asks), so supervisors see how often email gets one.
func (e *Engine) Suggest(ctx context.Context, t desk.Ticket, m desk.Message) (Suggestion, error) {
	flows := DefaultFlows()
	if e.o.Flows != nil {
		if f, err := e.o.Flows.BotFlows(ctx); err == nil {
			flows = f
		}
	}
	tn := &turn{t: t, msg: m, st: &state{}, flows: flows, name: e.settings(ctx, t).Name}
	tn.lang = language(m.Text, "zh-CN")
	sg := Suggestion{TicketID: t.ID, MessageID: m.ID, Lang: tn.lang}
	if err := e.suggest(ctx, tn); err != nil {
		return sg, err
	}
	if len(tn.decisions) > 0 {
		d := tn.decisions[len(tn.decisions)-1]
		sg.Kind, sg.Reason, sg.Detail = d.Kind, d.Detail.Reason, d.Detail
	}
	if tn.handoff != "" || sg.Kind == KindRefuse || sg.Kind == KindVerifyRequest || len(tn.lines) == 0 {
		return sg, nil
	}
	sg.Text = strings.Join(tn.lines, "\n")
	if err := e.recordSuggestion(ctx, tn, sg); err != nil {
		return sg, err
	}
	return sg, nil
}

// suggestHandOffs are the intents a suggestion answers with "no suggestion:
// a person should take this", and the reason shown.
var suggestHandOffs = map[string]string{
	intentUrgent: ReasonUrgent, intentLegal: ReasonLegal, intentRegulator: ReasonComplaint,
	intentNegotiation: ReasonNegotiation, intentAngry: ReasonAngry, intentHuman: ReasonHumanRequest,
}

// suggest fills tn like respond, for a message read once with no
// conversation behind it and nothing done but reading.
func (e *Engine) suggest(ctx context.Context, tn *turn) error {
	s := normalize(cutRunes(tn.msg.Text, maxUnderstoodRunes))
	if s == "" {
		return nil
	}
	in := classify(s, tn.flows)
	if reason, ok := suggestHandOffs[in.name]; ok {
		return e.handOff(tn, reason)
	}
	switch in.name {
	case intentInjection, intentAbuse, intentOthersData, intentOffTopic:
		tn.decide(KindRefuse, Detail{Reason: in.name})
		return nil
	case intentGreeting:
		return nil
	case intentAccount:
		return e.suggestFact(ctx, tn, in.fact)
	}
	if id, ok := strings.CutPrefix(in.name, flowIntentPrefix); ok {
		if f, ok := tn.flows.Get(id); ok {
			if f.Action == ActionFacts {
				return e.suggestFact(ctx, tn, f.Fact)
			}
			// Collecting fields or checking codes is a conversation; on
			// email a person runs it.
			tn.decide(KindHandoff, Detail{Reason: ReasonUnknown, Flow: f.ID})
			tn.handoff = ReasonUnknown
			return nil
		}
	}
	if err := e.answerFromKB(ctx, tn, s); err != nil {
		return err
	}
	if ids := tn.st.Clarify; len(ids) > 0 {
		// Chat asks which one; an email reply quotes both.
		tn.lines, tn.choices, tn.decisions = nil, nil, nil
		for _, id := range ids {
			if err := e.answerArticle(ctx, tn, id); err != nil {
				return err
			}
		}
		tn.decisions = []Decision{{Kind: KindClarify, Detail: Detail{Candidates: ids}}}
	}
	if len(tn.decisions) == 1 && tn.decisions[0].Detail.Reason == "not_understood" {
		tn.lines, tn.decisions = nil, nil
	}
	return nil
}

// suggestFact quotes fact from the record only when the conversation is
// verified at the level facts need; otherwise the suggestion is none
// (verify_request): the customer's words are claims, not proof.
func (e *Engine) suggestFact(ctx context.Context, tn *turn, fact string) error {
	level := 0
	if e.o.OTP != nil {
		v, err := e.o.OTP.Verification(ctx, tn.t.ID)
		if err != nil {
			return fmt.Errorf("bot: verification of %s: %w", tn.t.ID, err)
		}
		level = v.Level
	}
	if level < 2 {
		tn.decide(KindVerifyRequest, Detail{Fact: fact})
		return nil
	}
	return e.disclose(ctx, tn, fact)
}

// recordSuggestion stores the suggestion's decision once per message: the
// claim key keeps page reloads and other nodes from counting it again.
func (e *Engine) recordSuggestion(ctx context.Context, tn *turn, sg Suggestion) error {
	ok, err := e.o.State.ClaimBotTurn(ctx, "suggest:"+sg.MessageID, tn.t.ID, e.o.Now())
	if err != nil || !ok {
		return err
	}
	d := Decision{ID: desk.NewID(), TicketID: tn.t.ID, MessageID: sg.MessageID, Channel: tn.t.Channel, Kind: KindSuggest,
		Detail: sg.Detail, Lang: sg.Lang, Text: cutRunes(tn.msg.Text, MaxDecisionTextRunes), CreatedAt: e.o.Now().UTC()}
	d.Detail.Reason = ""
	if err := e.o.State.InsertBotDecisions(ctx, []Decision{d}); err != nil {
		return fmt.Errorf("bot: suggestion on %s: %w", tn.t.ID, err)
	}
	return nil
}
