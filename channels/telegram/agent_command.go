package telegram

import (
	"context"
	"math"
	"strconv"
	"strings"

	"huiliu/channels"
	"huiliu/i18n"
)

// agentCommand reports whether text is "/agent" (or "/agent@bot") and
// returns the employee number after it.
func agentCommand(text string) (no string, ok bool) { return command(text, "/agent") }

// command reports whether text is the command name (or name@bot) and
// returns what follows it.
func command(text, name string) (rest string, ok bool) {
	cmd, rest, _ := strings.Cut(strings.TrimSpace(text), " ")
	cmd, _, _ = strings.Cut(cmd, "@")
	return strings.TrimSpace(rest), cmd == name
}

// answerAgentCommand answers "/agent HL101024" in the chat itself, with
// the desk's employee number check, in Chinese and English (the
// customer's language is not known here). The command is not stored as a
// customer message: it is a question for the desk, not for an agent.
func (c *Channel) answerAgentCommand(ctx context.Context, b *bot, in *channels.Inbound, no string) error {
	_, chat, err := ParseThreadKey(in.ThreadKey)
	if err != nil {
		return err
	}
	key, pairs, more := "telegram.agent_usage", []string(nil), ""
	if no != "" {
		ans, err := c.deps.CheckAgent(ctx, AgentQuery{No: no, Caller: "telegram:" + b.cfg.Name + ":" + strconv.FormatInt(chat, 10), From: in.From, ThreadKey: in.ThreadKey})
		switch {
		case err != nil:
			c.log.Warn("telegram: /agent check failed", "bot", b.cfg.Name, "err", err)
			key = "verify_agent.unavailable"
		case ans.Wait > 0:
			key, pairs = "verify_agent.rate_limited", []string{"n", strconv.Itoa(max(1, int(math.Ceil(ans.Wait.Seconds()))))}
		case ans.Current:
			key, pairs, more = "verify_agent.current", []string{"no", no}, "pii.agent_not_handling"
			if ans.Handling {
				more = "pii.agent_handling"
			}
		default:
			key, pairs = "verify_agent.not_current", []string{"no", no}
		}
	}
	text := i18n.T(i18n.ZhCN, key, pairs...)
	if more != "" {
		text += i18n.T(i18n.ZhCN, more)
	}
	text += "\n" + i18n.T(i18n.En, key, pairs...)
	if more != "" {
		text += " " + i18n.T(i18n.En, more)
	}
	if _, err := c.sendMessage(ctx, b, sendMessageParams{ChatID: chat, Text: text}); err != nil {
		return classify(err)
	}
	return nil
}
