package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"time"

	"huiliu/channels"
	"huiliu/channels/email"
	"huiliu/channels/sms"
	"huiliu/channels/telegram"
	"huiliu/channels/webchat"
	"huiliu/desk"
	"huiliu/i18n"
)

// mailCodesFileName receives email codes in the data directory when no
// mailbox sends them.
const mailCodesFileName = "mail-codes.jsonl"

// otpKeyName names the one-time code key in the database's server_keys.
const otpKeyName = "otp"

// MailCodeSender delivers an email code: the email channel's SMTP sender
// (email.Channel) or, with no mailbox, a file like the file SMS
// provider's.
type MailCodeSender interface {
	SendMailCode(ctx context.Context, to, subject, body, code string) error
}

// mailCodes sends email codes by SMTP once serve has built the email
// channel (the code service is built before it, in openApp) and it has a
// mailbox, and into the file before that or without mailboxes.
type mailCodes struct {
	file MailCodeSender
	smtp atomic.Pointer[email.Channel]
}

func (m *mailCodes) SendMailCode(ctx context.Context, to, subject, body, code string) error {
	if ch := m.smtp.Load(); ch != nil && len(ch.Mailboxes()) > 0 {
		return ch.SendMailCode(ctx, to, subject, body, code)
	}
	return m.file.SendMailCode(ctx, to, subject, body, code)
}

// fileMailCodes writes email codes as JSON lines (sms.FileRecord, so
// sms.LatestCode reads them back for tests).
type fileMailCodes struct{ f *sms.FileSender }

func (m fileMailCodes) SendMailCode(ctx context.Context, to, subject, body, code string) error {
	_, err := m.f.Send(ctx, sms.Message{To: to, Template: "mail", Params: map[string]string{"code": code, "subject": subject}, Text: body})
	return err
}

// codeSender implements desk.CodeSender: SMS through the configured
// provider, email through the mail seam. Texts are the catalog's in the
// conversation's language.
type codeSender struct {
	sms  sms.Sender // nil with sms_provider = "none"
	mail MailCodeSender
}

var errNoSMS = errors.New("no SMS provider is configured (sms_provider = \"none\")")

func (c codeSender) SendCode(ctx context.Context, kind, to, code, lang string) error {
	lang = i18n.Match(lang)
	switch kind {
	case desk.OTPSMS:
		if c.sms == nil {
			return channels.Permanent(errNoSMS)
		}
		_, err := c.sms.Send(ctx, sms.Message{To: to, Params: map[string]string{"code": code},
			Text: i18n.T(lang, "verify.sms_text", "code", code)})
		return err
	case desk.OTPEmail:
		return c.mail.SendMailCode(ctx, to, i18n.T(lang, "verify.mail_subject"), i18n.T(lang, "verify.mail_body", "code", code), code)
	}
	return channels.Permanent(fmt.Errorf("unknown code kind %q", kind))
}

// newCodeSender builds the SMS provider and the mail seam of cfg.
func newCodeSender(cfg Config) (codeSender, error) {
	var out codeSender
	if sc, ok := cfg.smsConfig(); ok {
		s, err := sms.New(sc, cfg.Data)
		if err != nil {
			return codeSender{}, err
		}
		out.sms = s
	}
	path := cfg.MailCodesFile
	if path == "" {
		path = filepath.Join(cfg.Data, mailCodesFileName)
	}
	out.mail = &mailCodes{file: fileMailCodes{sms.NewFileSender(path)}}
	return out, nil
}

// otpKey is the configured key file's, else the one kept in the database
// (made on first use), so every node hashes codes alike.
func (a *app) otpKey(ctx context.Context) ([]byte, error) {
	if a.cfg.OTPKeyFile != "" {
		return readOTPKey(a.cfg.OTPKeyFile)
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("otp key: %w", err)
	}
	return a.db.ServerKey(ctx, otpKeyName, fresh)
}

// newOTP builds the one-time code service over the app's queue backend.
func (a *app) newOTP(ctx context.Context) (*desk.OTP, error) {
	sender, err := newCodeSender(a.cfg)
	if err != nil {
		return nil, err
	}
	key, err := a.otpKey(ctx)
	if err != nil {
		return nil, err
	}
	a.mailCodes = sender.mail.(*mailCodes)
	return desk.NewOTP(a.svc, desk.OTPOptions{Codes: a.queue.Codes(), Limiter: a.queue.Limiter(), Sender: sender,
		Key: key, VerifiedFor: a.cfg.Verification.VerifiedFor})
}

