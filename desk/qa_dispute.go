package desk

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"
)

// AcknowledgeQAReview: the reviewed agent accepts a submitted result.
// Audited.
func (s *Service) AcknowledgeQAReview(ctx context.Context, a Agent, id string) (QAReview, error) {
	return s.qaAgentAnswer(ctx, a, id, "", false)
}

// DisputeQAReview: the reviewed agent disputes a submitted result, with a
// reason a supervisor reads. Audited.
func (s *Service) DisputeQAReview(ctx context.Context, a Agent, id, reason string) (QAReview, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > qaMaxTextRunes || !ValidText(reason) {
		return QAReview{}, Errorf(CodeInvalid, "a dispute needs a reason of 1 to %d characters", qaMaxTextRunes)
	}
	return s.qaAgentAnswer(ctx, a, id, reason, true)
}

func (s *Service) qaAgentAnswer(ctx context.Context, a Agent, id, reason string, dispute bool) (QAReview, error) {
	var out QAReview
	err := s.qaTx(ctx, func(tx QATx) error {
		rv, err := s.visibleQAReview(ctx, tx, a, id)
		if err != nil {
			return err
		}
		may := qaActions(a, rv)
		switch {
		case rv.AgentID != a.ID || rv.CalibrationID != "":
			return Errorf(CodeForbidden, "only the reviewed agent answers a result")
		case !may.Acknowledge:
			return Errorf(CodeConflict, "this result was answered already")
		}
		now := s.now().UTC()
		action := "qa.review.acknowledge"
		if dispute {
			rv.Status, rv.DisputeReason, rv.DisputedAt = QADisputed, reason, now
			action = "qa.review.dispute"
		} else {
			rv.Status, rv.AcknowledgedAt = QAAcknowledged, now
		}
		if err := tx.UpdateQAReview(ctx, rv); err != nil {
			return err
		}
		out = rv
		return s.audit(ctx, tx, AgentActor(a), action, rv.ID, reason)
	})
	if err != nil {
		return QAReview{}, fmt.Errorf("desk: answer qa review %s: %w", id, err)
	}
	return maskQAReview(out), nil
}

// SettleQAReview settles a dispute: a supervisor who neither scored nor
// was reviewed upholds the score or amends it with new scores, and says
// why. The reviewer's total stays as OriginalTotal. Audited.
func (s *Service) SettleQAReview(ctx context.Context, a Agent, id, outcome string, scores []QAScore, note string) (QAReview, error) {
	note = strings.TrimSpace(note)
	if note == "" || utf8.RuneCountInString(note) > qaMaxTextRunes || !ValidText(note) {
		return QAReview{}, Errorf(CodeInvalid, "settling needs a note of 1 to %d characters", qaMaxTextRunes)
	}
	if outcome != QAUpheld && outcome != QAAmended {
		return QAReview{}, Errorf(CodeInvalid, "the outcome is %s or %s", QAUpheld, QAAmended)
	}
	if !a.Role.AtLeast(RoleSupervisor) {
		return QAReview{}, Errorf(CodeForbidden, "a supervisor settles disputes")
	}
	var out QAReview
	err := s.qaTx(ctx, func(tx QATx) error {
		rv, err := s.visibleQAReview(ctx, tx, a, id)
		if err != nil {
			return err
		}
		switch {
		case rv.Status != QADisputed:
			return Errorf(CodeConflict, "this review is not disputed")
		case a.ID == rv.AgentID || a.ID == rv.ReviewerID:
			return Errorf(CodeForbidden, "the reviewer or the reviewed agent cannot settle their own dispute")
		}
		if outcome == QAAmended {
			card, err := found(tx.QAScorecard(ctx, rv.ScorecardID, rv.ScorecardVersion))("scorecard", rv.ScorecardID)
			if err != nil {
				return err
			}
			if rv.Scores, rv.Total, err = qaTotal(card.Criteria, scores); err != nil {
				return err
			}
		}
		rv.Status, rv.SettledBy, rv.SettledAt, rv.SettleOutcome, rv.SettleNote = QASettled, a.ID, s.now().UTC(), outcome, note
		if err := tx.UpdateQAReview(ctx, rv); err != nil {
			return err
		}
		out = rv
		return s.audit(ctx, tx, AgentActor(a), "qa.review.settle", rv.ID, fmt.Sprintf("%s: total %d (was %d): %s", outcome, rv.Total, rv.OriginalTotal, note))
	})
	if err != nil {
		return QAReview{}, fmt.Errorf("desk: settle qa review %s: %w", id, err)
	}
	return maskQAReview(out), nil
}
