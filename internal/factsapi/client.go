// Package factsapi reads customer facts from the company's own system over
// HTTP: GET {url}/customers/{no}, signed with HMAC-SHA256, with a timeout,
// a short bounded cache and the private-address guard of API callbacks.
// It implements desk.FactsSource.
package factsapi

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"huiliu/desk"
	"huiliu/internal/netguard"
)

// Headers of a signed request.
const (
	HeaderTimestamp = "X-Huiliu-Timestamp"
	HeaderSignature = "X-Huiliu-Signature"
)

// Defaults and limits.
const (
	DefaultTimeout   = 3 * time.Second
	DefaultCacheTTL  = 60 * time.Second
	DefaultCacheSize = 1000
	maxResponseBytes = 1 << 20
)

// Config configures a Client.
type Config struct {
	// URL is the base: the client calls URL + "/customers/" + number.
	URL    string
	Secret []byte
	// Timeout bounds one request (default 3 s).
	Timeout time.Duration
	// CacheTTL is how long an answer (a record or "no record") is reused
	// (default 60 s; negative: no cache). CacheSize bounds the entries
	// (default 1000).
	CacheTTL  time.Duration
	CacheSize int
	// AllowPrivate lets the URL point at a private network (the facts
	// system often sits next to the desk); off, such addresses are refused
	// at dial time like API callbacks.
	AllowPrivate bool
}

// Client is a desk.FactsSource over HTTP.
type Client struct {
	base   *url.URL
	secret []byte
	client *http.Client
	ttl    time.Duration
	size   int
	now    func() time.Time

	mu    sync.Mutex
	cache map[string]entry
}

type entry struct {
	facts desk.CustomerFacts
	none  bool // the system has no record of this number
	at    time.Time
}

// New checks cfg and builds a client.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(cfg.URL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("factsapi: facts_url %q: want an http(s) URL without credentials, query or fragment", cfg.URL)
	}
	if len(cfg.Secret) < 16 {
		return nil, errors.New("factsapi: facts_secret must be at least 16 bytes")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.CacheTTL == 0 {
		cfg.CacheTTL = DefaultCacheTTL
	}
	if cfg.CacheSize <= 0 {
		cfg.CacheSize = DefaultCacheSize
	}
	d := &net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}
	if !cfg.AllowPrivate {
		d.Control = netguard.Control
	}
	hc := &http.Client{
		Timeout: cfg.Timeout,
		Transport: &http.Transport{
			Proxy:               nil, // a proxy would connect past the guard
			DialContext:         d.DialContext,
			TLSHandshakeTimeout: cfg.Timeout,
			MaxIdleConnsPerHost: 8,
			IdleConnTimeout:     90 * time.Second,
		},
		// A redirect would send the signed request somewhere unconfigured.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &Client{base: u, secret: cfg.Secret, client: hc, ttl: cfg.CacheTTL, size: cfg.CacheSize,
		now: time.Now, cache: map[string]entry{}}, nil
}

// Sign is the X-Huiliu-Signature of a request: "sha256=" +
// hex(HMAC-SHA256(secret, timestamp + "." + method + " " + path)), path
// being the escaped path as sent (/base/customers/C-1001). The timestamp
// (unix seconds) is inside the MAC, so a captured request cannot be
// re-dated; the receiver should refuse timestamps more than 5 minutes off.
func Sign(secret []byte, timestamp, method, path string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(timestamp + "." + method + " " + path))
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// CustomerFacts implements desk.FactsSource. A 404 is desk.ErrNoFacts;
// other failures say what went wrong without the record's content.
func (c *Client) CustomerFacts(ctx context.Context, no string) (desk.CustomerFacts, error) {
	if !desk.ValidCustomerNo(no) {
		return desk.CustomerFacts{}, fmt.Errorf("factsapi: %w", desk.ErrNoFacts)
	}
	if e, ok := c.cached(no); ok {
		if e.none {
			return desk.CustomerFacts{}, fmt.Errorf("factsapi: %w", desk.ErrNoFacts)
		}
		return e.facts, nil
	}
	f, none, err := c.fetch(ctx, no)
	if err != nil {
		return desk.CustomerFacts{}, err
	}
	c.put(no, entry{facts: f, none: none, at: c.now()})
	if none {
		return desk.CustomerFacts{}, fmt.Errorf("factsapi: %w", desk.ErrNoFacts)
	}
	return f, nil
}

