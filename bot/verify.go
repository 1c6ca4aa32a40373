package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"huiliu/desk"
)

// askFact answers an account question: at once when the conversation is
// verified at the level the fact needs, else after the verification flow
// (then resumes flow instead, when set). Numbers the customer types are
// claims, never proof: the code goes to the record's own phone.
func (e *Engine) askFact(ctx context.Context, tn *turn, fact, flow string) error {
	if e.o.OTP == nil {
		tn.say("bot.verify_unavailable")
		return e.handOff(tn, ReasonUnknown)
	}
	v, err := e.o.OTP.Verification(ctx, tn.t.ID)
	if err != nil {
		return fmt.Errorf("bot: verification of %s: %w", tn.t.ID, err)
	}
	need := 2
	if f, ok := tn.flows.Get(flow); ok {
		need = f.Verify
	}
	if v.Level >= need {
		if f, ok := tn.flows.Get(flow); ok {
			return e.runFlow(ctx, tn, f)
		}
		return e.disclose(ctx, tn, fact)
	}
	vs := &verifyState{Fact: fact, Flow: flow}
	tn.st.Verify = vs
	tn.st.Flow = nil
	asked := fact
	if asked == "" {
		asked = flow
	}
	view, err := e.o.Desk.RecordFacts(ctx, e.actor(tn), tn.t.ID)
	if err != nil {
		return fmt.Errorf("bot: record of %s: %w", tn.t.ID, err)
	}
	tn.decide(KindVerifyRequest, Detail{Fact: asked})
	if view.CustomerNo == "" {
		vs.Stage, vs.Asked = stageCustomerNo, 1
		tn.say("bot.verify_ask_customer_no")
		return nil
	}
	return e.sendCode(ctx, tn)
}

// sendCode sends a code to the record's phone and waits for it.
func (e *Engine) sendCode(ctx context.Context, tn *turn) error {
	vs := tn.st.Verify
	vs.Stage = stageCode
	req, err := e.o.OTP.RequestCode(ctx, tn.t.ID, "sms")
	if err != nil {
		if codeError(err) == "" && !errors.Is(err, desk.ErrNotFound) {
			var de *desk.Error
			if !errors.As(err, &de) {
				return fmt.Errorf("bot: code for %s: %w", tn.t.ID, err)
			}
		}
		tn.say("bot.verify_unavailable")
		return e.handOff(tn, ReasonUnknown)
	}
	// Even the masked number is not said: its last digits are a fact of
	// the record, and the visitor may only have claimed the number.
	if req.Masked != "" {
		tn.say("bot.verify_code_sent")
	} else {
		tn.say("bot.verify_code_sent_neutral")
	}
	return nil
}

