package webchat

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// A host site vouches for a logged-in customer by signing
// customer_no + "\n" + name + "\n" + iat with the site secret
// (HMAC-SHA256, lowercase hex). The widget passes the four values through;
// only the signature makes them worth anything.
const (
	// IdentityMaxAge is how long a signed identity stays valid after iat.
	IdentityMaxAge = 10 * time.Minute
	// IdentityClockSkew is how far in the future iat may lie.
	IdentityClockSkew = time.Minute

	maxCustomerNoBytes = 64
	maxIdentityName    = 128 // bytes; the desk allows 200 for a name
	identityMethod     = "site_signature"
)

// Reasons an identity is not trusted; they go to the log, never to the
// customer, so a forger learns nothing.
var (
	errIdentityMalformed = errors.New("webchat: signed identity is malformed")
	errIdentityForged    = errors.New("webchat: signed identity signature does not match")
	errIdentityExpired   = errors.New("webchat: signed identity has expired")
	errIdentityFuture    = errors.New("webchat: signed identity is issued in the future")
)

// identityClaim is what the widget forwards from the host page.
type identityClaim struct {
	CustomerNo string   `json:"customer_no"`
	Name       string   `json:"name"`
	IAT        unixTime `json:"iat"`
	Sig        string   `json:"sig"`
}

// identity is a claim whose signature held.
type identity struct {
	CustomerNo string
	Name       string
}

// SignIdentity is what a host site written in Go computes for a customer;
// docs/webchat.md shows the same in other languages.
func SignIdentity(secret []byte, customerNo, name string, iat time.Time) string {
	return hex.EncodeToString(identityMAC(secret, customerNo, name, iat.Unix()))
}

// verifyIdentity checks the claim against the site secret at now.
func verifyIdentity(secret []byte, c identityClaim, now time.Time) (identity, error) {
	if !validIdentityField(c.CustomerNo, maxCustomerNoBytes) || strings.TrimSpace(c.CustomerNo) == "" ||
		!validIdentityField(c.Name, maxIdentityName) || len(c.Sig) != 2*sha256.Size {
		return identity{}, errIdentityMalformed
	}
	sig, err := hex.DecodeString(c.Sig)
	if err != nil {
		return identity{}, errIdentityMalformed
	}
	if !hmac.Equal(sig, identityMAC(secret, c.CustomerNo, c.Name, int64(c.IAT))) {
		return identity{}, errIdentityForged
	}
	issued := time.Unix(int64(c.IAT), 0)
	if issued.After(now.Add(IdentityClockSkew)) {
		return identity{}, errIdentityFuture
	}
	if now.Sub(issued) > IdentityMaxAge {
		return identity{}, errIdentityExpired
	}
	return identity{CustomerNo: c.CustomerNo, Name: c.Name}, nil
}

func identityMAC(secret []byte, customerNo, name string, iat int64) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(customerNo + "\n" + name + "\n" + strconv.FormatInt(iat, 10)))
	return h.Sum(nil)
}

// validIdentityField refuses control characters: a newline inside a field
// would let two different (customer_no, name) pairs sign the same string.
func validIdentityField(s string, max int) bool {
	if len(s) > max || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}
