package telegram

import (
	"context"
	"math"
	"strconv"

	"huiliu/channels"
	"huiliu/i18n"
)

// answerReportCommand takes "/report what happened" — a customer telling
// us someone posed as our agent — to the desk, which opens a ticket for
// supervisors, and answers in the chat what happens next (Chinese and
// English). "/report" alone explains the command. Like /agent, it is not
// stored as a message of the customer's conversation.
func (c *Channel) answerReportCommand(ctx context.Context, b *bot, in *channels.Inbound, what string) error {
	_, chat, err := ParseThreadKey(in.ThreadKey)
	if err != nil {
		return err
	}
	key, pairs := "pii.telegram_report_usage", []string(nil)
	if what != "" {
		ans, err := c.deps.ReportImpostor(ctx, ReportQuery{What: what, Caller: "telegram:" + b.cfg.Name + ":" + strconv.FormatInt(chat, 10), From: in.From})
		switch {
		case err != nil:
			c.log.Warn("telegram: /report failed", "bot", b.cfg.Name, "err", err)
			key = "verify_agent.unavailable"
		case ans.Invalid:
			key = "pii.report.invalid"
		case ans.Wait > 0:
			key, pairs = "verify_agent.rate_limited", []string{"n", strconv.Itoa(max(1, int(math.Ceil(ans.Wait.Seconds()))))}
		default:
			key = "pii.report.done"
		}
	}
	text := i18n.T(i18n.ZhCN, key, pairs...) + "\n" + i18n.T(i18n.En, key, pairs...)
	if _, err := c.sendMessage(ctx, b, sendMessageParams{ChatID: chat, Text: text}); err != nil {
		return classify(err)
	}
	return nil
}
