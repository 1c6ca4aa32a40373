package telegram

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestLinks(t *testing.T) {
	const secret = "0123456789abcdef-link"
	now := time.Unix(1_800_000_000, 0)
	startParam := regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	for _, no := range []string{"C1", "C20240001", strings.Repeat("9", MaxCustomerNoBytes), "客户12345678"} {
		tok := SignLink(secret, no, now)
		if !startParam.MatchString(tok) {
			t.Errorf("%q: token %q is not a valid start parameter", no, tok)
		}
		got, err := VerifyLink(secret, tok, now.Add(9*time.Minute), 0)
		if err != nil || got != no {
			t.Errorf("%q: verify = %q, %v", no, got, err)
		}
		if _, err := VerifyLink(secret, tok, now.Add(11*time.Minute), LinkMaxAge); !errors.Is(err, ErrLinkExpired) {
			t.Errorf("%q: after 11 min: %v", no, err)
		}
		if _, err := VerifyLink("another-secret-0123456789", tok, now, 0); !errors.Is(err, ErrLinkInvalid) {
			t.Errorf("%q: other secret: %v", no, err)
		}
		if _, err := VerifyLink(secret, tok, now.Add(-5*time.Minute), 0); !errors.Is(err, ErrLinkInvalid) {
			t.Errorf("%q: issued in the future: %v", no, err)
		}
	}
	for _, bad := range []string{"", strings.Repeat("1", MaxCustomerNoBytes+1), "a|b", "a\nb"} {
		if tok := SignLink(secret, bad, now); tok != "" {
			t.Errorf("SignLink(%q) = %q, want empty", bad, tok)
		}
	}
	if SignLink("", "C1", now) != "" {
		t.Error("signed without a secret")
	}
	for _, junk := range []string{"", "!!!", "AAAA", strings.Repeat("A", 65), "QzF8MTgwMDAwMDAwMA"} {
		if _, err := VerifyLink(secret, junk, now, 0); !errors.Is(err, ErrLinkInvalid) {
			t.Errorf("VerifyLink(%q) = %v", junk, err)
		}
	}
	if got := LinkURL("@huiliu_bot", "abc"); got != "https://t.me/huiliu_bot?start=abc" {
		t.Errorf("LinkURL = %q", got)
	}
}
