package webchat

import (
	"context"
	"errors"
	"slices"
	"time"
)

// Site is a website the widget may run on, configured by an admin.
type Site struct {
	ID, Key, Name string
	Secret        []byte   // HMAC key: signs visitor tokens, verifies host identities
	Origins       []string // exact allowed origins, e.g. "https://shop.example.com", "http://127.0.0.1:8123"
	Greeting      string   // shown when the panel opens
	HoursNote     string   // e.g. "9:00–18:00 weekdays"
	// PreviousSecret still verifies (never signs) until PreviousUntil, so
	// host sites can switch to a rotated secret without a cut-off.
	PreviousSecret []byte
	PreviousUntil  time.Time
}

// verifyKeys are the secrets a signature may be made with at now: the
// current one first, then the previous one during its grace period.
func (s Site) verifyKeys(now time.Time) [][]byte {
	keys := [][]byte{s.Secret}
	if len(s.PreviousSecret) >= MinSecretBytes && now.Before(s.PreviousUntil) {
		keys = append(keys, s.PreviousSecret)
	}
	return keys
}

// verifyAny runs verify with each key of the site at now and returns the
// first success, or the current key's error.
func verifyAny[T any](site Site, now time.Time, verify func(key []byte) (T, error)) (T, error) {
	var first error
	for _, k := range site.verifyKeys(now) {
		v, err := verify(k)
		if err == nil {
			return v, nil
		}
		if first == nil {
			first = err
		}
	}
	var zero T
	return zero, first
}

// ErrUnknownSite is returned (wrapped) by Sites.SiteByKey for a key no admin configured.
var ErrUnknownSite = errors.New("unknown site")

// Sites finds the configured site for a widget's data-site key.
type Sites interface {
	SiteByKey(ctx context.Context, key string) (Site, error)
}

// MinSecretBytes is the shortest site secret accepted. A short or empty
// key would let anyone mint visitor tokens and customer identities.
const MinSecretBytes = 16

// maxSiteKeyBytes bounds the key taken from a URL before any lookup.
const maxSiteKeyBytes = 128

// allowsOrigin reports whether origin is one of the site's origins. The
// match is exact (scheme, host and port) because a prefix or suffix rule
// is how "shop.example.com.evil.net" gets in.
func (s Site) allowsOrigin(origin string) bool {
	return origin != "" && slices.Contains(s.Origins, origin)
}
