package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Knowledge questions an agent may ask from the record.
const (
	QuestionIDLast4      = "id_last4"          // last four of the ID number
	QuestionContractNo   = "contract_no"       // a contract number
	QuestionLastPayment  = "last_payment_date" // date of the last payment
	MethodKnowledge      = "knowledge"
	methodKnowledgeOnOTP = "+knowledge"
)

// knowledgeQuestions are the questions f can answer, with the answers.
func knowledgeQuestions(f CustomerFacts) []KnowledgeQuestion {
	var out []KnowledgeQuestion
	if f.IDLast4 != "" {
		out = append(out, KnowledgeQuestion{ID: QuestionIDLast4, Answers: []string{f.IDLast4}})
	}
	var nos, days []string
	for _, c := range f.Contracts {
		if c.No != "" {
			nos = append(nos, c.No)
		}
		if c.LastPaymentDay != "" && !slices.Contains(days, c.LastPaymentDay) {
			days = append(days, c.LastPaymentDay)
		}
	}
	if len(nos) > 0 {
		out = append(out, KnowledgeQuestion{ID: QuestionContractNo, Answers: nos})
	}
	if len(days) > 0 {
		out = append(out, KnowledgeQuestion{ID: QuestionLastPayment, Answers: days})
	}
	return out
}

// VerifyByKnowledge records that the customer of ticketID answered the
// given record questions correctly, as judged by actor (an agent who sees
// the ticket). On top of an active code verification (LevelOTP) the
// conversation rises to LevelKnowledge; alone it counts only as
// LevelChannel, because what a record holds (an ID's last digits, a
// contract number) is often known to relatives or leaked with it, while a
// code proves possession of the phone on record now. Audited with the
// method and questions; a timeline entry.
func (s *Service) VerifyByKnowledge(ctx context.Context, actor Actor, ticketID string, questions []string) (Verification, error) {
	if actor.Agent == nil {
		return Verification{}, Errorf(CodeForbidden, "only an agent can judge answers to knowledge questions")
	}
	t, err := s.VisibleTicket(ctx, *actor.Agent, ticketID)
	if err != nil {
		return Verification{}, err
	}
	no, _, _, err := s.conversationCustomer(ctx, t)
	if err != nil {
		return Verification{}, err
	}
	f, ok, err := s.customerFacts(ctx, no)
	if err != nil {
		return Verification{}, err
	}
	if !ok {
		return Verification{}, Errorf(CodeConflict, "this conversation has no customer record to ask from")
	}
	asked, err := pickQuestions(knowledgeQuestions(f), questions)
	if err != nil {
		return Verification{}, err
	}
	var v Verification
	err = s.store.Tx(ctx, func(tx Tx) error {
		now := s.now().UTC()
		prev, err := tx.Verification(ctx, t.ID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		v = Verification{TicketID: t.ID, ContactID: t.ContactID, Method: MethodKnowledge, Level: LevelChannel,
			VerifiedAt: now, ExpiresAt: now.Add(s.verifiedFor)}
		if err == nil && prev.Active(now) && prev.Level >= LevelOTP {
			v.Level, v.IdentityID = LevelKnowledge, prev.IdentityID
			v.Method = strings.TrimSuffix(prev.Method, methodKnowledgeOnOTP) + methodKnowledgeOnOTP
		}
		if err := tx.PutVerification(ctx, v); err != nil {
			return err
		}
		detail := fmt.Sprintf("method=%s level=%d questions=%s", v.Method, v.Level, strings.Join(asked, ","))
		if err := s.audit(ctx, tx, actor, "ticket.verified_by_knowledge", t.ID, detail); err != nil {
			return err
		}
		e := SystemEvent{Action: "knowledge_verified", Args: map[string]string{
			"method": v.Method, "level": fmt.Sprint(v.Level), "questions": strings.Join(asked, ",")}}
		_, err = s.recordEntry(ctx, tx, &t, actor, AuthorSystem, e, factsEventText(e), now)
		return err
	})
	if err != nil {
		return Verification{}, fmt.Errorf("desk: knowledge verification of ticket %s: %w", ticketID, err)
	}
	s.publish(ctx, ticketEvent(EventTicketUpdated, t, t))
	return v, nil
}

// pickQuestions checks that asked names at least one question the record
// can answer, each once.
func pickQuestions(have []KnowledgeQuestion, asked []string) ([]string, error) {
	var out []string
	for _, q := range asked {
		q = strings.TrimSpace(q)
		if !slices.ContainsFunc(have, func(k KnowledgeQuestion) bool { return k.ID == q }) {
			return nil, Errorf(CodeInvalid, "%q is not a question this record can answer", q)
		}
		if !slices.Contains(out, q) {
			out = append(out, q)
		}
	}
	if len(out) == 0 {
		return nil, Errorf(CodeInvalid, "name at least one question the customer answered")
	}
	return out, nil
}
