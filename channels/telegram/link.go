package telegram

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"
)

// Deep links: https://t.me/<bot username>?start=<token> opens the chat and
// sends "/start <token>". The token says "this chat belongs to customer
// number N" and is signed, so nobody can claim someone else's account by
// typing a number.
const (
	// LinkMaxAge is how long a deep link stays valid.
	LinkMaxAge = 10 * time.Minute
	// MaxCustomerNoBytes keeps a token within Telegram's 64-character
	// start parameter.
	MaxCustomerNoBytes = 20
	linkMACBytes       = 16
	linkClockSkew      = time.Minute
	linkContext        = "huiliu telegram deep link v1\x00"
)

// Errors of VerifyLink.
var (
	ErrLinkInvalid = errors.New("telegram: deep link token is invalid")
	ErrLinkExpired = errors.New("telegram: deep link token has expired")
)

// SignLink makes the start parameter for customerNo: base64url (no
// padding) of "customerNo|unix seconds" followed by a truncated
// HMAC-SHA256, at most 63 characters of [A-Za-z0-9_-]. It returns "" when
// secret is empty or customerNo is empty, longer than MaxCustomerNoBytes
// or contains '|' or control characters.
func SignLink(secret, customerNo string, issuedAt time.Time) string {
	if secret == "" || !validCustomerNo(customerNo) {
		return ""
	}
	payload := customerNo + "|" + strconv.FormatInt(issuedAt.Unix(), 10)
	raw := append([]byte(payload), linkMAC(secret, payload)...)
	return base64.RawURLEncoding.EncodeToString(raw)
}

// VerifyLink checks token and returns the customer number it was signed
// for. maxAge <= 0 means LinkMaxAge.
func VerifyLink(secret, token string, now time.Time, maxAge time.Duration) (string, error) {
	if maxAge <= 0 {
		maxAge = LinkMaxAge
	}
	if secret == "" || len(token) > 64 {
		return "", ErrLinkInvalid
	}
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) <= linkMACBytes {
		return "", ErrLinkInvalid
	}
	payload, mac := string(raw[:len(raw)-linkMACBytes]), raw[len(raw)-linkMACBytes:]
	if !hmac.Equal(mac, linkMAC(secret, payload)) {
		return "", ErrLinkInvalid
	}
	customerNo, unix, ok := strings.Cut(payload, "|")
	if !ok || !validCustomerNo(customerNo) {
		return "", ErrLinkInvalid
	}
	sec, err := strconv.ParseInt(unix, 10, 64)
	if err != nil {
		return "", ErrLinkInvalid
	}
	issued := time.Unix(sec, 0)
	if issued.After(now.Add(linkClockSkew)) {
		return "", ErrLinkInvalid
	}
	if now.Sub(issued) > maxAge {
		return "", ErrLinkExpired
	}
	return customerNo, nil
}

// LinkURL is the t.me link that opens botUsername's chat with token.
func LinkURL(botUsername, token string) string {
	return "https://t.me/" + strings.TrimPrefix(botUsername, "@") + "?start=" + token
}

func linkMAC(secret, payload string) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(linkContext))
	h.Write([]byte(payload))
	return h.Sum(nil)[:linkMACBytes]
}

func validCustomerNo(s string) bool {
	if s == "" || len(s) > MaxCustomerNoBytes {
		return false
	}
	for _, r := range s {
		if r == '|' || r < 0x20 || r == 0x7f || r == 0xFFFD {
			return false
		}
	}
	return true
}
