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
func agentCommand(text string) (no string, ok bool) {
	cmd, rest, _ := strings.Cut(strings.TrimSpace(text), " ")
	cmd, _, _ = strings.Cut(cmd, "@")
	return strings.TrimSpace(rest), cmd == "/agent"
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
	key, pairs := "telegram.agent_usage", []string(nil)
	if no != "" {
		current, wait, err := c.deps.CheckAgent(ctx, no, "telegram:"+b.cfg.Name+":"+strconv.FormatInt(chat, 10))
		switch {
		case err != nil:
			c.log.Warn("telegram: /agent check failed", "bot", b.cfg.Name, "err", err)
			key = "verify_agent.unavailable"
		case wait > 0:
			key, pairs = "verify_agent.rate_limited", []string{"n", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds()))))}
		case current:
			key, pairs = "verify_agent.current", []string{"no", no}
		default:
			key, pairs = "verify_agent.not_current", []string{"no", no}
		}
	}
	text := i18n.T(i18n.ZhCN, key, pairs...) + "\n" + i18n.T(i18n.En, key, pairs...)
	if _, err := c.sendMessage(ctx, b, sendMessageParams{ChatID: chat, Text: text}); err != nil {
		return classify(err)
	}
	return nil
}
