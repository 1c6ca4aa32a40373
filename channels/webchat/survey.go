package webchat

import (
	"context"
	"strings"
	"time"
)

// Surveys records a satisfaction answer; cmd/huiliu implements it over
// the desk. notice is what the customer reads in lang (thanks, already
// answered, expired); an error means the desk failed and nothing changed.
type Surveys interface {
	AnswerSurvey(ctx context.Context, token string, score int, comment, lang string) (notice string, err error)
}

// surveyFrame answers a csat frame: Done when the card has nothing more to
// take (answered now or before, expired, unknown), else the customer may
// try again.
type surveyFrame struct {
	Type  string `json:"type"`
	Token string `json:"token"`
	Text  string `json:"text"`
	Done  bool   `json:"done"`
}

// handleSurvey answers the rating card. The token is the survey's own
// credential, so it needs no conversation on this connection.
func (c *conn) handleSurvey(f clientFrame) {
	sv := c.s.o.Surveys
	if sv == nil {
		c.push(errorBytes(&refusal{Code: CodeUnavailable, Message: "surveys are not served here"}))
		return
	}
	ctx, cancel := context.WithTimeout(&c.life, 30*time.Second)
	defer cancel()
	notice, err := sv.AnswerSurvey(ctx, f.Token, f.Score, strings.TrimSpace(f.Comment), f.Lang)
	if err != nil {
		if c.life.Err() != nil {
			return
		}
		c.logger().Error("webchat: survey answer", "err", err)
		c.push(encodeFrame(surveyFrame{Type: frameSurvey, Token: f.Token}))
		return
	}
	c.push(encodeFrame(surveyFrame{Type: frameSurvey, Token: f.Token, Text: notice, Done: true}))
}
