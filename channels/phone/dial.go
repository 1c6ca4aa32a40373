package phone

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"huiliu/channels/api"
)

// ErrNoClickToCall: no line has a click_to_call_url.
var ErrNoClickToCall = errors.New("phone: no line has click-to-call")

// DialRequest is the body click-to-call posts to a line's platform, signed
// like the line's webhook (X-Huiliu-Timestamp, X-Huiliu-Signature).
type DialRequest struct {
	Line      string `json:"line"`
	Extension string `json:"extension"` // the agent's phone, which rings first
	Number    string `json:"number"`    // E.164, the customer
	RequestID string `json:"request_id"`
}

// Dialer asks a line's call platform to place a call (click-to-call);
// the call then reaches the desk as the line's events like any other.
type Dialer struct {
	lines  []Line // those with a click-to-call URL, in configuration order
	client *http.Client
	now    func() time.Time
}

// NewDialer serves the lines that have a click_to_call_url; client nil
// means a client with a 10-second timeout.
func NewDialer(lines []Line, client *http.Client) *Dialer {
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	d := &Dialer{client: client, now: time.Now}
	for _, l := range lines {
		if l.ClickToCallURL != "" {
			d.lines = append(d.lines, l)
		}
	}
	return d
}

// Dial asks the platform of line prefer (else of the first line with
// click-to-call) to ring extension and connect it to number; it reports
// the line used. Any answer but 2xx is an error.
func (d *Dialer) Dial(ctx context.Context, prefer, extension, number, requestID string) (string, error) {
	if len(d.lines) == 0 {
		return "", ErrNoClickToCall
	}
	l := d.lines[0]
	for _, c := range d.lines {
		if c.Name == prefer {
			l = c
		}
	}
	body, err := json.Marshal(DialRequest{Line: l.Name, Extension: extension, Number: number, RequestID: requestID})
	if err != nil {
		return l.Name, fmt.Errorf("phone: click-to-call on %s: %w", l.Name, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, l.ClickToCallURL, bytes.NewReader(body))
	if err != nil {
		return l.Name, fmt.Errorf("phone: click-to-call on %s: %w", l.Name, err)
	}
	ts := strconv.FormatInt(d.now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(api.HeaderTimestamp, ts)
	req.Header.Set(api.HeaderSignature, api.Sign(l.clickToCallSecret(), ts, body))
	resp, err := d.client.Do(req)
	if err != nil {
		return l.Name, fmt.Errorf("phone: click-to-call on %s: %w", l.Name, err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	if resp.StatusCode/100 != 2 {
		return l.Name, fmt.Errorf("phone: click-to-call on %s: the platform answered %d %q", l.Name, resp.StatusCode, msg)
	}
	return l.Name, nil
}
