package telegram

import (
	"context"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"huiliu/channels"
	"huiliu/i18n"
)

// HelpArticle is one answer to /help: an article's title and its public
// address on the help centre.
type HelpArticle struct {
	Title string
	URL   string
}

// HelpMax is how many articles /help answers with.
const HelpMax = 3

// helpCommand reports whether text is "/help" (or "/help@bot") and returns
// the keywords after it.
func helpCommand(text string) (query string, ok bool) {
	cmd, rest, _ := strings.Cut(strings.TrimSpace(text), " ")
	cmd, _, _ = strings.Cut(cmd, "@")
	return strings.TrimSpace(rest), cmd == "/help"
}

// updateLang is the writer's language as Telegram reports it (its app's
// language), "" when unknown.
func updateLang(u *tgbotapi.Update) string {
	for _, m := range []*tgbotapi.Message{u.Message, u.EditedMessage} {
		if m != nil && m.From != nil {
			return m.From.LanguageCode
		}
	}
	return ""
}

// answerHelpCommand answers "/help 押金" in the chat with the top articles
// of the knowledge base in the writer's language (Telegram's
// language_code; Chinese when unknown). Like /agent it is a question for
// the desk, not a message for an agent, so it is not stored.
func (c *Channel) answerHelpCommand(ctx context.Context, b *bot, in *channels.Inbound, query, langCode string) error {
	_, chat, err := ParseThreadKey(in.ThreadKey)
	if err != nil {
		return err
	}
	lang := i18n.Match(langCode)
	var text string
	if query == "" {
		text = i18n.T(lang, "kb.telegram.usage")
	} else {
		arts, err := c.deps.HelpSearch(ctx, query, lang)
		switch {
		case err != nil:
			c.log.Warn("telegram: /help search failed", "bot", b.cfg.Name, "err", err)
			text = i18n.T(lang, "kb.telegram.none")
		case len(arts) == 0:
			text = i18n.T(lang, "kb.telegram.none")
		default:
			var sb strings.Builder
			sb.WriteString(i18n.T(lang, "kb.telegram.results"))
			for i, a := range arts[:min(len(arts), HelpMax)] {
				sb.WriteString("\n" + strconv.Itoa(i+1) + ". " + a.Title + "\n" + a.URL)
			}
			text = sb.String()
		}
	}
	if _, err := c.sendMessage(ctx, b, sendMessageParams{ChatID: chat, Text: text}); err != nil {
		return classify(err)
	}
	return nil
}
