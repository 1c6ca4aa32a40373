package telegram

import (
	"context"
	"strings"
	"testing"

	"huiliu/channels"
)

// TestSendSignsAgentReplies: a Telegram message shows only the bot, so an
// agent's reply starts with the agent's name and employee number (from the
// catalog) and a bot's reply goes out as written.
func TestSendSignsAgentReplies(t *testing.T) {
	f := newFixture(t)
	c := f.channel(t, nil)
	out := outbound("m1", "main:1001", "您的退款已处理")
	out.AgentName, out.AgentEmployeeNo = "小王", "HL101024"
	if _, err := c.Send(context.Background(), out); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Send(context.Background(), outbound("m2", "main:1001", "bot text")); err != nil {
		t.Fatal(err)
	}
	sent := f.fake.SentTo(1001)
	if len(sent) != 2 {
		t.Fatalf("sent %+v", sent)
	}
	if want := "客服 小王（工号 HL101024）：\n您的退款已处理"; sent[0].Text != want {
		t.Errorf("agent reply = %q, want %q", sent[0].Text, want)
	}
	if sent[1].Text != "bot text" {
		t.Errorf("bot reply = %q, want it unsigned", sent[1].Text)
	}
}

// TestSendSignsFileOnlyReplies: an agent's reply of only a file still
// names the agent, in a text part before the file.
func TestSendSignsFileOnlyReplies(t *testing.T) {
	out := channels.Outbound{AgentName: "Wang", AgentEmployeeNo: "HL101024"}
	if got := signed(out); !strings.Contains(got, "HL101024") || !strings.Contains(got, "Wang") {
		t.Errorf("signed = %q", got)
	}
}
