package api

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"huiliu/channels"
)

// Every server in these tests is an httptest server on 127.0.0.1; no test
// connects anywhere else.

type testServer struct {
	*httptest.Server
	requests atomic.Int32
	conns    atomic.Int32
}

// serve starts a loopback server that counts connections as well as
// requests, so "nothing reached the server" means not even a TCP accept.
func serve(t *testing.T, h http.HandlerFunc) *testServer {
	t.Helper()
	ts := &testServer{}
	ts.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ts.requests.Add(1)
		h(w, r)
	}))
	ts.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			ts.conns.Add(1)
		}
	}
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

var fixedNow = time.Unix(1700000000, 0)

func newTestAdapter(t *testing.T, cfg Config) *Adapter {
	t.Helper()
	a, err := New(cfg)
	if err != nil {
		t.Fatalf("New(%+v): %v", cfg, err)
	}
	a.now = func() time.Time { return fixedNow }
	return a
}

var sample = channels.Outbound{
	MessageID:      "msg-1",
	TicketID:       "tkt-1",
	Channel:        "api",
	ThreadKey:      "thread-9",
	To:             channels.Party{Kind: "api", Value: "cust-42", Name: "张三"},
	Text:           "您好，<b>还款</b> & \"plan\"\n第二行",
	IdempotencyKey: "out-77-idem",
	Attempt:        2,
}

type kind int

const (
	ok kind = iota
	temporary
	retryAfter
	permanent
)

func (k kind) String() string {
	return [...]string{"ok", "temporary", "retry-after", "permanent"}[k]
}

func kindOf(err error) kind {
	var ra *channels.RetryAfterError
	switch {
	case err == nil:
		return ok
	case errors.Is(err, channels.ErrPermanent):
		return permanent
	case errors.As(err, &ra):
		return retryAfter
	}
	return temporary
}

func TestName(t *testing.T) {
	a := newTestAdapter(t, Config{CallbackURL: "https://example.com/hook"})
	if a.Name() != "api" {
		t.Fatalf("Name() = %q, want api", a.Name())
	}
}

func TestSendSuccessSignedRequest(t *testing.T) {
	const secret = "s3cr3t-shared"
	var (
		mu     sync.Mutex
		method string
		path   string
		header http.Header
		body   []byte
	)
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		method, path, header, body = r.Method, r.URL.RequestURI(), r.Header.Clone(), b
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"ext-123","status":"queued"}`)
	})
	a := newTestAdapter(t, Config{CallbackURL: srv.URL + "/hooks/huiliu?tenant=7", Secret: secret, AllowPrivate: true})

	id, err := a.Send(context.Background(), sample)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if id != "ext-123" {
		t.Errorf("id = %q, want ext-123", id)
	}
	mu.Lock()
	defer mu.Unlock()
	if method != http.MethodPost || path != "/hooks/huiliu?tenant=7" {
		t.Errorf("request = %s %s, want POST /hooks/huiliu?tenant=7", method, path)
	}
	for h, want := range map[string]string{
		"Content-Type":       "application/json",
		"Idempotency-Key":    "out-77-idem",
		"User-Agent":         "huiliu",
		"X-Huiliu-Timestamp": "1700000000",
	} {
		if got := header.Get(h); got != want {
			t.Errorf("header %s = %q, want %q", h, got, want)
		}
	}

	// The signature, computed independently of Sign.
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("1700000000." + string(body)))
	if want := "sha256=" + hex.EncodeToString(m.Sum(nil)); header.Get("X-Huiliu-Signature") != want {
		t.Errorf("signature = %q, want %q", header.Get("X-Huiliu-Signature"), want)
	}
	if err := Verify(secret, header.Get(HeaderTimestamp), header.Get(HeaderSignature), body, fixedNow.Add(time.Minute), 5*time.Minute); err != nil {
		t.Errorf("Verify rejected a genuine request: %v", err)
	}

	var got map[string]any
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, body)
	}
	keys := make([]string, 0, len(got))
	for k := range got {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	wantKeys := []string{"attempt", "idempotency_key", "message_id", "text", "thread_key", "ticket_id", "to"}
	if !slices.Equal(keys, wantKeys) {
		t.Errorf("body keys = %v, want %v", keys, wantKeys)
	}
	for k, want := range map[string]any{
		"message_id":      "msg-1",
		"ticket_id":       "tkt-1",
		"thread_key":      "thread-9",
		"text":            sample.Text,
		"idempotency_key": "out-77-idem",
		"attempt":         float64(2),
	} {
		if got[k] != want {
			t.Errorf("body %s = %#v, want %#v", k, got[k], want)
		}
	}
	to, _ := got["to"].(map[string]any)
	if len(to) != 2 || to["kind"] != "api" || to["value"] != "cust-42" {
		t.Errorf(`body "to" = %#v, want exactly {"kind":"api","value":"cust-42"}`, got["to"])
	}
}

