package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"huiliu/channels"
	"huiliu/internal/netguard"
)

// ChannelName is the channel the adapter serves.
const ChannelName = "api"

// Limits. The receiver is outside our control, so everything it can make
// us wait for or read is bounded.
const (
	DefaultTimeout  = 10 * time.Second
	maxResponseBody = 64 << 10 // bytes of any response body we read
	maxSnippet      = 200      // bytes of an error body quoted in a delivery error
	maxRetryAfter   = time.Hour
	maxIDLen        = 256
)

// Config configures the adapter. CallbackURL is required.
type Config struct {
	// CallbackURL receives every agent reply on API tickets (absolute http or https).
	CallbackURL string
	// Secret, when set, signs each request (see the package doc).
	Secret string
	// AllowPrivate permits callbacks to loopback and private networks
	// (config key allow_private_callbacks); off by default so the desk
	// cannot be pointed at its own infrastructure.
	AllowPrivate bool
	// Timeout bounds one delivery attempt, connect to last body byte; 0 means DefaultTimeout.
	Timeout time.Duration
	// Client replaces the built-in HTTP client, for tests. It cannot be
	// guarded against private addresses, so it requires AllowPrivate.
	Client *http.Client
}

// Adapter posts outbound messages to the integration's callback URL.
type Adapter struct {
	endpoint string // the callback URL as configured
	where    string // scheme://host, for messages: the path or query may hold a token
	secret   string
	timeout  time.Duration
	client   *http.Client
	now      func() time.Time
}

var _ channels.Adapter = (*Adapter)(nil)

// New validates cfg and builds the adapter. Without a callback URL there is
// nothing to deliver to, so that is an error and the caller does not
// register the adapter.
func New(cfg Config) (*Adapter, error) {
	raw := strings.TrimSpace(cfg.CallbackURL)
	if raw == "" {
		return nil, errors.New("api channel: the callback URL is required")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// Report the parser's reason only: the URL may carry a token.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("api channel: the callback URL is not a valid URL: %w", err)
	}
	switch {
	case u.Scheme == "":
		return nil, errors.New("api channel: the callback URL must be absolute, starting with https:// or http://")
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("api channel: the callback URL must use http or https, not %q", u.Scheme)
	case u.Hostname() == "":
		return nil, errors.New("api channel: the callback URL has no host")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("api channel: the callback URL port %q is not between 1 and 65535", p)
		}
	}
	if cfg.Timeout < 0 {
		return nil, fmt.Errorf("api channel: the timeout must not be negative, got %s", cfg.Timeout)
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}
	var client *http.Client
	if cfg.Client != nil {
		if !cfg.AllowPrivate {
			return nil, errors.New("api channel: a custom HTTP client bypasses the private-address guard; it needs AllowPrivate")
		}
		c := *cfg.Client // a copy: the caller's client keeps its own redirect policy
		c.CheckRedirect = noRedirects
		client = &c
	} else {
		client = newClient(timeout, cfg.AllowPrivate)
	}
	return &Adapter{
		endpoint: u.String(),
		where:    u.Scheme + "://" + u.Host,
		secret:   cfg.Secret,
		timeout:  timeout,
		client:   client,
		now:      time.Now,
	}, nil
}

// newClient builds a client that never uses an environment proxy (it would
// connect for us, past the dial guard), never follows redirects, and, unless
// allowPrivate, refuses non-public addresses when dialling.
func newClient(timeout time.Duration, allowPrivate bool) *http.Client {
	d := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = netguard.Control
	}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                  nil,
			DialContext:            d.DialContext,
			ForceAttemptHTTP2:      true,
			TLSHandshakeTimeout:    timeout,
			MaxIdleConns:           8,
			MaxIdleConnsPerHost:    8,
			IdleConnTimeout:        90 * time.Second,
			MaxResponseHeaderBytes: maxResponseBody,
		},
		CheckRedirect: noRedirects,
	}
}

// noRedirects hands the 3xx back to Send: following it would send a signed
// customer reply to a URL nobody configured.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// Name implements channels.Adapter.
func (a *Adapter) Name() string { return ChannelName }

type payload struct {
	MessageID      string `json:"message_id"`
	TicketID       string `json:"ticket_id"`
	ThreadKey      string `json:"thread_key"`
	To             party  `json:"to"`
	Text           string `json:"text"`
	IdempotencyKey string `json:"idempotency_key"`
	Attempt        int    `json:"attempt"`
	// Kind is "survey.requested" for a satisfaction survey (with Survey);
	// absent for replies.
	Kind   string         `json:"kind,omitempty"`
	Survey *surveyPayload `json:"survey,omitempty"`
}

// surveyPayload lets the integration ask its customer: open url, or post
// the score with token to /api/v1/public/survey-answers.
type surveyPayload struct {
	Token string `json:"token"`
	URL   string `json:"url"`
}

// KindSurveyRequested marks a callback asking for a satisfaction rating.
const KindSurveyRequested = "survey.requested"

type party struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

