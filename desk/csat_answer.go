package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"huiliu/desk/pii"
)

// EventCSATLowScore data: the ticket, the score and the agents told.
type CSATEventData struct {
	Ticket     Ticket   `json:"ticket"`
	Score      int      `json:"score"`
	Recipients []string `json:"recipients"`
}

// SurveyFor is the survey of a customer's token, for the survey page and
// the channels: a token that is malformed, forged or unknown is not found.
func (c *CSAT) SurveyFor(ctx context.Context, token string) (Survey, error) {
	st, err := c.store()
	if err != nil {
		return Survey{}, err
	}
	if !checkSurveyToken(c.key, token) {
		return Survey{}, surveyNotFound()
	}
	sv, err := st.SurveyByTokenHash(ctx, surveyTokenHash(token))
	if errors.Is(err, ErrNotFound) {
		return Survey{}, surveyNotFound()
	}
	if err != nil {
		return Survey{}, fmt.Errorf("desk: survey: %w", err)
	}
	return sv, nil
}

func surveyNotFound() error {
	return Errorf(CodeNotFound, "survey not found").Say("csat.err_not_found")
}

// surveyRefusal says why sv takes no answer: conflicts with catalog keys
// of their own, so every channel words them for the customer.
func surveyRefusal(sv Survey) error {
	if sv.AnsweredAt != nil {
		return Errorf(CodeConflict, "this survey was answered already").Say("csat.err_answered")
	}
	return Errorf(CodeConflict, "this survey expired on %s", sv.ExpiresAt.Format("2006-01-02")).Say("csat.err_expired")
}

// Answer records a customer's rating (1–5) and optional comment, once,
// within SurveyValidity: a second answer or a late one changes nothing and
// is refused with a clear conflict. The answer goes on the timeline; a low
// score (the team's settings) tags or reopens the ticket and tells the
// team's supervisors.
func (c *CSAT) Answer(ctx context.Context, token string, score int, comment string) (Survey, error) {
	comment = strings.TrimSpace(comment)
	switch {
	case score < 1 || score > 5:
		return Survey{}, Errorf(CodeInvalid, "score must be 1 to 5").Say("csat.err_score")
	case len(comment) > MaxSurveyComment:
		return Survey{}, Errorf(CodeTooLarge, "the comment is longer than %d bytes", MaxSurveyComment).Say("csat.err_comment_long",
			"max", strconv.Itoa(MaxSurveyComment))
	case !ValidText(comment):
		return Survey{}, Errorf(CodeInvalid, "the comment must be valid UTF-8 without NUL characters")
	}
	sv, err := c.SurveyFor(ctx, token)
	if err != nil {
		return Survey{}, err
	}
	if sv.State(c.s.now()) != SurveyOpen {
		return Survey{}, surveyRefusal(sv)
	}
	st, _ := c.store()
	set, err := c.settings(ctx, st, sv.TeamID)
	if err != nil {
		return Survey{}, err
	}
	low := set.Threshold > 0 && score <= set.Threshold
	var (
		t        Ticket
		entries  []Message
		changed  bool
		notified []string
		answered bool
	)
	actor := SystemActor("csat")
	err = c.s.store.Tx(ctx, func(dtx Tx) error {
		tx := dtx.(CSATTx)
		entries, changed, notified = entries[:0], false, nil
		now := c.s.now().UTC()
		var err error
		if answered, err = tx.AnswerSurvey(ctx, sv.ID, score, comment, now); err != nil || !answered {
			return err
		}
		if t, err = tx.Ticket(ctx, sv.TicketID); err != nil {
			return err
		}
		args := map[string]string{"score": strconv.Itoa(score), "comment": comment}
		if low && set.Notify {
			if notified, err = teamSupervisors(ctx, tx, t.TeamID); err != nil {
				return err
			}
			args["notified"] = strconv.Itoa(len(notified))
		}
		// The comment stays out of the text, which the audit log keeps
		// unmasked; the entry's args (masked on the way out) carry it.
		text := fmt.Sprintf("Customer rating %d/5", score)
		m, err := c.s.recordEntry(ctx, tx, &t, actor, AuthorSystem, SystemEvent{Action: "csat_answer", Args: args}, text, now)
		if err != nil {
			return err
		}
		entries = append(entries, m)
		if !low || t.Status == StatusClosed {
			return nil
		}
		var f TicketFields
		var notes []SystemEvent
		if set.Flag && !slices.Contains(t.Tags, LowScoreTag) && len(t.Tags) < MaxTags {
			tags := append(slices.Clone(t.Tags), LowScoreTag)
			f.Tags = &tags
			notes = append(notes, SystemEvent{Action: "tag_add", Args: map[string]string{"by": "csat", "tag": LowScoreTag}})
		}
		if set.Reopen && t.Status == StatusResolved {
			open := StatusOpen
			f.Status = &open
			notes = append(notes, SystemEvent{Action: "status", Args: map[string]string{"by": "csat", "from": string(t.Status), "status": string(open)}})
		}
		if len(notes) == 0 {
			return nil
		}
		seq := t.LastSeq
		if t, err = tx.SetTicketFields(ctx, t.ID, f, now); err != nil {
			return err
		}
		t.LastSeq, changed = seq, true
		for _, n := range notes {
			m, err := c.s.recordEntry(ctx, tx, &t, actor, AuthorSystem, n, csatNoteText(n), now)
			if err != nil {
				return err
			}
			entries = append(entries, m)
		}
		return nil
	})
	if err != nil {
		return Survey{}, fmt.Errorf("desk: answer survey %s: %w", sv.ID, err)
	}
	if !answered {
		// Another answer won meanwhile, or it just expired.
		cur, err := st.SurveyByTokenHash(ctx, sv.TokenHash)
		if err != nil {
			return Survey{}, fmt.Errorf("desk: survey %s: %w", sv.ID, err)
		}
		return Survey{}, surveyRefusal(cur)
	}
	for _, m := range entries {
		c.s.publish(ctx, messageEvent(EventMessageCreated, t, m))
	}
	if len(notified) > 0 {
		c.s.publish(ctx, ticketEvent(EventCSATLowScore, t, CSATEventData{Ticket: maskTicket(t), Score: score, Recipients: notified}))
	}
	if changed {
		c.s.publish(ctx, ticketEvent(EventTicketUpdated, t, t))
		c.s.notify(ctx, Change{Kind: ChangeChanged, Ticket: t, Actor: actor})
	}
	now := c.s.now().UTC()
	sv.AnsweredAt, sv.Score, sv.Comment = &now, score, comment
	return sv, nil
}

