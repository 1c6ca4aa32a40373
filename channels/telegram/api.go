package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// maxResponseBytes bounds what we read from the Bot API: 100 updates of
// a few KiB each fit easily.
const maxResponseBytes = 32 << 20

// APIError is an answer of the Bot API with ok=false (or an unreadable
// answer with an HTTP error status).
type APIError struct {
	Bot         string
	Method      string
	Code        int    // error_code, or the HTTP status
	Description string // Telegram's words, e.g. "Forbidden: bot was blocked by the user"
	RetryAfter  time.Duration
}

func (e *APIError) Error() string {
	return fmt.Sprintf("telegram %s: %s: %d %s", e.Bot, e.Method, e.Code, e.Description)
}

// redactedError carries a transport error whose text had the token in it
// (the Bot API URL does); the text is scrubbed, the cause kept for errors.Is.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// scrub removes the token from err's text. The URL in *url.Error is
// dropped altogether: it is the one place the token travels.
func scrub(err error, token string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	msg := err.Error()
	if token != "" {
		msg = strings.ReplaceAll(msg, token, "<token>")
	}
	return &redactedError{msg: msg, err: err}
}

// call runs one Bot API method with a JSON body and decodes its result
// into result (when not nil).
func (c *Channel) call(ctx context.Context, b *bot, method string, params any, result any) error {
	body, err := json.Marshal(params)
	if err != nil {
		return fmt.Errorf("telegram %s: %s: encode request: %w", b.cfg.Name, method, err)
	}
	return c.post(ctx, b, method, "application/json", bytes.NewReader(body), int64(len(body)), result)
}

// post runs one Bot API method with a body of size bytes (JSON or
// multipart) and decodes its result into result (when not nil).
func (c *Channel) post(ctx context.Context, b *bot, method, contentType string, body io.Reader, size int64, result any) (err error) {
	defer func() { b.health.note(method, err) }()
	endpoint := fmt.Sprintf(b.cfg.APIEndpoint, b.cfg.Token, method)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, body)
	if err != nil {
		return fmt.Errorf("telegram %s: %s: %w", b.cfg.Name, method, scrub(err, b.cfg.Token))
	}
	// A known length rather than chunked: uploads are sized up front, and
	// proxies in front of the Bot API are not all fond of chunked bodies.
	req.ContentLength = size
	req.Header.Set("Content-Type", contentType)
	resp, err := c.client.Do(req)
	if err != nil {
		return fmt.Errorf("telegram %s: %s: %w", b.cfg.Name, method, scrub(err, b.cfg.Token))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return fmt.Errorf("telegram %s: %s: read response: %w", b.cfg.Name, method, scrub(err, b.cfg.Token))
	}
	var r tgbotapi.APIResponse
	if err := json.Unmarshal(data, &r); err != nil {
		if resp.StatusCode != http.StatusOK {
			// A proxy in front of Telegram answering with HTML, typically.
			return &APIError{Bot: b.cfg.Name, Method: method, Code: resp.StatusCode, Description: http.StatusText(resp.StatusCode)}
		}
		return fmt.Errorf("telegram %s: %s: undecodable response: %w", b.cfg.Name, method, err)
	}
	if !r.Ok {
		e := &APIError{Bot: b.cfg.Name, Method: method, Code: r.ErrorCode, Description: r.Description}
		if e.Code == 0 {
			e.Code = resp.StatusCode
		}
		if r.Parameters != nil && r.Parameters.RetryAfter > 0 {
			e.RetryAfter = time.Duration(r.Parameters.RetryAfter) * time.Second
		}
		return e
	}
	if result != nil {
		if err := json.Unmarshal(r.Result, result); err != nil {
			return fmt.Errorf("telegram %s: %s: undecodable result: %w", b.cfg.Name, method, err)
		}
	}
	return nil
}
