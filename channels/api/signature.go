package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Header names of the signature scheme described in the package doc.
const (
	HeaderTimestamp = "X-Huiliu-Timestamp"
	HeaderSignature = "X-Huiliu-Signature"
	signaturePrefix = "sha256="
)

// Sign returns the X-Huiliu-Signature value for body sent at timestamp
// (decimal unix seconds): "sha256=" + hex(HMAC-SHA256(secret, timestamp + "." + body)).
// The timestamp is inside the MAC so an attacker cannot re-date a captured
// request to get it past the receiver's replay window.
func Sign(secret, timestamp string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(timestamp))
	m.Write([]byte{'.'})
	m.Write(body)
	return signaturePrefix + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a callback request the way a receiver should: the
// signature must match body under secret, and the timestamp must be within
// tolerance of now in either direction (clocks drift both ways). It is the
// reference for receivers written in Go.
func Verify(secret, timestamp, signature string, body []byte, now time.Time, tolerance time.Duration) error {
	if timestamp == "" || signature == "" {
		return errors.New("missing " + HeaderTimestamp + " or " + HeaderSignature + " header")
	}
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%s is not unix seconds: %q", HeaderTimestamp, timestamp)
	}
	// Compare bounds in seconds: no subtraction involving ts, so an extreme
	// timestamp cannot overflow into the window.
	tol := int64(tolerance / time.Second)
	if lo, hi := now.Unix()-tol, now.Unix()+tol; ts < lo || ts > hi {
		return fmt.Errorf("timestamp %d is more than %s away from now; rejected as a possible replay", ts, tolerance)
	}
	if !strings.HasPrefix(signature, signaturePrefix) {
		return fmt.Errorf("%s must start with %q", HeaderSignature, signaturePrefix)
	}
	// Compare the MACs as bytes, in constant time, so a timing side channel
	// cannot reveal how much of a forged signature was right.
	want := Sign(secret, timestamp, body)
	if !hmac.Equal([]byte(strings.ToLower(signature)), []byte(want)) {
		return errors.New("signature does not match the body; check the shared secret")
	}
	return nil
}