// continueVerify takes the customer's next message while verifying: the
// customer number, the code, or a request to send it again.
func (e *Engine) continueVerify(ctx context.Context, tn *turn, s string) error {
	vs := tn.st.Verify
	asked := vs.Fact
	if asked == "" {
		asked = vs.Flow
	}
	if vs.Stage == stageCustomerNo {
		m := customerNoPattern.FindStringSubmatch(tn.msg.Text)
		if m == nil || !desk.ValidCustomerNo(strings.ToUpper(m[1])) {
			vs.Asked++
			if vs.Asked > 2 {
				tn.say("bot.handoff")
				return e.handOff(tn, ReasonUnknown)
			}
			tn.say("bot.verify_ask_customer_no")
			tn.decide(KindVerifyRequest, Detail{Fact: asked})
			return nil
		}
		if _, err := e.o.Desk.ClaimCustomer(ctx, e.actor(tn), tn.t.ID, strings.ToUpper(m[1])); err != nil {
			return fmt.Errorf("bot: claim on %s: %w", tn.t.ID, err)
		}
		tn.decide(KindVerifyPending, Detail{Fact: asked})
		return e.sendCode(ctx, tn)
	}
	code := codePattern.FindStringSubmatch(toHalfDigits(tn.msg.Text))
	if code == nil {
		if resendRule.match(s) {
			tn.decide(KindVerifyPending, Detail{Fact: asked})
			return e.sendCode(ctx, tn)
		}
		in := classify(s, tn.flows)
		if in.name == intentAccount {
			// Another account question while the code is out: answer
			// that one once verified.
			vs.Fact, vs.Flow = in.fact, ""
			tn.say("bot.verify_pending")
			tn.decide(KindVerifyPending, Detail{Fact: in.fact})
			return nil
		}
		// Not a code: maybe a new question. Answer it instead.
		if in.name != "" || looksLikeQuestion(s) {
			tn.st.Verify = nil
			return e.respond(ctx, tn)
		}
		tn.say("bot.verify_pending")
		tn.decide(KindVerifyPending, Detail{Fact: asked})
		return nil
	}
	_, err := e.o.OTP.CheckCode(ctx, tn.t.ID, "sms", code[1])
	switch codeError(err) {
	case "":
		if err != nil {
			return fmt.Errorf("bot: check code on %s: %w", tn.t.ID, err)
		}
	case "wrong":
		vs.Failed++
		tn.say("bot.verify_wrong")
		tn.decide(KindVerifyFailed, Detail{Fact: asked, Count: vs.Failed})
		return nil
	case "expired":
		tn.say("bot.verify_expired")
		tn.decide(KindVerifyFailed, Detail{Fact: asked, Count: vs.Failed})
		return e.sendCode(ctx, tn)
	default: // locked (or sends used up): a lock holds whatever comes next
		vs.Failed++
		tn.decide(KindVerifyLocked, Detail{Fact: asked, Count: vs.Failed})
		tn.say("bot.verify_locked")
		return e.handOff(tn, ReasonUnknown)
	}
	tn.st.Verify = nil
	tn.say("bot.verify_ok")
	if f, ok := tn.flows.Get(vs.Flow); ok {
		return e.runFlow(ctx, tn, f)
	}
	if vs.Fact == "" {
		tn.decide(KindAnswer, Detail{})
		return nil
	}
	return e.disclose(ctx, tn, vs.Fact)
}

var resendRule = rule{"重发", "再发", "没收到", "resend", "send again", "new code", "didn't get", "did not get"}

// looksLikeQuestion is a message long enough to be about something else.
func looksLikeQuestion(s string) bool {
	return len([]rune(s)) >= 6 && strings.ContainsAny(s, "?？吗么怎") || strings.HasPrefix(s, "how ") || strings.HasPrefix(s, "what ")
}

func toHalfDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
}

// disclose tells the fact from the record, as the desk shows it at the
// conversation's level: a fact the level does not reach stays masked and
// is not said (the desk's disclosure guard also checks the reply).
func (e *Engine) disclose(ctx context.Context, tn *turn, fact string) error {
	view, err := e.o.Desk.RecordFacts(ctx, e.actor(tn), tn.t.ID)
	if err != nil {
		return fmt.Errorf("bot: record of %s: %w", tn.t.ID, err)
	}
	said := false
	for _, c := range view.Contracts {
		product := c.Product.Value
		if !c.Product.Shown {
			product = c.No.Value
		}
		var fv desk.FactValue
		switch fact {
		case "balance":
			fv = c.Balance
		case "next_due":
			fv = c.NextDue
		case "overdue":
			fv = c.Overdue
		case "deposit":
			fv = c.Deposit
		case "contract":
			fv = c.Status
		case "plan":
			if c.PlanShown {
				var lines []string
				for _, p := range c.Plan {
					lines = append(lines, fmt.Sprintf("%d. %s ¥%s %s", p.No, p.DueDate, p.Amount.Display(), p.Status))
				}
				fv = desk.FactValue{Value: strings.Join(lines, "\n"), Shown: len(lines) > 0}
			}
		}
		if !fv.Shown || strings.TrimSpace(fv.Value) == "" {
			continue
		}
		tn.say("bot.fact."+fact, "product", product, "value", fv.Value)
		said = true
	}
	if !said {
		tn.say("bot.no_record")
		return e.handOff(tn, ReasonUnknown)
	}
	if f, ok := tn.flows.factFlow(fact); ok {
		tn.lines = append(tn.lines, f.Done.In(tn.lang))
	}
	tn.decide(KindDisclose, Detail{Fact: fact})
	return nil
}
