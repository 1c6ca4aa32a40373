package webchat

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

// Visitor tokens: "v1.<visitor id>.<mac>", where the visitor id is 16
// random bytes in base64url (22 characters) and the mac is
// HMAC-SHA256(site secret, context | site key | visitor id) in base64url.
// Binding the site key in means a token from one site is worthless on
// another even if an admin reused a secret.
const (
	visitorTokenVersion = "v1"
	visitorIDBytes      = 16
	visitorTokenContext = "huiliu webchat visitor v1\x00"
	maxVisitorTokenLen  = 128
)

var (
	errTokenMalformed = errors.New("webchat: visitor token is malformed")
	errTokenForged    = errors.New("webchat: visitor token signature does not match")
)

// newVisitorID is a fresh anonymous visitor id: 128 random bits, URL-safe.
func newVisitorID() string {
	b := make([]byte, visitorIDBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// signVisitor makes the token a widget keeps for visitorID on site.
func signVisitor(secret []byte, siteKey, visitorID string) string {
	return visitorTokenVersion + "." + visitorID + "." +
		base64.RawURLEncoding.EncodeToString(visitorMAC(secret, siteKey, visitorID))
}

// verifyVisitor returns the visitor id a token was signed for.
func verifyVisitor(secret []byte, siteKey, token string) (string, error) {
	if len(token) > maxVisitorTokenLen {
		return "", errTokenMalformed
	}
	version, rest, ok := strings.Cut(token, ".")
	if !ok || version != visitorTokenVersion {
		return "", errTokenMalformed
	}
	id, macText, ok := strings.Cut(rest, ".")
	if !ok {
		return "", errTokenMalformed
	}
	raw, err := base64.RawURLEncoding.DecodeString(id)
	if err != nil || len(raw) != visitorIDBytes {
		return "", errTokenMalformed
	}
	mac, err := base64.RawURLEncoding.DecodeString(macText)
	if err != nil {
		return "", errTokenMalformed
	}
	if !hmac.Equal(mac, visitorMAC(secret, siteKey, id)) {
		return "", errTokenForged
	}
	return id, nil
}

func visitorMAC(secret []byte, siteKey, visitorID string) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(visitorTokenContext))
	h.Write([]byte(siteKey))
	h.Write([]byte{0})
	h.Write([]byte(visitorID))
	return h.Sum(nil)
}