func TestSendUnsignedWithoutSecret(t *testing.T) {
	var header http.Header
	var mu sync.Mutex
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		header = r.Header.Clone()
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	a := newTestAdapter(t, Config{CallbackURL: srv.URL, AllowPrivate: true})
	out := sample
	out.IdempotencyKey = "" // falls back to the message id, equally stable
	id, err := a.Send(context.Background(), out)
	if err != nil || id != "" {
		t.Fatalf("Send = %q, %v; want \"\", nil", id, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if header.Get(HeaderSignature) != "" || header.Get(HeaderTimestamp) != "" {
		t.Errorf("unsigned adapter sent signature headers: %v", header)
	}
	if header.Get("Idempotency-Key") != "msg-1" {
		t.Errorf("Idempotency-Key = %q, want the message id", header.Get("Idempotency-Key"))
	}
}

func TestSendOutcomes(t *testing.T) {
	longBody := strings.Repeat("a", maxSnippet) + "TAIL-NOT-QUOTED"
	cases := []struct {
		name    string
		status  int
		headers map[string]string
		body    string
		want    kind
		after   time.Duration // for retryAfter
		id      string        // for ok
		msg     []string      // substrings of the error
		notMsg  []string
	}{
		{name: "200 with id", status: 200, body: `{"id":"r-1"}`, want: ok, id: "r-1"},
		{name: "201 numeric id", status: 201, body: `{"id":4711}`, want: ok, id: "4711"},
		{name: "200 without id", status: 200, body: `{"ok":true}`, want: ok},
		{name: "200 not json", status: 200, body: `thanks`, want: ok},
		{name: "202 empty", status: 202, want: ok},
		{name: "500", status: 500, body: "db down", want: temporary, msg: []string{"HTTP 500", "db down"}},
		{name: "502", status: 502, want: temporary, msg: []string{"HTTP 502"}},
		{name: "503 without Retry-After", status: 503, want: temporary, msg: []string{"HTTP 503"}},
		{name: "408", status: 408, want: temporary, msg: []string{"HTTP 408"}},
		{name: "429 without Retry-After", status: 429, want: temporary, msg: []string{"HTTP 429"}},
		{name: "429 Retry-After seconds", status: 429, headers: map[string]string{"Retry-After": "7"}, want: retryAfter, after: 7 * time.Second, msg: []string{"HTTP 429"}},
		{name: "503 Retry-After date", status: 503, headers: map[string]string{"Retry-After": fixedNow.Add(2 * time.Minute).UTC().Format(http.TimeFormat)}, want: retryAfter, after: 2 * time.Minute},
		{name: "429 Retry-After garbage", status: 429, headers: map[string]string{"Retry-After": "soon"}, want: temporary},
		{name: "400", status: 400, body: longBody, want: permanent, msg: []string{"HTTP 400", strings.Repeat("a", maxSnippet)}, notMsg: []string{"TAIL"}},
		{name: "401 hints at the secret", status: 401, want: permanent, msg: []string{"HTTP 401", "shared secret"}},
		{name: "404", status: 404, body: "no such hook", want: permanent, msg: []string{"HTTP 404", "no such hook"}},
		{name: "422 control chars escaped", status: 422, body: "bad\nfake log line\x1b[31m", want: permanent, msg: []string{`bad\nfake log line\x1b[31m`}},
		{name: "304 redirect class", status: 304, want: permanent, msg: []string{"configure the final URL"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
				for k, v := range c.headers {
					w.Header().Set(k, v)
				}
				w.WriteHeader(c.status)
				io.WriteString(w, c.body)
			})
			a := newTestAdapter(t, Config{CallbackURL: srv.URL + "/hook", AllowPrivate: true})
			id, err := a.Send(context.Background(), sample)
			if k := kindOf(err); k != c.want {
				t.Fatalf("outcome = %v (err %v), want %v", k, err, c.want)
			}
			if c.want == ok && id != c.id {
				t.Errorf("id = %q, want %q", id, c.id)
			}
			if c.want == retryAfter {
				var ra *channels.RetryAfterError
				errors.As(err, &ra)
				if ra.After != c.after {
					t.Errorf("After = %s, want %s", ra.After, c.after)
				}
			}
			if err != nil && !strings.HasPrefix(strings.TrimPrefix(err.Error(), channels.ErrPermanent.Error()+": "), "api callback: ") &&
				c.want != retryAfter {
				t.Errorf("error lacks the api callback context: %v", err)
			}
			for _, s := range c.msg {
				if err == nil || !strings.Contains(err.Error(), s) {
					t.Errorf("error %v does not mention %q", err, s)
				}
			}
			for _, s := range c.notMsg {
				if err != nil && strings.Contains(err.Error(), s) {
					t.Errorf("error %v should not contain %q", err, s)
				}
			}
		})
	}
}