// Send posts out to the callback URL and classifies the answer for the
// outbox sender: nil, temporary error, *channels.RetryAfterError, or
// channels.Permanent.
func (a *Adapter) Send(ctx context.Context, out channels.Outbound) (string, error) {
	key := out.IdempotencyKey
	if key == "" {
		// The message id is just as stable across retries.
		key = out.MessageID
	}
	if !validHeaderValue(key) {
		return "", channels.Permanent(fmt.Errorf("api callback: idempotency key %q cannot be sent as an HTTP header", key))
	}
	body, err := json.Marshal(payload{
		MessageID:      out.MessageID,
		TicketID:       out.TicketID,
		ThreadKey:      out.ThreadKey,
		To:             party{Kind: out.To.Kind, Value: out.To.Value},
		Text:           out.Text,
		IdempotencyKey: key,
		Attempt:        out.Attempt,
		Kind:           surveyKind(out),
		Survey:         surveyOf(out),
	})
	if err != nil {
		return "", channels.Permanent(fmt.Errorf("api callback: encode message %s: %w", out.MessageID, err))
	}
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.endpoint, bytes.NewReader(body))
	if err != nil {
		return "", channels.Permanent(fmt.Errorf("api callback: build request to %s: %w", a.where, err))
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "huiliu")
	req.Header.Set("Idempotency-Key", key)
	if a.secret != "" {
		// Signed per attempt, so a retry hours later is not stale.
		ts := strconv.FormatInt(a.now().Unix(), 10)
		req.Header.Set(HeaderTimestamp, ts)
		req.Header.Set(HeaderSignature, Sign(a.secret, ts, body))
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return "", a.transportError(ctx, err)
	}
	defer resp.Body.Close()
	// A read error after the status line changes nothing: the status decides.
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseBody))
	return a.outcome(resp, data)
}

// transportError explains a failure to get any answer.
func (a *Adapter) transportError(ctx context.Context, err error) error {
	var pa *netguard.PrivateAddressError
	if errors.As(err, &pa) {
		return channels.Permanent(fmt.Errorf(
			"api callback: refused to connect to %s: %w; callbacks to private networks are off by default, "+
				"set allow_private_callbacks: true in the API channel config if the receiver is on your own network",
			a.where, pa))
	}
	// url.Error repeats the full URL, which may hold a token; keep its cause only.
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("api callback: %s did not answer in time: %w", a.where, err)
	case ctx.Err() != nil:
		return fmt.Errorf("api callback: sending to %s was cancelled: %w", a.where, err)
	}
	return fmt.Errorf("api callback: could not reach %s: %w", a.where, err)
}

// outcome maps the receiver's status to the outbox's three kinds of result.
func (a *Adapter) outcome(resp *http.Response, body []byte) (string, error) {
	code := resp.StatusCode
	status := fmt.Sprintf("HTTP %d %s", code, http.StatusText(code))
	switch {
	case code >= 200 && code < 300:
		return responseID(body), nil
	case code >= 300 && code < 400:
		loc, err := resp.Location()
		if err != nil {
			return "", channels.Permanent(fmt.Errorf("api callback: %s answered %s, a redirect without a usable Location; configure the final URL", a.where, status))
		}
		return "", channels.Permanent(fmt.Errorf("api callback: callback redirected to %s (%s); configure the final URL", quote(loc.Redacted()), status))
	case code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable:
		err := fmt.Errorf("api callback: %s is busy (%s)%s", a.where, status, snippet(body))
		if d, ok := parseRetryAfter(resp.Header.Get("Retry-After"), a.now()); ok {
			return "", &channels.RetryAfterError{After: d, Err: err}
		}
		return "", err // no usable delay: ordinary backoff
	case code == http.StatusRequestTimeout || code >= 500 && code < 600:
		return "", fmt.Errorf("api callback: %s failed with %s%s", a.where, status, snippet(body))
	case code >= 400 && code < 500:
		hint := ""
		if code == http.StatusUnauthorized || code == http.StatusForbidden {
			hint = "; check the shared secret and the receiver's credentials"
		}
		return "", channels.Permanent(fmt.Errorf("api callback: %s rejected the message with %s%s%s", a.where, status, snippet(body), hint))
	}
	return "", channels.Permanent(fmt.Errorf("api callback: %s answered with unexpected %s", a.where, status))
}

// parseRetryAfter reads delay-seconds or an HTTP date. The delay is capped
// so a receiver cannot park a reply indefinitely.
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		d = time.Duration(min(secs, int64(maxRetryAfter/time.Second))) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	} else {
		return 0, false
	}
	return min(max(d, 0), maxRetryAfter), true
}

// responseID returns the "id" of a JSON object body (string or number), or
// "" when there is none or it is not a sane id.
func responseID(body []byte) string {
	var r struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(body, &r) != nil || len(r.ID) == 0 {
		return ""
	}
	var id string
	if json.Unmarshal(r.ID, &id) != nil {
		var n json.Number
		if json.Unmarshal(r.ID, &n) != nil {
			return ""
		}
		id = n.String()
	}
	if len(id) > maxIDLen || !utf8.ValidString(id) || strings.ContainsFunc(id, unicode.IsControl) {
		return ""
	}
	return id
}

// snippet quotes the start of an error body for an admin to read; %q
// escapes control characters so the body cannot forge log lines.
func snippet(body []byte) string {
	if len(body) > maxSnippet {
		body = body[:maxSnippet]
	}
	s := strings.TrimSpace(strings.ToValidUTF8(string(body), "\uFFFD"))
	if s == "" {
		return ""
	}
	return ": " + quote(s)
}

func quote(s string) string {
	if len(s) > maxSnippet {
		s = strings.ToValidUTF8(s[:maxSnippet], "") + "…"
	}
	return strconv.Quote(s)
}

func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

func surveyKind(out channels.Outbound) string {
	if out.Survey == nil {
		return ""
	}
	return KindSurveyRequested
}

func surveyOf(out channels.Outbound) *surveyPayload {
	if out.Survey == nil {
		return nil
	}
	return &surveyPayload{Token: out.Survey.Token, URL: out.Survey.URL}
}
