package telegram

import (
	"context"
	"errors"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"huiliu/channels"
	"huiliu/i18n"
)

// CodeFlow lets a customer verify with a one-time code in the chat: the
// code goes to the phone on their record (never a number typed here) and
// comes back as a message. cmd/huiliu implements it over desk.OTP.
type CodeFlow interface {
	// SendCode sends a code for the conversation of in; masked is the
	// masked number it went to, "" when the record has none or there is
	// no conversation yet (the answer is the same either way).
	SendCode(ctx context.Context, in channels.Inbound) (masked string, err error)
	// Pending says whether the conversation of in waits for a code, so a
	// bare 6-digit message is taken as that code.
	Pending(ctx context.Context, in channels.Inbound) (bool, error)
	// CheckCode checks code on the conversation of in; state is one of
	// CodeVerified, CodeWrong, CodeExpired, CodeLocked, CodeTooMany; wait
	// is when a locked conversation may try again.
	CheckCode(ctx context.Context, in channels.Inbound, code string) (state string, wait time.Duration, err error)
}

// States CodeFlow.CheckCode and SendCode report.
const (
	CodeVerified = "verified"
	CodeWrong    = "wrong"
	CodeExpired  = "expired"
	CodeLocked   = "locked"
	CodeTooMany  = "too_many"
)

// codeButtonText is the verify keyboard's second button, beside sharing
// the contact; pressing it sends this text, which asks for a code.
var codeButtonText = i18n.T(i18n.ZhCN, "verify.telegram.code_button") + " / " + i18n.T(i18n.En, "verify.telegram.code_button")

var bareCode = regexp.MustCompile(`^\d{6}$`)

// codeCommand reads "/code" (ask for a code), "/code 123456" (check it)
// and the code button's text. A bare six-digit message is a code only
// while one is pending (handleUpdate asks CodeFlow.Pending).
func codeCommand(text string) (code string, ok bool) {
	text = strings.TrimSpace(text)
	if text == codeButtonText {
		return "", true
	}
	cmd, rest, _ := strings.Cut(text, " ")
	cmd, _, _ = strings.Cut(cmd, "@")
	return strings.TrimSpace(rest), cmd == "/code"
}

// handleCode runs the code flow for a private chat message. A code typed
// here is stored as a masked entry (the update's id keeps replays out, and
// agents see a code was typed), never as the code; then it is checked and
// the answer goes to the chat. Asking for a code is not stored, like
// /agent. The answers are in Chinese and English: the desk does not know
// the customer's language.
func (c *Channel) handleCode(ctx context.Context, b *bot, sink channels.Sink, in channels.Inbound, code string) error {
	_, chat, err := ParseThreadKey(in.ThreadKey)
	if err != nil {
		return err
	}
	flow := c.deps.Codes
	var key string
	var pairs []string
	if code == "" {
		masked, err := flow.SendCode(ctx, in)
		key, pairs = codeAnswer(err, "verify.telegram.sent_neutral")
		if err == nil && masked != "" {
			key, pairs = "verify.telegram.sent_to", []string{"to", masked}
		}
		if err != nil && key == "verify.telegram.unavailable" {
			c.log.Warn("telegram: sending a code failed", "bot", b.cfg.Name, "err", err)
		}
	} else {
		masked := in
		masked.Text = i18n.T(i18n.ZhCN, "verify.telegram.masked") + " " + i18n.T(i18n.En, "verify.telegram.masked")
		rc, err := sink.Ingest(ctx, masked)
		if err != nil {
			return err // offered again, never acknowledged
		}
		if rc.Duplicate {
			return nil // checked when it first came
		}
		state, wait, err := flow.CheckCode(ctx, in, code)
		if err != nil {
			c.log.Warn("telegram: checking a code failed", "bot", b.cfg.Name, "err", err)
			key = "verify.telegram.unavailable"
		} else {
			key = "verify.telegram." + state
			if state == CodeLocked || state == CodeTooMany {
				pairs = []string{"m", strconv.Itoa(max(1, int(math.Ceil(wait.Minutes()))))}
			}
		}
	}
	text := i18n.T(i18n.ZhCN, key, pairs...) + "\n" + i18n.T(i18n.En, key, pairs...)
	if _, err := c.sendMessage(ctx, b, sendMessageParams{ChatID: chat, Text: text}); err != nil {
		c.log.Warn("telegram: code answer failed", "bot", b.cfg.Name, "err", classify(err))
	}
	return nil
}

// codeAnswer words a SendCode error: too many codes, or unavailable.
func codeAnswer(err error, ok string) (string, []string) {
	var limited *channels.RetryAfterError
	switch {
	case err == nil:
		return ok, nil
	case errors.As(err, &limited):
		return "verify.telegram.too_many", []string{"m", strconv.Itoa(max(1, int(math.Ceil(limited.After.Minutes()))))}
	}
	return "verify.telegram.unavailable", nil
}

// codeMessage says whether in is part of the code flow and which code it
// carries ("" asks for one): /code, the code button, or a bare six digits
// while a code is pending. Only private chats verify.
func (c *Channel) codeMessage(ctx context.Context, in channels.Inbound) (string, bool) {
	if c.deps.Codes == nil || in.Text == "" {
		return "", false
	}
	if _, chat, err := ParseThreadKey(in.ThreadKey); err != nil || chat <= 0 {
		return "", false
	}
	if code, ok := codeCommand(in.Text); ok {
		return code, true
	}
	text := strings.TrimSpace(in.Text)
	if !bareCode.MatchString(text) {
		return "", false
	}
	pending, err := c.deps.Codes.Pending(ctx, in)
	if err != nil {
		c.log.Warn("telegram: is a code pending?", "err", err)
		return "", false
	}
	return text, pending
}
