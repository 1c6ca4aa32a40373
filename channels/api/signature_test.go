package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

func TestSignMatchesIndependentHMAC(t *testing.T) {
	body := []byte(`{"text":"您好"}`)
	m := hmac.New(sha256.New, []byte("k"))
	m.Write([]byte("1700000000." + string(body)))
	want := "sha256=" + hex.EncodeToString(m.Sum(nil))
	if got := Sign("k", "1700000000", body); got != want {
		t.Fatalf("Sign = %q, want %q", got, want)
	}
}

func TestVerify(t *testing.T) {
	const secret = "shared"
	body := []byte(`{"message_id":"m1"}`)
	ts := "1700000000"
	sig := Sign(secret, ts, body)
	now := fixedNow
	tol := 5 * time.Minute
	cases := []struct {
		name            string
		secret, ts, sig string
		body            []byte
		now             time.Time
		want            string // error substring; "" means accepted
	}{
		{"genuine", secret, ts, sig, body, now, ""},
		{"upper-case hex", secret, ts, "sha256=" + strings.ToUpper(strings.TrimPrefix(sig, "sha256=")), body, now, ""},
		{"clock 4m ahead", secret, ts, sig, body, now.Add(4 * time.Minute), ""},
		{"clock 4m behind", secret, ts, sig, body, now.Add(-4 * time.Minute), ""},
		{"stale", secret, ts, sig, body, now.Add(6 * time.Minute), "replay"},
		{"from the future", secret, ts, sig, body, now.Add(-6 * time.Minute), "replay"},
		{"huge timestamp", secret, "9223372036854775807", Sign(secret, "9223372036854775807", body), body, now, "replay"},
		{"minimal timestamp", secret, "-9223372036854775808", Sign(secret, "-9223372036854775808", body), body, now, "replay"},
		{"wrong secret", "other", ts, sig, body, now, "does not match"},
		{"tampered body", secret, ts, sig, []byte(`{"message_id":"m2"}`), now, "does not match"},
		{"re-dated", secret, "1700000001", sig, body, now, "does not match"},
		{"no prefix", secret, ts, strings.TrimPrefix(sig, "sha256="), body, now, "must start with"},
		{"missing signature", secret, ts, "", body, now, "missing"},
		{"missing timestamp", secret, "", sig, body, now, "missing"},
		{"timestamp not a number", secret, "yesterday", sig, body, now, "not unix seconds"},
	}
	for _, c := range cases {
		err := Verify(c.secret, c.ts, c.sig, c.body, c.now, tol)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: Verify = %v, want accepted", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: Verify = %v, want an error mentioning %q", c.name, err, c.want)
		}
	}
}