func TestSendRedirectIsPermanentAndNotFollowed(t *testing.T) {
	target := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	})
	for _, code := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		src := serve(t, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, target.URL+"/final", code)
		})
		a := newTestAdapter(t, Config{CallbackURL: src.URL + "/old", AllowPrivate: true})
		_, err := a.Send(context.Background(), sample)
		if !errors.Is(err, channels.ErrPermanent) {
			t.Fatalf("%d: err = %v, want permanent", code, err)
		}
		for _, s := range []string{"redirected to", target.URL + "/final", "configure the final URL"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("%d: error %q does not mention %q", code, err, s)
			}
		}
	}
	if n := target.requests.Load(); n != 0 {
		t.Fatalf("redirect target got %d requests, want 0", n)
	}
}

// serveBlocking starts a receiver that never answers: it holds each
// request until the client goes away or the test ends.
func serveBlocking(t *testing.T) *testServer {
	release := make(chan struct{})
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		// net/http notices a closed client connection only once the
		// request body has been consumed.
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	// Registered after serve's cleanup, so it runs first and srv.Close
	// does not wait on a held handler.
	t.Cleanup(func() { close(release) })
	return srv
}

func TestSendHonoursContextDeadline(t *testing.T) {
	srv := serveBlocking(t)
	a := newTestAdapter(t, Config{CallbackURL: srv.URL, AllowPrivate: true})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := a.Send(ctx, sample)
	if kindOf(err) != temporary {
		t.Fatalf("err = %v (%v), want a temporary error", err, kindOf(err))
	}
	if !strings.Contains(err.Error(), "did not answer in time") {
		t.Errorf("error %q does not say the receiver was too slow", err)
	}
}

func TestSendHonoursConfiguredTimeout(t *testing.T) {
	srv := serveBlocking(t)
	a := newTestAdapter(t, Config{CallbackURL: srv.URL, AllowPrivate: true, Timeout: 50 * time.Millisecond})
	_, err := a.Send(context.Background(), sample)
	if kindOf(err) != temporary || !strings.Contains(err.Error(), "did not answer in time") {
		t.Fatalf("err = %v, want a temporary timeout", err)
	}
}

func TestSendCancelled(t *testing.T) {
	srv := serveBlocking(t)
	a := newTestAdapter(t, Config{CallbackURL: srv.URL, AllowPrivate: true})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := a.Send(ctx, sample)
	if kindOf(err) != temporary || !strings.Contains(err.Error(), "cancelled") {
		t.Fatalf("err = %v, want a temporary cancellation", err)
	}
}

