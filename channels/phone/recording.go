package phone

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"strings"
	"time"

	"huiliu/internal/netguard"
)

// MaxRecordingBytes bounds one recording the desk relays (hours of
// compressed speech).
const MaxRecordingBytes = 200 << 20

// ErrRecordingRefused: the recording's address is not on one of the
// line's recording hosts, or the line is unknown.
var ErrRecordingRefused = errors.New("phone: recording address refused")

// Recordings fetches call recordings for the desk's proxy, only from the
// hosts configured for each line and never from a private address.
type Recordings struct {
	lines  map[string]Line
	client *http.Client
}

// NewRecordings serves lines; allowPrivate lifts the private-address
// guard (tests on loopback only).
func NewRecordings(lines []Line, allowPrivate bool) *Recordings {
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !allowPrivate {
		d.Control = netguard.Control
	}
	r := &Recordings{lines: map[string]Line{}}
	for _, l := range lines {
		r.lines[l.Name] = l
	}
	r.client = &http.Client{
		// No environment proxy: it would dial for us, past the guard.
		Transport: &http.Transport{Proxy: nil, DialContext: d.DialContext, TLSHandshakeTimeout: 10 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second, MaxIdleConnsPerHost: 4},
		// A redirect must stay on the line's recording hosts.
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			l := r.lines[lineOf(req.Context())]
			if len(via) > 3 || !l.RecordingAllowed(req.URL.String()) {
				return ErrRecordingRefused
			}
			return nil
		},
	}
	return r
}

type lineKey struct{}

func lineOf(ctx context.Context) string { s, _ := ctx.Value(lineKey{}).(string); return s }

// Fetch opens the recording at url of line: its body (at most
// MaxRecordingBytes are read) and an audio content type, or
// application/octet-stream when the platform names none.
func (r *Recordings) Fetch(ctx context.Context, line, url string) (io.ReadCloser, string, error) {
	l, ok := r.lines[line]
	if !ok || !l.RecordingAllowed(url) {
		return nil, "", ErrRecordingRefused
	}
	req, err := http.NewRequestWithContext(context.WithValue(ctx, lineKey{}, line), http.MethodGet, url, nil)
	if err != nil {
		return nil, "", fmt.Errorf("phone: recording request: %w", err)
	}
	res, err := r.client.Do(req)
	if err != nil {
		return nil, "", fmt.Errorf("phone: recording of line %s: %w", line, err)
	}
	if res.StatusCode != http.StatusOK {
		res.Body.Close()
		return nil, "", fmt.Errorf("phone: recording of line %s: status %d", line, res.StatusCode)
	}
	ct, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type"))
	if !strings.HasPrefix(ct, "audio/") {
		ct = "application/octet-stream"
	}
	return limitedBody{io.LimitReader(res.Body, MaxRecordingBytes), res.Body}, ct, nil
}

type limitedBody struct {
	io.Reader
	io.Closer
}
