package webchat

import (
	"testing"
	"time"
)

// TestRotatedSecretVerifiesDuringItsGrace: after a rotation the host site
// may still sign with the old secret until the grace ends, visitors keep
// their tokens (and get new ones signed with the new secret), and after
// the grace the old secret proves nothing.
func TestRotatedSecretVerifiesDuringItsGrace(t *testing.T) {
	newSecret := []byte("fedcba9876543210-new-secret")
	e := newEnv(t, func(o *Options) {
		site := o.Sites.(fakeSites)[testSiteKey]
		site.Secret, site.PreviousSecret, site.PreviousUntil = newSecret, testSecret, o.Now().Add(time.Hour)
		o.Sites = fakeSites{testSiteKey: site}
	})
	oldToken := signVisitor(testSecret, testSiteKey, newVisitorID())

	c := e.dial(t)
	w, _ := c.hello(t, helloArgs{Visitor: oldToken, Identity: claim(testSecret, "C10086", "李雷", e.clock.Now())})
	c.close()
	if w.Identity != identityVerified {
		t.Fatalf("identity signed with the previous secret during the grace: %q", w.Identity)
	}
	if id, err := verifyVisitor(newSecret, testSiteKey, w.Visitor); err != nil || id != w.VisitorID {
		t.Fatalf("the welcome's token is not signed with the new secret: %v", err)
	}
	if id, _ := verifyVisitor(testSecret, testSiteKey, oldToken); id != w.VisitorID {
		t.Fatalf("the visitor lost their id across the rotation: %s", w.VisitorID)
	}

	e.clock.Advance(time.Hour + time.Second)
	c = e.dial(t)
	defer c.close()
	w2, _ := c.hello(t, helloArgs{Visitor: oldToken, Identity: claim(testSecret, "C10086", "李雷", e.clock.Now())})
	if w2.Identity != identityIgnored || w2.VisitorID == w.VisitorID {
		t.Fatalf("the old secret still counted after the grace: identity %q, visitor kept %v", w2.Identity, w2.VisitorID == w.VisitorID)
	}
	w3, _ := e.dial(t).hello(t, helloArgs{Identity: claim(newSecret, "C10086", "李雷", e.clock.Now())})
	if w3.Identity != identityVerified {
		t.Fatalf("the new secret: %q", w3.Identity)
	}
}
