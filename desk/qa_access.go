package desk

import (
	"context"

	"huiliu/desk/pii"
)

// CanReviewQA reports whether the agent may score quality samples:
// supervisors and admins by role, agents by the qa.review grant.
func CanReviewQA(a Agent) bool {
	return a.Role.AtLeast(RoleSupervisor) || a.Can(PermQAReview)
}

func requireQAReviewer(actor Actor) error {
	if actor.Agent != nil && !CanReviewQA(*actor.Agent) {
		return Errorf(CodeForbidden, "quality reviews need the supervisor role or the %s grant", PermQAReview)
	}
	return nil
}

// errNoQAStore: the configured store keeps no quality reviews.
var errNoQAStore = Errorf(CodeUnavailable, "quality reviews are not available on this store")

func (s *Service) qaReader() (QAReader, error) {
	r, ok := s.store.(QAReader)
	if !ok {
		return nil, errNoQAStore
	}
	return r, nil
}

// qaTx runs fn in one transaction with the quality writes.
func (s *Service) qaTx(ctx context.Context, fn func(tx QATx) error) error {
	return s.store.Tx(ctx, func(tx Tx) error {
		q, ok := tx.(QATx)
		if !ok {
			return errNoQAStore
		}
		return fn(q)
	})
}

// visibleQAReview loads a review the agent may see: its reviewer, the
// reviewed agent once it was scored, and supervisors. Others get the same
// answer as for a review that does not exist.
func (s *Service) visibleQAReview(ctx context.Context, r QAReader, a Agent, id string) (QAReview, error) {
	rv, err := found(r.QAReview(ctx, id))("review", id)
	if err != nil {
		return QAReview{}, err
	}
	if !canSeeQAReview(a, rv) {
		return QAReview{}, hidden("review", id, errNotVisible)
	}
	return rv, nil
}

func canSeeQAReview(a Agent, rv QAReview) bool {
	switch {
	case a.Role.AtLeast(RoleSupervisor), rv.ReviewerID == a.ID:
		return true
	case rv.AgentID == a.ID:
		// The reviewed agent sees their own result once it is scored; a
		// calibration is the reviewers' exercise, not the agent's result.
		return rv.Status != QAAssigned && rv.CalibrationID == ""
	}
	return false
}

// maskQAReview masks personal data in what people wrote on a review (a
// reviewer may quote the customer), as every text leaving desk is.
func maskQAReview(rv QAReview) QAReview {
	rv.Note, rv.DisputeReason, rv.SettleNote = pii.Mask(rv.Note), pii.Mask(rv.DisputeReason), pii.Mask(rv.SettleNote)
	scores := make([]QAScore, len(rv.Scores))
	for i, sc := range rv.Scores {
		sc.Note = pii.Mask(sc.Note)
		scores[i] = sc
	}
	rv.Scores = scores
	return rv
}

func maskQAReviews(list []QAReview) []QAReview {
	for i := range list {
		list[i] = maskQAReview(list[i])
	}
	return list
}
