package webchat

import (
	"strings"
	"testing"
	"time"
)

func claim(secret []byte, customerNo, name string, iat time.Time) *identityClaim {
	return &identityClaim{CustomerNo: customerNo, Name: name, IAT: unixTime(iat.Unix()), Sig: SignIdentity(secret, customerNo, name, iat)}
}

func TestSignedIdentityLinksFirstMessage(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	defer c.close()
	w, _ := c.hello(t, helloArgs{Identity: claim(testSecret, "C10086", "李雷", e.clock.Now().Add(-9*time.Minute))})
	if w.Identity != identityVerified {
		t.Fatalf("welcome identity %q", w.Identity)
	}
	c.message(t, "m1", "查账单")
	if _, a := c.until(t, frameAck); !a.Linked {
		t.Fatalf("ack %+v, want linked", a)
	}
	c.message(t, "m2", "谢谢")
	if _, a := c.until(t, frameAck); a.Linked {
		t.Fatalf("ack %+v: only the first message carries the link", a)
	}
	in := e.desk.stored()
	if len(in[0].Links) != 1 || len(in[1].Links) != 0 {
		t.Fatalf("links %+v / %+v", in[0].Links, in[1].Links)
	}
	l := in[0].Links[0]
	if l.Kind != "customer_no" || l.Value != "C10086" || l.Name != "李雷" || !l.Verified || l.Method != "site_signature" {
		t.Fatalf("link %+v", l)
	}
	if in[0].From.Name != "李雷" || in[1].From.Name != "李雷" || in[0].From.Kind != "webchat" {
		t.Fatalf("from %+v / %+v", in[0].From, in[1].From)
	}
}

func TestLinkRetriedUntilAcked(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	defer c.close()
	c.hello(t, helloArgs{Identity: claim(testSecret, "C1", "", e.clock.Now())})
	e.desk.mu.Lock()
	e.desk.fail = errString("down")
	e.desk.mu.Unlock()
	c.message(t, "m1", "hi")
	c.until(t, frameError)
	e.desk.mu.Lock()
	e.desk.fail = nil
	e.desk.mu.Unlock()
	c.message(t, "m1", "hi")
	if _, a := c.until(t, frameAck); !a.Linked {
		t.Fatalf("ack %+v: the link was never stored, so it must still be sent", a)
	}
}

func TestBadIdentitiesIgnored(t *testing.T) {
	now := newClock().Now()
	cases := []struct {
		name   string
		claim  *identityClaim
		reason string
	}{
		{"expired", claim(testSecret, "C1", "A", now.Add(-IdentityMaxAge-time.Second)), "expired"},
		{"future", claim(testSecret, "C1", "A", now.Add(IdentityClockSkew+time.Minute)), "future"},
		{"forged", claim([]byte("another-secret-of-16+bytes"), "C1", "A", now), "does not match"},
		{"name swapped", func() *identityClaim {
			c := claim(testSecret, "C1", "A", now)
			c.Name = "B"
			return c
		}(), "does not match"},
		{"newline", claim(testSecret, "C1\nA", "", now), "malformed"},
		{"short sig", &identityClaim{CustomerNo: "C1", IAT: unixTime(now.Unix()), Sig: "abcd"}, "malformed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, nil)
			c := e.dial(t)
			defer c.close()
			w, _ := c.hello(t, helloArgs{Identity: tc.claim})
			if w.Identity != identityIgnored {
				t.Fatalf("identity %q", w.Identity)
			}
			c.message(t, "m1", "hi")
			if _, a := c.until(t, frameAck); a.Linked {
				t.Fatal("linked")
			}
			in := e.desk.stored()[0]
			if len(in.Links) != 0 || in.From.Name != "" {
				t.Fatalf("untrusted identity used: %+v", in)
			}
			logs := e.logs.String()
			if !strings.Contains(logs, "level=WARN") || !strings.Contains(logs, "signed identity ignored") || !strings.Contains(logs, tc.reason) {
				t.Fatalf("not logged with reason %q:\n%s", tc.reason, logs)
			}
		})
	}
}

func TestIdentityIATAsString(t *testing.T) {
	now := newClock().Now() // unix 1800000000
	sig := SignIdentity(testSecret, "C1", "N", now)
	f, err := decodeClientFrame([]byte(`{"type":"hello","identity":{"customer_no":"C1","name":"N","iat":"1800000000","sig":"`+sig+`"}}`), 4096)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := verifyIdentity(testSecret, *f.Identity, now); err != nil {
		t.Fatalf("iat given as a string: %v", err)
	}
	if _, err := decodeClientFrame([]byte(`{"type":"hello","identity":{"iat":"soon"}}`), 4096); err == nil || err.Code != CodeInvalid {
		t.Fatalf("iat not a number: %v", err)
	}
}