func TestSendNetworkErrorIsTemporary(t *testing.T) {
	// A loopback port with nothing listening: connection refused.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	a := newTestAdapter(t, Config{CallbackURL: "http://" + addr + "/hook?token=SECRET", AllowPrivate: true})
	_, err = a.Send(context.Background(), sample)
	if kindOf(err) != temporary || !strings.Contains(err.Error(), "could not reach http://"+addr) {
		t.Fatalf("err = %v, want a temporary 'could not reach'", err)
	}
	if strings.Contains(err.Error(), "SECRET") {
		t.Errorf("error leaks the URL's query: %v", err)
	}
}

// countingTransport is the real transport with each response body wrapped
// to count how much of it the adapter reads.
type countingTransport struct {
	base *http.Transport // no environment proxy

	read atomic.Int64
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(r)
	if err == nil {
		resp.Body = countingBody{resp.Body, &c.read}
	}
	return resp, err
}

func TestSendReadsAtMost64KiB(t *testing.T) {
	for _, status := range []int{http.StatusOK, http.StatusBadRequest, http.StatusInternalServerError} {
		// An endless body: without the limit Send would never return.
		srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			io.WriteString(w, `{"id":"big","pad":"`)
			chunk := []byte(strings.Repeat("x", 32<<10))
			for {
				if _, err := w.Write(chunk); err != nil {
					return
				}
				if r.Context().Err() != nil {
					return
				}
			}
		})
		ct := &countingTransport{base: &http.Transport{}}
		a := newTestAdapter(t, Config{CallbackURL: srv.URL, AllowPrivate: true, Client: &http.Client{Transport: ct}})
		id, err := a.Send(context.Background(), sample)
		if n := ct.read.Load(); n > maxResponseBody {
			t.Errorf("%d: read %d bytes of the body, limit is %d", status, n, maxResponseBody)
		}
		switch status {
		case http.StatusOK:
			if err != nil || id != "" {
				t.Errorf("200: Send = %q, %v; want success without id (body cut short)", id, err)
			}
		default:
			if err == nil || len(err.Error()) > 1000 {
				t.Errorf("%d: err = %.300v; want a short error", status, err)
			}
		}
	}
}

func TestCustomClientRedirectPolicyIsOverridden(t *testing.T) {
	target := serve(t, func(w http.ResponseWriter, r *http.Request) {})
	src := serve(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL, http.StatusFound)
	})
	client := &http.Client{} // follows redirects by default
	a := newTestAdapter(t, Config{CallbackURL: src.URL, AllowPrivate: true, Client: client})
	if _, err := a.Send(context.Background(), sample); !errors.Is(err, channels.ErrPermanent) {
		t.Fatalf("err = %v, want permanent", err)
	}
	if target.requests.Load() != 0 {
		t.Fatal("custom client followed the redirect")
	}
	if client.CheckRedirect != nil {
		t.Fatal("New modified the caller's client")
	}
}

