package desk

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"huiliu/i18n"
)

// QAScorecards lists the cards at their current versions (reviewers and
// supervisors).
func (s *Service) QAScorecards(ctx context.Context, actor Actor) ([]QAScorecard, error) {
	if err := requireQAReviewer(actor); err != nil {
		return nil, err
	}
	r, err := s.qaReader()
	if err != nil {
		return nil, err
	}
	list, err := r.QAScorecards(ctx)
	if err != nil {
		return nil, fmt.Errorf("desk: qa scorecards: %w", err)
	}
	return list, nil
}

// QAScorecard reads one card at version (0: current), for reviewers and
// supervisors; a reviewed agent sees their review's card with the review.
func (s *Service) QAScorecard(ctx context.Context, actor Actor, id string, version int) (QAScorecard, error) {
	if err := requireQAReviewer(actor); err != nil {
		return QAScorecard{}, err
	}
	r, err := s.qaReader()
	if err != nil {
		return QAScorecard{}, err
	}
	return found(r.QAScorecard(ctx, id, version))("scorecard", id)
}

var qaKey = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// cleanQACard checks a card's name and criteria.
func cleanQACard(name string, crit []QACriterion) (string, []QACriterion, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > qaMaxNameRunes || !ValidText(name) || strings.ContainsAny(name, "\r\n") {
		return "", nil, Errorf(CodeInvalid, "a scorecard needs a name of one line, at most %d characters", qaMaxNameRunes)
	}
	if len(crit) == 0 || len(crit) > QAMaxCriteria {
		return "", nil, Errorf(CodeInvalid, "a scorecard has 1 to %d criteria", QAMaxCriteria)
	}
	seen := map[string]bool{}
	out := make([]QACriterion, 0, len(crit))
	for i, c := range crit {
		c.Key = strings.TrimSpace(c.Key)
		if !qaKey.MatchString(c.Key) || seen[c.Key] {
			return "", nil, Errorf(CodeInvalid, "criterion %d: the key must be unique, lower-case letters, digits and _", i+1)
		}
		seen[c.Key] = true
		if c.Weight < 1 || c.Weight > 100 {
			return "", nil, Errorf(CodeInvalid, "criterion %s: the weight is 1 to 100", c.Key)
		}
		names, descs := map[string]string{}, map[string]string{}
		for lang, v := range c.Name {
			v = strings.TrimSpace(v)
			if !slices.Contains(i18n.Languages, lang) || utf8.RuneCountInString(v) > qaMaxNameRunes || !ValidText(v) || strings.ContainsAny(v, "\r\n") {
				return "", nil, Errorf(CodeInvalid, "criterion %s: a name is one line of at most %d characters per language", c.Key, qaMaxNameRunes)
			}
			if v != "" {
				names[lang] = v
			}
		}
		for lang, v := range c.Description {
			v = strings.TrimSpace(v)
			if !slices.Contains(i18n.Languages, lang) || utf8.RuneCountInString(v) > qaMaxCriterionRunes || !ValidText(v) {
				return "", nil, Errorf(CodeInvalid, "criterion %s: a description is at most %d characters per language", c.Key, qaMaxCriterionRunes)
			}
			if v != "" {
				descs[lang] = v
			}
		}
		if len(names) == 0 {
			return "", nil, Errorf(CodeInvalid, "criterion %s needs a name in at least one language", c.Key)
		}
		c.Name, c.Description = names, descs
		out = append(out, c)
	}
	return name, out, nil
}

// SaveQAScorecard creates a card (id "") or writes the next version of
// one; earlier versions stay for the reviews scored on them. Supervisors
// and admins only; audited.
func (s *Service) SaveQAScorecard(ctx context.Context, actor Actor, id, name string, crit []QACriterion) (QAScorecard, error) {
	if err := requireRole(actor, RoleSupervisor); err != nil {
		return QAScorecard{}, err
	}
	name, crit, err := cleanQACard(name, crit)
	if err != nil {
		return QAScorecard{}, err
	}
	now := s.now().UTC()
	_, by := actor.kindID()
	var out QAScorecard
	err = s.qaTx(ctx, func(tx QATx) error {
		if id == "" {
			out = QAScorecard{ID: NewID(), Name: name, Version: 1, Current: 1, Criteria: crit, CreatedBy: by, CreatedAt: now, UpdatedAt: now}
			if err := tx.InsertQAScorecard(ctx, out); err != nil {
				return err
			}
		} else {
			cur, err := found(tx.QAScorecard(ctx, id, 0))("scorecard", id)
			if err != nil {
				return err
			}
			out = QAScorecard{ID: id, Name: name, Version: cur.Current + 1, Current: cur.Current + 1, Criteria: crit,
				CreatedBy: by, CreatedAt: cur.CreatedAt, UpdatedAt: now}
			if err := tx.PutQAScorecardVersion(ctx, out); err != nil {
				return err
			}
		}
		keys := make([]string, len(crit))
		for i, c := range crit {
			keys[i] = fmt.Sprintf("%s=%d", c.Key, c.Weight)
		}
		return s.audit(ctx, tx, actor, "qa.scorecard.save", out.ID, fmt.Sprintf("version %d: %s", out.Version, strings.Join(keys, " ")))
	})
	if errors.Is(err, ErrConflict) {
		return QAScorecard{}, Errorf(CodeConflict, "the scorecard was changed at the same time; reload and save again")
	}
	if err != nil {
		return QAScorecard{}, fmt.Errorf("desk: save scorecard: %w", err)
	}
	return out, nil
}

// qaTotal is the weighted total 0..100 of scores on crit, rounded half up.
// Every criterion must be scored exactly once, 0..QAMaxScore.
func qaTotal(crit []QACriterion, scores []QAScore) ([]QAScore, int, error) {
	by := map[string]QAScore{}
	for _, sc := range scores {
		if _, dup := by[sc.Key]; dup {
			return nil, 0, Errorf(CodeInvalid, "criterion %s is scored twice", sc.Key)
		}
		sc.Note = strings.TrimSpace(sc.Note)
		if utf8.RuneCountInString(sc.Note) > qaMaxTextRunes || !ValidText(sc.Note) {
			return nil, 0, Errorf(CodeInvalid, "criterion %s: a note is at most %d characters", sc.Key, qaMaxTextRunes)
		}
		by[sc.Key] = sc
	}
	out := make([]QAScore, 0, len(crit))
	var got, max int
	for _, c := range crit {
		sc, ok := by[c.Key]
		if !ok {
			return nil, 0, Errorf(CodeInvalid, "criterion %s is not scored", c.Key)
		}
		if sc.Score < 0 || sc.Score > QAMaxScore {
			return nil, 0, Errorf(CodeInvalid, "criterion %s: a score is 0 to %d", c.Key, QAMaxScore)
		}
		delete(by, c.Key)
		out = append(out, sc)
		got += c.Weight * sc.Score
		max += c.Weight * QAMaxScore
	}
	for k := range by {
		return nil, 0, Errorf(CodeInvalid, "criterion %s is not on this scorecard", k)
	}
	return out, (got*200 + max) / (2 * max), nil
}
