// Package sms sends text messages (one-time codes, notices) through a
// provider: Aliyun SMS, Tencent Cloud SMS, or a local file for development
// and tests. Failures are classified like channel deliveries: refused
// numbers, templates and signatures are channels.Permanent, provider
// throttling is a *channels.RetryAfterError, everything else (5xx,
// timeouts, broken connections) is a plain error the caller may retry.
package sms

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"huiliu/channels"
)

// Message is one SMS. Cloud providers only send pre-approved templates, so
// Template and Params are what they deliver; Text is the rendered wording,
// kept by the file provider so a developer can read what would go out.
type Message struct {
	To       string
	Template string
	Params   map[string]string
	Text     string
}

// Sender delivers one SMS and returns the provider's id for it.
type Sender interface {
	Send(ctx context.Context, m Message) (id string, err error)
}

var errNoRecipient = errors.New("sms: message has no recipient")

// throttled is the error for a provider that asked us to slow down.
func throttled(after time.Duration, err error) error {
	return &channels.RetryAfterError{After: after, Err: err}
}

// statusError classifies an HTTP answer without a usable provider code:
// 429 is throttling, other 4xx cannot succeed on retry, 5xx may.
func statusError(provider string, status int, retryAfter string) error {
	err := fmt.Errorf("sms: %s: http status %d", provider, status)
	switch {
	case status == http.StatusTooManyRequests:
		d := time.Minute
		if s, perr := time.ParseDuration(retryAfter + "s"); perr == nil && s > 0 {
			d = s
		}
		return throttled(d, err)
	case status >= 500:
		return err
	default:
		return channels.Permanent(err)
	}
}

// roundTrip sends req and reads a bounded answer; the response body is
// closed, its status and headers stay readable.
func roundTrip(c *http.Client, req *http.Request, provider string) (*http.Response, []byte, error) {
	if c == nil {
		c = defaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("sms: %s: %w", provider, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return nil, nil, fmt.Errorf("sms: %s: read answer: %w", provider, err)
	}
	return resp, body, nil
}

// defaultClient bounds a provider call so a hung connection is a
// retryable timeout rather than a stuck sender.
var defaultClient = &http.Client{Timeout: 15 * time.Second}