func TestConfigValidation(t *testing.T) {
	cases := []struct {
		name string
		cfg  Config
		want string // substring of the error; "" means valid
	}{
		{"empty", Config{}, "callback URL is required"},
		{"blank", Config{CallbackURL: "  \t"}, "callback URL is required"},
		{"relative", Config{CallbackURL: "/hooks/huiliu"}, "must be absolute"},
		{"no scheme", Config{CallbackURL: "example.com/hook"}, "must be absolute"},
		{"ftp", Config{CallbackURL: "ftp://example.com/hook"}, `must use http or https, not "ftp"`},
		{"javascript", Config{CallbackURL: "javascript:alert(1)"}, "must use http or https"},
		{"no host", Config{CallbackURL: "https://"}, "has no host"},
		{"no host with path", Config{CallbackURL: "http:///hook"}, "has no host"},
		{"opaque", Config{CallbackURL: "http:example.com"}, "has no host"},
		{"only port", Config{CallbackURL: "http://:8080/hook"}, "has no host"},
		{"bad host", Config{CallbackURL: "https://exa mple.com/?token=SECRET"}, "not a valid URL"},
		{"bad port", Config{CallbackURL: "https://example.com:http/"}, "not a valid URL"},
		{"port zero", Config{CallbackURL: "https://example.com:0/"}, "not between 1 and 65535"},
		{"port too big", Config{CallbackURL: "https://example.com:70000/"}, "not between 1 and 65535"},
		{"negative timeout", Config{CallbackURL: "https://example.com/", Timeout: -time.Second}, "must not be negative"},
		{"custom client without AllowPrivate", Config{CallbackURL: "https://example.com/", Client: &http.Client{}}, "needs AllowPrivate"},
		{"https", Config{CallbackURL: "https://example.com/hooks/huiliu?token=abc"}, ""},
		{"http with port", Config{CallbackURL: "http://example.com:8080/h"}, ""},
		{"upper-case scheme", Config{CallbackURL: "HTTPS://Example.com/h"}, ""},
		{"IPv6 literal", Config{CallbackURL: "https://[2001:db8::1]:8443/h"}, ""},
		{"surrounding space", Config{CallbackURL: " https://example.com/h\n"}, ""},
		{"timeout", Config{CallbackURL: "https://example.com/h", Timeout: 3 * time.Second}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := New(c.cfg)
			if c.want == "" {
				if err != nil || a == nil {
					t.Fatalf("New = %v, %v; want an adapter", a, err)
				}
				return
			}
			if err == nil {
				t.Fatalf("New accepted %+v; want an error mentioning %q", c.cfg, c.want)
			}
			if a != nil {
				t.Error("New returned an adapter along with an error")
			}
			if !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "api channel: ") {
				t.Errorf("error %q; want it to start with \"api channel: \" and mention %q", err, c.want)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error leaks the URL's token: %q", err)
			}
		})
	}
}

func TestDefaultTimeout(t *testing.T) {
	a := newTestAdapter(t, Config{CallbackURL: "https://example.com/h"})
	if a.timeout != DefaultTimeout || DefaultTimeout != 10*time.Second {
		t.Fatalf("timeout = %s, want 10s", a.timeout)
	}
}

func TestParseRetryAfter(t *testing.T) {
	date := func(d time.Duration) string { return fixedNow.Add(d).UTC().Format(http.TimeFormat) }
	cases := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"7", 7 * time.Second, true},
		{" 120 ", 2 * time.Minute, true},
		{"0", 0, true},
		{"99999999999", maxRetryAfter, true},
		{date(90 * time.Second), 90 * time.Second, true},
		{date(-time.Hour), 0, true}, // already passed: retry now
		{date(48 * time.Hour), maxRetryAfter, true},
		{"Sun, 06 Nov 1994 08:49:37 GMT", 0, true},
		{"", 0, false},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"tomorrow", 0, false},
	}
	for _, c := range cases {
		got, ok := parseRetryAfter(c.in, fixedNow)
		if got != c.want || ok != c.ok {
			t.Errorf("parseRetryAfter(%q) = %s, %v; want %s, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

func TestResponseID(t *testing.T) {
	cases := map[string]string{
		`{"id":"abc-1"}`:                     "abc-1",
		`{"id":12345678901234567890}`:        "12345678901234567890",
		`{"id":"回执-1","x":[1,2]}`:            "回执-1",
		`{"id":null}`:                        "",
		`{"id":{"nested":1}}`:                "",
		`{"id":true}`:                        "",
		`{"ID":"case-insensitive-match-ok"}`: "case-insensitive-match-ok",
		`{}`:                                 "",
		`[]`:                                 "",
		`null`:                               "",
		``:                                   "",
		`not json`:                           "",
		`{"id":"a\u0000b"}`:                  "",
		`{"id":"` + strings.Repeat("z", maxIDLen+1) + `"}`: "",
		`{"id":"` + strings.Repeat("z", maxIDLen) + `"}`:   strings.Repeat("z", maxIDLen),
	}
	for in, want := range cases {
		if got := responseID([]byte(in)); got != want {
			t.Errorf("responseID(%.60q) = %q, want %q", in, got, want)
		}
	}
}
