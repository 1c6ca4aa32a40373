package desk

import (
	"cmp"
	"context"
	"fmt"
	"slices"
)

// CreateQACalibration gives one ticket to several reviewers at once, each
// scoring it alone on the card's current version; afterwards they compare
// (QACalibrationResult). Supervisors and admins only; no reviewer may have
// worked the ticket. Audited.
func (s *Service) CreateQACalibration(ctx context.Context, a Agent, ticketID, scorecardID string, reviewers []string) (QACalibration, []QAReview, error) {
	if !a.Role.AtLeast(RoleSupervisor) {
		return QACalibration{}, nil, Errorf(CodeForbidden, "a supervisor starts a calibration")
	}
	reviewers = qaUniqueIDs(reviewers)
	if len(reviewers) < 2 || len(reviewers) > QAMaxReviewers {
		return QACalibration{}, nil, Errorf(CodeInvalid, "a calibration has 2 to %d reviewers", QAMaxReviewers)
	}
	t, err := s.VisibleTicket(ctx, a, ticketID)
	if err != nil {
		return QACalibration{}, nil, err
	}
	agent := cmp.Or(t.AssigneeID, t.OwnerID)
	if agent == "" {
		return QACalibration{}, nil, Errorf(CodeInvalid, "the ticket has no agent to review")
	}
	var cal QACalibration
	var out []QAReview
	err = s.qaTx(ctx, func(tx QATx) error {
		card, err := found(tx.QAScorecard(ctx, scorecardID, 0))("scorecard", scorecardID)
		if err != nil {
			return Errorf(CodeInvalid, "no scorecard %q", scorecardID)
		}
		workers, err := tx.QATicketWorkers(ctx, t.ID)
		if err != nil {
			return err
		}
		workers = append(workers, agent, t.OwnerID, t.AssigneeID)
		now := s.now().UTC()
		cal = QACalibration{ID: NewID(), TicketID: t.ID, ScorecardID: card.ID, ScorecardVersion: card.Current, CreatedBy: a.ID, CreatedAt: now}
		if err := tx.InsertQACalibration(ctx, cal); err != nil {
			return err
		}
		out = out[:0]
		for _, id := range reviewers {
			ag, err := tx.Agent(ctx, id)
			if err != nil || !ag.Active || !CanReviewQA(ag) {
				return Errorf(CodeInvalid, "reviewer %q is not an active supervisor or an agent with the %s grant", id, PermQAReview)
			}
			if slices.Contains(workers, id) {
				return Errorf(CodeInvalid, "%s worked this ticket and cannot review it", ag.Name)
			}
			rv := QAReview{ID: NewID(), TicketID: t.ID, TicketNumber: t.Number, AgentID: agent, ReviewerID: id,
				ScorecardID: card.ID, ScorecardVersion: card.Current, Reason: QAReasonCalibration, Channel: t.Channel,
				CalibrationID: cal.ID, Scores: []QAScore{}, Status: QAAssigned, CreatedAt: now}
			if err := tx.InsertQAReview(ctx, rv); err != nil {
				return err
			}
			out = append(out, rv)
		}
		return s.audit(ctx, tx, AgentActor(a), "qa.calibration.create", cal.ID, fmt.Sprintf("ticket %d, %d reviewers", t.Number, len(reviewers)))
	})
	if err != nil {
		return QACalibration{}, nil, fmt.Errorf("desk: create qa calibration: %w", err)
	}
	return cal, out, nil
}

// QASpread is how far the reviewers of a calibration lie apart on one
// criterion (Key) or on the total (Key ""), over the submitted reviews.
type QASpread struct {
	Key    string  `json:"key"`
	Scores []int   `json:"scores"`
	Min    int     `json:"min"`
	Max    int     `json:"max"`
	Spread int     `json:"spread"`
	Mean   float64 `json:"mean"`
}

// QACalibrationResult is a calibration's reviews side by side.
type QACalibrationResult struct {
	Calibration QACalibration     `json:"calibration"`
	Scorecard   QAScorecard       `json:"scorecard"`
	Reviews     []QAReview        `json:"reviews"`
	Criteria    []QASpread        `json:"criteria"`
	Total       QASpread          `json:"total"`
	Agents      map[string]string `json:"agents"`
}

// QACalibrationResult shows the reviewers' scores and the spread. A
// reviewer sees them only after submitting their own, so nobody's score
// leans on another's; supervisors see them at any time. Others get
// not_found.
func (s *Service) QACalibrationResult(ctx context.Context, a Agent, id string) (QACalibrationResult, error) {
	r, err := s.qaReader()
	if err != nil {
		return QACalibrationResult{}, err
	}
	cal, err := found(r.QACalibration(ctx, id))("calibration", id)
	if err != nil {
		return QACalibrationResult{}, err
	}
	reviews, err := r.QAReviews(ctx, QAReviewFilter{CalibrationID: id, Limit: QAMaxReviewers})
	if err != nil {
		return QACalibrationResult{}, fmt.Errorf("desk: qa calibration %s: %w", id, err)
	}
	if !a.Role.AtLeast(RoleSupervisor) {
		i := slices.IndexFunc(reviews, func(rv QAReview) bool { return rv.ReviewerID == a.ID })
		if i < 0 {
			return QACalibrationResult{}, hidden("calibration", id, errNotVisible)
		}
		if reviews[i].Status == QAAssigned {
			return QACalibrationResult{}, Errorf(CodeConflict, "submit your own score before you see the others'")
		}
	}
	card, err := found(r.QAScorecard(ctx, cal.ScorecardID, cal.ScorecardVersion))("scorecard", cal.ScorecardID)
	if err != nil {
		return QACalibrationResult{}, err
	}
	res := QACalibrationResult{Calibration: cal, Scorecard: card, Reviews: maskQAReviews(reviews), Agents: map[string]string{}}
	var done []QAReview
	for _, rv := range reviews {
		if ag, err := s.store.Agent(ctx, rv.ReviewerID); err == nil {
			res.Agents[rv.ReviewerID] = ag.Name
		}
		if !rv.SubmittedAt.IsZero() {
			done = append(done, rv)
		}
	}
	for _, c := range card.Criteria {
		var sc []int
		for _, rv := range done {
			if i := slices.IndexFunc(rv.Scores, func(x QAScore) bool { return x.Key == c.Key }); i >= 0 {
				sc = append(sc, rv.Scores[i].Score)
			}
		}
		res.Criteria = append(res.Criteria, qaSpreadOf(c.Key, sc))
	}
	var totals []int
	for _, rv := range done {
		totals = append(totals, rv.OriginalTotal)
	}
	res.Total = qaSpreadOf("", totals)
	return res, nil
}

func qaSpreadOf(key string, scores []int) QASpread {
	sp := QASpread{Key: key, Scores: scores}
	if len(scores) == 0 {
		sp.Scores = []int{}
		return sp
	}
	sp.Min, sp.Max = slices.Min(scores), slices.Max(scores)
	sum := 0
	for _, v := range scores {
		sum += v
	}
	sp.Spread, sp.Mean = sp.Max-sp.Min, float64(sum)/float64(len(scores))
	return sp
}
