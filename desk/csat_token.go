package desk

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// A survey token is "<survey id>.<MAC>": the MAC (HMAC-SHA256 with the
// desk's csat key, cut to 128 bits) makes it unguessable and lets the
// sender make it again from the id, so the token is never stored — only
// its hash, to find the survey. It is short enough for a Telegram
// callback_data (64 bytes) with room for the score.
const surveyMACBytes = 16

// MaxSurveyTokenBytes bounds a token taken from outside.
const MaxSurveyTokenBytes = 80

func surveyToken(key []byte, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("csat:" + id))
	return id + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:surveyMACBytes])
}

// surveyTokenHash is the stored form of a token.
func surveyTokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// checkSurveyToken reports whether token is well-formed and made with key.
func checkSurveyToken(key []byte, token string) bool {
	if len(token) > MaxSurveyTokenBytes {
		return false
	}
	id, _, ok := strings.Cut(token, ".")
	return ok && id != "" && hmac.Equal([]byte(surveyToken(key, id)), []byte(token))
}
