package telegram

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// A satisfaction survey is asked with five inline buttons under the
// question; a tap comes back as a callback_query whose data is
// "csat:<token>:<score>", answered with a short notice (answerCallbackQuery).

const (
	surveyPrefix = "csat:"
	// maxCallbackData is Telegram's limit on a button's callback_data.
	maxCallbackData = 64
	callbackTimeout = 10 * time.Second
)

// SurveyAnswer records score for the survey of token and returns the
// notice for the customer in lang ("thanks", "already answered",
// "expired"); an error means the desk could not be reached.
type SurveyAnswer func(ctx context.Context, token string, score int, lang string) (notice string, err error)

// surveyKeyboard is the row of score buttons, or nil when the token does
// not fit a button (then the link in the text still works).
func surveyKeyboard(token string) any {
	row := make([]tgbotapi.InlineKeyboardButton, 0, 5)
	for score := 1; score <= 5; score++ {
		data := surveyPrefix + token + ":" + strconv.Itoa(score)
		if len(data) > maxCallbackData {
			return nil
		}
		row = append(row, tgbotapi.InlineKeyboardButton{Text: strings.Repeat("★", score), CallbackData: &data})
	}
	return tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{row}}
}

// callbackUpdate is the part of an update with a button tap.
type callbackUpdate struct {
	UpdateID      int `json:"update_id"`
	CallbackQuery *struct {
		ID   string `json:"id"`
		From struct {
			LanguageCode string `json:"language_code"`
		} `json:"from"`
		Data string `json:"data"`
	} `json:"callback_query"`
}

// parseSurveyData splits "csat:<token>:<score>".
func parseSurveyData(data string) (token string, score int, ok bool) {
	rest, found := strings.CutPrefix(data, surveyPrefix)
	if !found {
		return "", 0, false
	}
	i := strings.LastIndexByte(rest, ':')
	if i <= 0 {
		return "", 0, false
	}
	score, err := strconv.Atoi(rest[i+1:])
	if err != nil || score < 1 || score > 5 {
		return "", 0, false
	}
	return rest[:i], score, true
}

type answerCallbackParams struct {
	CallbackQueryID string `json:"callback_query_id"`
	Text            string `json:"text,omitempty"`
}

// handleCallback answers a button tap, if raw is one: ok reports that it
// was (stored or not, the update is done). A tap on something else is
// acknowledged so the customer's button stops spinning.
func (c *Channel) handleCallback(ctx context.Context, b *bot, raw []byte) (updateID int, ok bool) {
	var u callbackUpdate
	if json.Unmarshal(raw, &u) != nil || u.CallbackQuery == nil {
		return 0, false
	}
	q := u.CallbackQuery
	log := c.log.With("bot", b.cfg.Name, "update_id", u.UpdateID)
	notice := ""
	if token, score, valid := parseSurveyData(q.Data); valid && c.deps.Survey != nil {
		text, err := c.deps.Survey(ctx, token, score, q.From.LanguageCode)
		if err != nil {
			// The buttons stay, so the customer may tap again.
			log.Warn("telegram: survey answer failed", "err", err)
		}
		notice = text
	}
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), callbackTimeout)
	defer cancel()
	if err := c.call(actx, b, "answerCallbackQuery", answerCallbackParams{CallbackQueryID: q.ID, Text: notice}, nil); err != nil {
		log.Warn("telegram: answerCallbackQuery failed", "err", err)
	}
	return u.UpdateID, true
}
