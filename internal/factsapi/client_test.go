package factsapi

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"huiliu/desk"
	"huiliu/internal/netguard"
)

var secret = []byte("0123456789abcdef-facts")

const record = `{"customer_no":"C-1001","name":"王芳","phone":"13812348001","id_last4":"123X",
 "contracts":[{"no":"HT-2026-0001","kind":"loan","principal":"50000","balance":12345.6,
 "next_due_date":"2026-12-05","next_due_amount":"1,234.50"}]}`

// factsServer is the company's system as the docs describe it: it checks
// the signature itself (written apart from Sign) and the clock skew.
type factsServer struct {
	*httptest.Server
	requests atomic.Int64
	mu       sync.Mutex
	paths    []string
	delay    time.Duration
}

func newFactsServer(t *testing.T) *factsServer {
	fs := &factsServer{}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.requests.Add(1)
		fs.mu.Lock()
		fs.paths = append(fs.paths, r.URL.EscapedPath())
		delay := fs.delay
		fs.mu.Unlock()
		ts := r.Header.Get("X-Huiliu-Timestamp")
		sec, err := strconv.ParseInt(ts, 10, 64)
		if err != nil || time.Since(time.Unix(sec, 0)).Abs() > 5*time.Minute {
			http.Error(w, "stale", http.StatusUnauthorized)
			return
		}
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(ts + "." + r.Method + " " + r.URL.EscapedPath()))
		want := "sha256=" + hex.EncodeToString(m.Sum(nil))
		if !hmac.Equal([]byte(want), []byte(r.Header.Get("X-Huiliu-Signature"))) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		time.Sleep(delay)
		switch r.URL.EscapedPath() {
		case "/api/customers/C-1001":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(record))
		case "/api/customers/C-2002":
			_, _ = w.Write([]byte(`{"customer_no":"C-3003","contracts":[]}`))
		case "/api/customers/C-500":
			http.Error(w, "boom", http.StatusInternalServerError)
		case "/api/customers/C-BAD":
			_, _ = w.Write([]byte(`{"contracts":[{"no":"X1","kind":"lease"}]}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(fs.Close)
	return fs
}

func newClient(t *testing.T, url string, mod func(*Config)) *Client {
	t.Helper()
	cfg := Config{URL: url + "/api/", Secret: secret, AllowPrivate: true}
	if mod != nil {
		mod(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSignedRequestAndRecord(t *testing.T) {
	srv := newFactsServer(t)
	c := newClient(t, srv.URL, nil)
	f, err := c.CustomerFacts(context.Background(), "C-1001")
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "王芳" || len(f.Contracts) != 1 || f.Contracts[0].Principal != 5000000 ||
		f.Contracts[0].Balance != 1234560 || f.Contracts[0].NextDueAmount != 123450 {
		t.Fatalf("record: %+v", f)
	}
	// A wrong secret is refused by the server: an error, not a record.
	bad := newClient(t, srv.URL, func(c *Config) { c.Secret = []byte("another secret of 16+ bytes") })
	if _, err := bad.CustomerFacts(context.Background(), "C-1001"); err == nil || !strings.Contains(err.Error(), "401") {
		t.Fatalf("wrong secret: %v", err)
	}
}

func TestAnswersThatAreNotARecord(t *testing.T) {
	srv := newFactsServer(t)
	c := newClient(t, srv.URL, nil)
	ctx := context.Background()
	if _, err := c.CustomerFacts(ctx, "C-404"); !errors.Is(err, desk.ErrNoFacts) {
		t.Fatalf("404: %v", err)
	}
	if _, err := c.CustomerFacts(ctx, "../admin"); !errors.Is(err, desk.ErrNoFacts) {
		t.Fatalf("a path in the number: %v", err)
	}
	for no, want := range map[string]string{"C-2002": "another customer", "C-500": "500", "C-BAD": "kind"} {
		_, err := c.CustomerFacts(ctx, no)
		if err == nil || errors.Is(err, desk.ErrNoFacts) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error mentioning %q", no, err, want)
		}
	}
	for _, p := range srv.paths {
		if strings.Contains(p, "..") {
			t.Fatalf("requested %s", p)
		}
	}
}

func TestTimeout(t *testing.T) {
	srv := newFactsServer(t)
	srv.delay = 2 * time.Second
	c := newClient(t, srv.URL, func(c *Config) { c.Timeout = 100 * time.Millisecond })
	_, err := c.CustomerFacts(context.Background(), "C-1001")
	if err == nil || !strings.Contains(err.Error(), "did not answer in time") {
		t.Fatalf("err = %v", err)
	}
}

func TestCacheReusesAnswersForTheTTLAndStaysBounded(t *testing.T) {
	srv := newFactsServer(t)
	c := newClient(t, srv.URL, func(c *Config) { c.CacheSize = 3 })
	now := time.Now()
	c.now = func() time.Time { return now }
	ctx := context.Background()
	for range 3 {
		if _, err := c.CustomerFacts(ctx, "C-1001"); err != nil {
			t.Fatal(err)
		}
		if _, err := c.CustomerFacts(ctx, "C-404"); !errors.Is(err, desk.ErrNoFacts) {
			t.Fatal(err)
		}
	}
	if n := srv.requests.Load(); n != 2 {
		t.Fatalf("%d requests, want 2 (answers and misses cached)", n)
	}
	now = now.Add(DefaultCacheTTL)
	if _, err := c.CustomerFacts(ctx, "C-1001"); err != nil {
		t.Fatal(err)
	}
	if n := srv.requests.Load(); n != 3 {
		t.Fatalf("%d requests after the TTL, want 3", n)
	}
	for i := range 10 {
		_, _ = c.CustomerFacts(ctx, "C-9"+strconv.Itoa(i))
	}
	if c.Len() > 3 {
		t.Fatalf("cache holds %d entries, bound 3", c.Len())
	}
	// Failures are not cached.
	before := srv.requests.Load()
	_, _ = c.CustomerFacts(ctx, "C-500")
	_, _ = c.CustomerFacts(ctx, "C-500")
	if srv.requests.Load()-before != 2 {
		t.Fatal("a failure was cached")
	}
}

func TestPrivateAddressesRefusedUnlessAllowed(t *testing.T) {
	srv := newFactsServer(t)
	c := newClient(t, srv.URL, func(c *Config) { c.AllowPrivate = false })
	_, err := c.CustomerFacts(context.Background(), "C-1001")
	var pa *netguard.PrivateAddressError
	if !errors.As(err, &pa) || !strings.Contains(err.Error(), "facts_allow_private") {
		t.Fatalf("err = %v", err)
	}
	if n := srv.requests.Load(); n != 0 {
		t.Fatalf("the server saw %d requests", n)
	}
}

func TestConfigRefusedWhenUnsafe(t *testing.T) {
	for _, cfg := range []Config{
		{URL: "ftp://facts.example.com", Secret: secret},
		{URL: "https://user:pw@facts.example.com", Secret: secret},
		{URL: "https://facts.example.com?x=1", Secret: secret},
		{URL: "https://facts.example.com", Secret: []byte("short")},
		{URL: "", Secret: secret},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("%+v accepted", cfg)
		}
	}
}
