package telegram

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"huiliu/channels"
	"huiliu/channels/telegram/telegramtest"
)

// TestSendSignsAgentReplies: a Telegram message shows only the bot, so an
// agent's reply starts with the agent's name and employee number (from the
// catalog), the chatbot's with its name as a chatbot, and a system
// message goes out as written.
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
	byBot := outbound("m3", "main:1001", "押金会在归还后 7 个工作日内退回。")
	byBot.BotName = "小汇"
	if _, err := c.Send(context.Background(), byBot); err != nil {
		t.Fatal(err)
	}
	sent := f.fake.SentTo(1001)
	if len(sent) != 3 {
		t.Fatalf("sent %+v", sent)
	}
	if want := "客服 小王（工号 HL101024）：\n您的退款已处理"; sent[0].Text != want {
		t.Errorf("agent reply = %q, want %q", sent[0].Text, want)
	}
	if sent[1].Text != "bot text" {
		t.Errorf("system message = %q, want it unsigned", sent[1].Text)
	}
	if want := "小汇（智能助手）：\n押金会在归还后 7 个工作日内退回。"; sent[2].Text != want {
		t.Errorf("chatbot reply = %q, want %q", sent[2].Text, want)
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

// TestAgentCommandAnswersTheCheck: "/agent NO" is answered in the chat
// from the desk's check (current, not current, too often, no number) and
// is not stored for agents; without a checker it stays a message.
func TestAgentCommandAnswersTheCheck(t *testing.T) {
	f := newFixture(t)
	var callers []string
	c := f.channel(t, func(_ *Config, d *Deps) {
		d.CheckAgent = func(ctx context.Context, q AgentQuery) (AgentAnswer, error) {
			callers = append(callers, q.Caller)
			if q.From.Value != "1001" || q.ThreadKey != ThreadKey("main", 1001) {
				t.Errorf("asked from %+v in %q", q.From, q.ThreadKey)
			}
			switch q.No {
			case "HL999999":
				return AgentAnswer{Wait: 42 * time.Second}, nil
			case "HL202020":
				return AgentAnswer{Current: true, Handling: true}, nil
			}
			return AgentAnswer{Current: q.No == "HL101024"}, nil
		}
	})
	b, _ := c.bot("main")
	for i, text := range []string{"/agent HL101024", "/agent@HuiliuBot HL000001", "/agent HL999999", "/agent", "/agent HL202020"} {
		u := telegramtest.Private(1001, "Li", text)
		u.UpdateID = 20 + i
		raw, _ := json.Marshal(u)
		if _, err := c.handleUpdate(context.Background(), b, f.sink, raw); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.sink.messages()); n != 0 {
		t.Errorf("stored %d /agent messages", n)
	}
	sent := f.fake.SentTo(1001)
	if len(sent) != 5 {
		t.Fatalf("answers = %+v", sent)
	}
	for i, want := range []string{"HL101024 is the employee number of a current agent", "HL000001 is not a current employee number", "Try again in 42 seconds", "Send /agent followed by",
		"is handling your conversation"} {
		if !strings.Contains(sent[i].Text, want) {
			t.Errorf("answer %d = %q, want it to contain %q", i, sent[i].Text, want)
		}
	}
	if !strings.Contains(sent[0].Text, "not the agent handling this conversation") {
		t.Errorf("a current agent who does not handle the chat: %q", sent[0].Text)
	}
	if len(callers) != 4 || callers[0] != "telegram:main:1001" {
		t.Errorf("checks counted under %q", callers)
	}

	plain := newFixture(t)
	pc := plain.channel(t, nil)
	pb, _ := pc.bot("main")
	raw, _ := json.Marshal(telegramtest.Private(1002, "Wu", "/agent HL101024"))
	if _, err := pc.handleUpdate(context.Background(), pb, plain.sink, raw); err != nil {
		t.Fatal(err)
	}
	if n := len(plain.sink.messages()); n != 1 {
		t.Errorf("without a checker: stored %d messages, want the command as one", n)
	}
}
