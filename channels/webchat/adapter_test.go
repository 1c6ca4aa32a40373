package webchat

import (
	"context"
	"testing"

	"huiliu/channels"
)

func TestAdapterSendPokesPull(t *testing.T) {
	e := newEnv(t, nil)
	a := e.srv.Adapter()
	if a.Name() != "webchat" {
		t.Fatalf("name %q", a.Name())
	}
	c := e.dial(t)
	defer c.close()
	c.hello(t, helloArgs{})
	c.message(t, "m1", "hi")
	_, ack := c.until(t, frameAck)
	c.sync(t)

	m := e.desk.reply(ack.TicketID, "来自客服") // no notice: only the adapter tells
	id, err := a.Send(context.Background(), channels.Outbound{MessageID: m.ID, TicketID: ack.TicketID, Channel: "webchat", Text: m.Text})
	if err != nil || id != "" {
		t.Fatalf("send: %q %v", id, err)
	}
	got := c.sync(t)
	if len(got) != 1 || got[0].ID != m.ID || got[0].AgentName != "张三" || got[0].EmployeeNo != "HL1234" || got[0].From != "agent" {
		t.Fatalf("pulled %+v", got)
	}
	// A ticket with nobody connected here still succeeds.
	if _, err := a.Send(context.Background(), channels.Outbound{TicketID: "elsewhere"}); err != nil {
		t.Fatal(err)
	}
}
