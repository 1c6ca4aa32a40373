package desk

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"huiliu/desk/pii"
)

// QAReviewView is the review screen: the review, its card at the review's
// version, the ticket's whole timeline (masked) and the comments on it.
type QAReviewView struct {
	Review    QAReview    `json:"review"`
	Scorecard QAScorecard `json:"scorecard"`
	Ticket    Ticket      `json:"ticket"`
	Messages  []Message   `json:"messages"`
	Comments  []QAComment `json:"comments"`
	// Agents names the agents the review and the timeline mention.
	Agents map[string]string `json:"agents"`
	// May says what the viewer may do now.
	May QAActions `json:"may"`
}

// QAActions are what the viewer may do with a review now.
type QAActions struct {
	Score       bool `json:"score"`
	Comment     bool `json:"comment"`
	Acknowledge bool `json:"acknowledge"`
	Dispute     bool `json:"dispute"`
	Settle      bool `json:"settle"`
}

func qaActions(a Agent, rv QAReview) QAActions {
	own := rv.AgentID == a.ID && rv.CalibrationID == ""
	return QAActions{
		Score:       rv.ReviewerID == a.ID && rv.Status == QAAssigned,
		Comment:     rv.ReviewerID == a.ID && rv.Status == QAAssigned,
		Acknowledge: own && rv.Status == QASubmitted,
		Dispute:     own && rv.Status == QASubmitted,
		Settle:      rv.Status == QADisputed && a.Role.AtLeast(RoleSupervisor) && a.ID != rv.AgentID && a.ID != rv.ReviewerID,
	}
}

// QAReviewQueue lists the reviews waiting for the agent as reviewer, and
// for supervisors the disputes waiting to be settled too.
func (s *Service) QAReviewQueue(ctx context.Context, a Agent) (todo, disputes []QAReview, err error) {
	if !CanReviewQA(a) {
		return nil, nil, requireQAReviewer(AgentActor(a))
	}
	r, err := s.qaReader()
	if err != nil {
		return nil, nil, err
	}
	if todo, err = r.QAReviews(ctx, QAReviewFilter{ReviewerID: a.ID, Statuses: []string{QAAssigned}, Limit: qaListLimit}); err != nil {
		return nil, nil, fmt.Errorf("desk: qa queue: %w", err)
	}
	disputes = []QAReview{}
	if a.Role.AtLeast(RoleSupervisor) {
		if disputes, err = r.QAReviews(ctx, QAReviewFilter{Statuses: []string{QADisputed}, Limit: qaListLimit}); err != nil {
			return nil, nil, fmt.Errorf("desk: qa disputes: %w", err)
		}
	}
	return maskQAReviews(todo), maskQAReviews(disputes), nil
}

// MyQAResults lists the agent's own scored reviews, newest first.
func (s *Service) MyQAResults(ctx context.Context, a Agent) ([]QAReview, error) {
	r, err := s.qaReader()
	if err != nil {
		return nil, err
	}
	list, err := r.QAReviews(ctx, QAReviewFilter{AgentID: a.ID, Scored: true, NoCalibration: true, Limit: qaListLimit})
	if err != nil {
		return nil, fmt.Errorf("desk: qa results of %s: %w", a.ID, err)
	}
	return maskQAReviews(list), nil
}

// QAReviewScreen reads everything the review screen shows. The reviewer
// sees the ticket through the review even when it is another team's.
func (s *Service) QAReviewScreen(ctx context.Context, a Agent, id string) (QAReviewView, error) {
	r, err := s.qaReader()
	if err != nil {
		return QAReviewView{}, err
	}
	rv, err := s.visibleQAReview(ctx, r, a, id)
	if err != nil {
		return QAReviewView{}, err
	}
	v := QAReviewView{Review: maskQAReview(rv), May: qaActions(a, rv), Agents: map[string]string{}}
	if v.Scorecard, err = found(r.QAScorecard(ctx, rv.ScorecardID, rv.ScorecardVersion))("scorecard", rv.ScorecardID); err != nil {
		return QAReviewView{}, err
	}
	t, err := s.store.Ticket(ctx, rv.TicketID)
	if err != nil {
		return QAReviewView{}, fmt.Errorf("desk: qa review %s: ticket: %w", id, err)
	}
	v.Ticket = maskTicket(t)
	if v.Messages, err = s.storedMessages(ctx, rv.TicketID, "", qaMaxTimeline); err != nil {
		return QAReviewView{}, err
	}
	maskMessages(v.Messages)
	if v.Comments, err = r.QAComments(ctx, id); err != nil {
		return QAReviewView{}, fmt.Errorf("desk: qa comments %s: %w", id, err)
	}
	for i := range v.Comments {
		v.Comments[i].Text = pii.Mask(v.Comments[i].Text)
	}
	ids := []string{rv.AgentID, rv.ReviewerID, rv.SettledBy}
	for _, m := range v.Messages {
		if m.AuthorKind == AuthorAgent {
			ids = append(ids, m.AuthorID)
		}
	}
	for _, c := range v.Comments {
		ids = append(ids, c.AuthorID)
	}
	for _, id := range qaUniqueIDs(ids) {
		if ag, err := s.store.Agent(ctx, id); err == nil {
			v.Agents[id] = ag.Name
		}
	}
	return v, nil
}