func (c *Client) fetch(ctx context.Context, no string) (desk.CustomerFacts, bool, error) {
	u := *c.base
	u.Path = c.base.Path + "/customers/" + no
	u.RawPath = c.base.EscapedPath() + "/customers/" + url.PathEscape(no)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return desk.CustomerFacts{}, false, fmt.Errorf("factsapi: build request: %w", err)
	}
	ts := strconv.FormatInt(c.now().Unix(), 10)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "huiliu")
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, Sign(c.secret, ts, http.MethodGet, u.EscapedPath()))
	resp, err := c.client.Do(req)
	if err != nil {
		var pa *netguard.PrivateAddressError
		if errors.As(err, &pa) {
			return desk.CustomerFacts{}, false, fmt.Errorf("factsapi: refused to connect to %s: %w; set facts_allow_private = true if the facts system is on your own network", c.base.Host, pa)
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL holds the customer number
		}
		if errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Client.Timeout") {
			return desk.CustomerFacts{}, false, fmt.Errorf("factsapi: %s did not answer in time: %w", c.base.Host, err)
		}
		return desk.CustomerFacts{}, false, fmt.Errorf("factsapi: could not reach %s: %w", c.base.Host, err)
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return desk.CustomerFacts{}, true, nil
	case resp.StatusCode != http.StatusOK:
		return desk.CustomerFacts{}, false, fmt.Errorf("factsapi: %s answered %s", c.base.Host, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return desk.CustomerFacts{}, false, fmt.Errorf("factsapi: read answer of %s: %w", c.base.Host, err)
	}
	if len(data) > maxResponseBytes {
		return desk.CustomerFacts{}, false, fmt.Errorf("factsapi: answer of %s is larger than %d bytes", c.base.Host, maxResponseBytes)
	}
	var f desk.CustomerFacts
	if err := json.Unmarshal(data, &f); err != nil {
		return desk.CustomerFacts{}, false, fmt.Errorf("factsapi: answer of %s is not a customer record: %w", c.base.Host, err)
	}
	if f.CustomerNo == "" {
		f.CustomerNo = no
	}
	if err := f.Validate(); err != nil {
		return desk.CustomerFacts{}, false, fmt.Errorf("factsapi: answer of %s: %w", c.base.Host, err)
	}
	if f.CustomerNo != no {
		return desk.CustomerFacts{}, false, fmt.Errorf("factsapi: %s answered for another customer number", c.base.Host)
	}
	return f, false, nil
}

func (c *Client) cached(no string) (entry, bool) {
	if c.ttl < 0 {
		return entry{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.cache[no]
	if !ok || c.now().Sub(e.at) >= c.ttl {
		return entry{}, false
	}
	return e, true
}

// put stores e, first dropping expired entries when the cache is full and
// then, if still full, the oldest one, so the cache never exceeds size.
func (c *Client) put(no string, e entry) {
	if c.ttl < 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.cache[no]; !ok && len(c.cache) >= c.size {
		now := c.now()
		oldest, oldestAt := "", now
		for k, v := range c.cache {
			if now.Sub(v.at) >= c.ttl {
				delete(c.cache, k)
			} else if !v.at.After(oldestAt) {
				oldest, oldestAt = k, v.at
			}
		}
		if len(c.cache) >= c.size {
			delete(c.cache, oldest)
		}
	}
	c.cache[no] = e
}

// Forget drops the cached answers (all when no is ""), e.g. for the
// retention purge.
func (c *Client) Forget(no string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if no == "" {
		clear(c.cache)
		return
	}
	delete(c.cache, no)
}

// Len is the number of cached answers.
func (c *Client) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.cache)
}
