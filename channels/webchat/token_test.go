package webchat

import (
	"strings"
	"testing"
)

func TestVisitorTokenRoundTrip(t *testing.T) {
	id := newVisitorID()
	if len(id) != 22 || strings.ContainsAny(id, "+/=") {
		t.Fatalf("visitor id %q", id)
	}
	if newVisitorID() == id {
		t.Fatal("ids repeat")
	}
	tok := signVisitor(testSecret, "shop", id)
	if got, err := verifyVisitor(testSecret, "shop", tok); err != nil || got != id {
		t.Fatalf("verify: %q %v", got, err)
	}
	for name, bad := range map[string]string{
		"other site":   signVisitor(testSecret, "other", id),
		"other secret": signVisitor([]byte("a-different-secret-key"), "shop", id),
		"swapped id":   "v1." + newVisitorID() + tok[strings.LastIndexByte(tok, '.'):],
		"garbage":      "hello",
		"version":      "v2" + tok[2:],
		"empty mac":    "v1." + id + ".",
	} {
		if _, err := verifyVisitor(testSecret, "shop", bad); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestReturningVisitorSeesOpenConversation(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	w, _ := c.hello(t, helloArgs{})
	if w.Visitor == "" || w.VisitorID == "" || len(w.Visitor) > maxVisitorTokenLen {
		t.Fatalf("welcome %+v", w)
	}
	c.message(t, "m1", "昨天的问题")
	_, ack := c.until(t, frameAck)
	c.sync(t)
	e.desk.reply(ack.TicketID, "已处理")
	c.close()

	// A new page load: token kept, ticket and seq lost (say).
	c = e.dial(t)
	defer c.close()
	w2, msgs := c.hello(t, helloArgs{Visitor: w.Visitor})
	if w2.VisitorID != w.VisitorID || w2.TicketID != ack.TicketID || texts(msgs) != "1:昨天的问题 2:已处理" {
		t.Fatalf("welcome %+v, messages %s", w2, texts(msgs))
	}
}

func TestForgedVisitorTokenGetsNewVisitor(t *testing.T) {
	e := newEnv(t, nil)
	c := e.dial(t)
	w, _ := c.hello(t, helloArgs{})
	c.message(t, "m1", "private")
	_, ack := c.until(t, frameAck)
	c.close()

	forged := "v1." + w.VisitorID + ".AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	c = e.dial(t)
	defer c.close()
	w2, msgs := c.hello(t, helloArgs{Visitor: forged, TicketID: ack.TicketID})
	if w2.VisitorID == w.VisitorID || w2.TicketID != "" || len(msgs) != 0 || w2.Visitor == forged {
		t.Fatalf("forged token trusted: %+v %s", w2, texts(msgs))
	}
	if !strings.Contains(e.logs.String(), "visitor token refused") {
		t.Fatal("not logged")
	}
}