// qaMaxTimeline bounds the messages a review screen shows.
const qaMaxTimeline = 2000

// SubmitQAReview scores a review: its reviewer only, once. Every
// criterion of the review's card version is scored 0..QAMaxScore; the
// total is their weighted sum, 0..100. Audited.
func (s *Service) SubmitQAReview(ctx context.Context, a Agent, id string, scores []QAScore, note string) (QAReview, error) {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > qaMaxTextRunes || !ValidText(note) {
		return QAReview{}, Errorf(CodeInvalid, "a note is at most %d characters", qaMaxTextRunes)
	}
	var out QAReview
	err := s.qaTx(ctx, func(tx QATx) error {
		rv, err := s.visibleQAReview(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !qaActions(a, rv).Score {
			if rv.ReviewerID != a.ID {
				return Errorf(CodeForbidden, "only the review's reviewer scores it")
			}
			return Errorf(CodeConflict, "this review was submitted already")
		}
		card, err := found(tx.QAScorecard(ctx, rv.ScorecardID, rv.ScorecardVersion))("scorecard", rv.ScorecardID)
		if err != nil {
			return err
		}
		if rv.Scores, rv.Total, err = qaTotal(card.Criteria, scores); err != nil {
			return err
		}
		rv.OriginalTotal, rv.Note, rv.Status, rv.SubmittedAt = rv.Total, note, QASubmitted, s.now().UTC()
		if err := tx.UpdateQAReview(ctx, rv); err != nil {
			return err
		}
		out = rv
		return s.audit(ctx, tx, AgentActor(a), "qa.review.submit", rv.ID, fmt.Sprintf("ticket %d agent %s total %d", rv.TicketNumber, rv.AgentID, rv.Total))
	})
	if err != nil {
		return QAReview{}, fmt.Errorf("desk: submit qa review %s: %w", id, err)
	}
	return maskQAReview(out), nil
}

// CommentQAMessage adds the reviewer's comment on one message of the
// reviewed ticket while the review is open.
func (s *Service) CommentQAMessage(ctx context.Context, a Agent, id, messageID, text string) (QAComment, error) {
	text = strings.TrimSpace(text)
	if text == "" || utf8.RuneCountInString(text) > qaMaxTextRunes || !ValidText(text) {
		return QAComment{}, Errorf(CodeInvalid, "a comment is 1 to %d characters", qaMaxTextRunes)
	}
	var out QAComment
	err := s.qaTx(ctx, func(tx QATx) error {
		rv, err := s.visibleQAReview(ctx, tx, a, id)
		if err != nil {
			return err
		}
		if !qaActions(a, rv).Comment {
			return Errorf(CodeForbidden, "only the reviewer comments, while the review is open")
		}
		m, err := tx.Message(ctx, messageID)
		if err != nil || m.TicketID != rv.TicketID {
			return Errorf(CodeInvalid, "the message is not on the reviewed ticket")
		}
		out = QAComment{ID: NewID(), ReviewID: rv.ID, MessageID: m.ID, AuthorID: a.ID, Text: text, CreatedAt: s.now().UTC()}
		return tx.InsertQAComment(ctx, out)
	})
	if err != nil {
		return QAComment{}, fmt.Errorf("desk: comment qa review %s: %w", id, err)
	}
	out.Text = pii.Mask(out.Text)
	return out, nil
}

// GetQAReview reads one review the agent may see.
func (s *Service) GetQAReview(ctx context.Context, a Agent, id string) (QAReview, error) {
	r, err := s.qaReader()
	if err != nil {
		return QAReview{}, err
	}
	rv, err := s.visibleQAReview(ctx, r, a, id)
	return maskQAReview(rv), err
}
