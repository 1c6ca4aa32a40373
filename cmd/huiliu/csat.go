package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"huiliu/desk"
	"huiliu/i18n"
	"huiliu/store"
)

// csatKeyName names the survey-token key in the database's server_keys.
const csatKeyName = "csat"

// newCSAT builds the satisfaction-survey step with the key every node
// shares (made on first use), so a link sent by one node opens on all.
func newCSAT(ctx context.Context, db *store.DB, publicURL string, log *slog.Logger) (*desk.CSAT, error) {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("csat key: %w", err)
	}
	key, err := db.ServerKey(ctx, csatKeyName, fresh)
	if err != nil {
		return nil, fmt.Errorf("csat key: %w", err)
	}
	return desk.NewCSAT(desk.CSATOptions{Key: key, PublicURL: publicURL, Logger: log}), nil
}

// answerSurvey records a customer's answer from a channel (a Telegram tap,
// the widget's card) and words the outcome for them in lang: thanks, or
// why nothing changed (already answered, expired, not found). An error is
// only for what the customer cannot fix (the desk failing).
func (a *app) answerSurvey(ctx context.Context, token string, score int, comment, lang, thanksKey string) (string, error) {
	l := i18n.Match(lang)
	_, err := a.csat.Answer(ctx, token, score, comment)
	var de *desk.Error
	switch {
	case err == nil:
		return i18n.T(l, thanksKey, "score", strconv.Itoa(score)), nil
	case errors.As(err, &de) && de.Key != "":
		return i18n.T(l, de.Key, "max", strconv.Itoa(desk.MaxSurveyComment)), nil
	}
	return "", err
}

// chatSurveys answers the widget's rating card.
type chatSurveys struct{ a *app }

func (s chatSurveys) AnswerSurvey(ctx context.Context, token string, score int, comment, lang string) (string, error) {
	return s.a.answerSurvey(ctx, token, score, comment, lang, "csat.page.thanks")
}