// chatVerifier answers the widget's verify card with the desk's OTP,
// turning its errors into the card's states.
type chatVerifier struct{ otp *desk.OTP }

func (v chatVerifier) SendCode(ctx context.Context, ticketID, kind string) (webchat.VerifyResult, error) {
	res, err := v.otp.RequestCode(ctx, ticketID, kind)
	if err != nil {
		return verifyOutcome(err)
	}
	return webchat.VerifyResult{State: webchat.VerifySent, Masked: res.Masked}, nil
}

func (v chatVerifier) CheckCode(ctx context.Context, ticketID, kind, code string) (webchat.VerifyResult, error) {
	if _, err := v.otp.CheckCode(ctx, ticketID, kind, code); err != nil {
		return verifyOutcome(err)
	}
	return webchat.VerifyResult{State: webchat.VerifyVerified}, nil
}

// verifyOutcome maps a refused code to the state a customer is told;
// other errors, a failed send among them, stay errors: the chat logs them
// and tells the customer "unavailable".
func verifyOutcome(err error) (webchat.VerifyResult, error) {
	var de *desk.Error
	retry := time.Duration(0)
	if errors.As(err, &de) {
		retry = de.RetryAfter
	}
	switch {
	case errors.Is(err, desk.ErrOTPWrong):
		return webchat.VerifyResult{State: webchat.VerifyWrong}, nil
	case errors.Is(err, desk.ErrOTPExpired):
		return webchat.VerifyResult{State: webchat.VerifyExpired}, nil
	case errors.Is(err, desk.ErrOTPLocked):
		return webchat.VerifyResult{State: webchat.VerifyLocked, RetryAfter: retry}, nil
	case errors.Is(err, desk.ErrOTPSendLimit):
		return webchat.VerifyResult{State: webchat.VerifyTooMany, RetryAfter: retry}, nil
	}
	return webchat.VerifyResult{}, err
}

// telegramCodes runs the Telegram chat's code flow on the desk's OTP, on
// the conversation the chat's messages go to.
type telegramCodes struct {
	svc *desk.Service
	otp *desk.OTP
}

func (c telegramCodes) ticket(ctx context.Context, in channels.Inbound) (string, error) {
	return c.svc.ConversationTicket(ctx, in.From.Kind, in.From.Value, in.Channel, in.ThreadKey)
}

func (c telegramCodes) SendCode(ctx context.Context, in channels.Inbound) (string, error) {
	tk, err := c.ticket(ctx, in)
	if err != nil || tk == "" {
		return "", err
	}
	res, err := c.otp.RequestCode(ctx, tk, desk.OTPSMS)
	var de *desk.Error
	if errors.Is(err, desk.ErrOTPSendLimit) && errors.As(err, &de) {
		return "", &channels.RetryAfterError{After: de.RetryAfter, Err: err}
	}
	return res.Masked, err
}

func (c telegramCodes) Pending(ctx context.Context, in channels.Inbound) (bool, error) {
	tk, err := c.ticket(ctx, in)
	if err != nil || tk == "" {
		return false, err
	}
	_, ok, err := c.otp.PendingCode(ctx, tk)
	return ok, err
}

func (c telegramCodes) CheckCode(ctx context.Context, in channels.Inbound, code string) (string, time.Duration, error) {
	tk, err := c.ticket(ctx, in)
	if err != nil {
		return "", 0, err
	}
	if tk == "" {
		return telegram.CodeExpired, 0, nil
	}
	kind, ok, err := c.otp.PendingCode(ctx, tk)
	if err != nil {
		return "", 0, err
	}
	if !ok {
		kind = desk.OTPSMS
	}
	if _, err = c.otp.CheckCode(ctx, tk, kind, code); err == nil {
		return telegram.CodeVerified, 0, nil
	}
	res, err := verifyOutcome(err)
	if err != nil {
		return "", 0, err
	}
	return telegramState(res)
}

// telegramState is a refused code's state in the Telegram flow's terms.
func telegramState(res webchat.VerifyResult) (string, time.Duration, error) {
	switch res.State {
	case webchat.VerifyWrong:
		return telegram.CodeWrong, 0, nil
	case webchat.VerifyExpired:
		return telegram.CodeExpired, 0, nil
	}
	return telegram.CodeLocked, res.RetryAfter, nil
}