// csatNoteText is the English text of the low-score steps.
func csatNoteText(e SystemEvent) string {
	if e.Action == "status" {
		return "Reopened after a low satisfaction score"
	}
	return "Tagged " + e.Args["tag"] + " after a low satisfaction score"
}

// TicketSurveys lists a ticket's surveys for an agent who may see it;
// comments are masked like messages.
func (c *CSAT) TicketSurveys(ctx context.Context, a Agent, ticketID string) ([]Survey, error) {
	if _, err := c.s.VisibleTicket(ctx, a, ticketID); err != nil {
		return nil, err
	}
	st, err := c.store()
	if err != nil {
		return nil, err
	}
	list, err := st.TicketSurveys(ctx, ticketID)
	if err != nil {
		return nil, fmt.Errorf("desk: surveys of ticket %s: %w", ticketID, err)
	}
	for i := range list {
		// Masked for every agent, as messages are.
		list[i].Comment = pii.Mask(list[i].Comment)
	}
	return list, nil
}

// PurgeContact lets the retention purge remove what customers wrote in
// their surveys once their tickets are purged (Options.Purgers); scores
// stay for the KPIs.
func (c *CSAT) PurgeContact(ctx context.Context, contactID string, _ []Identity, dryRun bool) (int, error) {
	var n int
	err := c.s.store.Tx(ctx, func(dtx Tx) error {
		var err error
		if n, err = dtx.(CSATTx).PurgeSurveyComments(ctx, contactID, PurgeMarker); err != nil {
			return err
		}
		if dryRun {
			return errDryRun
		}
		return nil
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return 0, fmt.Errorf("desk: purge survey comments of %s: %w", contactID, err)
	}
	return n, nil
}
