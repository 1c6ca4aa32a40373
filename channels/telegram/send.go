package telegram

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"huiliu/channels"
	"huiliu/i18n"
)

const (
	// maxMessageUnits is Telegram's limit on a message's text, counted in
	// UTF-16 code units.
	maxMessageUnits    = 4096
	maxProgressEntries = 4096
)

// The share-phone request goes out as a reply, where the customer's
// language is not known: it speaks Chinese and English.
var (
	contactButtonText  = i18n.T(i18n.ZhCN, "telegram.contact_button") + " / " + i18n.T(i18n.En, "telegram.contact_button")
	contactRequestText = i18n.Lines("telegram.contact_request", i18n.ZhCN, i18n.En)
)

// sendMessageParams is the sendMessage request. No parse_mode: the
// customer sees exactly what the agent typed, asterisks and all.
type sendMessageParams struct {
	ChatID      int64  `json:"chat_id"`
	Text        string `json:"text"`
	ReplyMarkup any    `json:"reply_markup,omitempty"`
}

func (c *Channel) sendMessage(ctx context.Context, b *bot, p sendMessageParams) (tgbotapi.Message, error) {
	var m tgbotapi.Message
	err := c.call(ctx, b, "sendMessage", p, &m)
	return m, err
}

// allow counts one message against the bot's limit shared by all nodes.
func (c *Channel) allow(ctx context.Context, b *bot) (bool, time.Duration, error) {
	if c.deps.Limiter == nil {
		return true, 0, nil
	}
	return c.deps.Limiter.Allow(ctx, "telegram:send:"+b.cfg.Name, sendLimit, time.Second)
}

// take is allow as an error: nil when the call may go now.
func (c *Channel) take(ctx context.Context, b *bot) error {
	ok, wait, err := c.allow(ctx, b)
	if err != nil {
		return fmt.Errorf("telegram %s: rate limit: %w", b.cfg.Name, err)
	}
	if !ok {
		return &channels.RetryAfterError{After: max(wait, 10*time.Millisecond),
			Err: fmt.Errorf("telegram %s: %d messages per second reached", b.cfg.Name, sendLimit)}
	}
	return nil
}

// outPart is one Bot API call of a message: a piece of its text or one of
// its files.
type outPart struct {
	text string
	file *channels.Attachment
}

// blank parts are not sent: Telegram refuses blank messages. The
// whitespace is not lost to the reader, only its rendering.
func (p outPart) blank() bool { return p.file == nil && strings.TrimSpace(p.text) == "" }

// Send delivers out as one or more plain-text messages followed by its
// files, one message each, in order: photos (JPEG, PNG, WebP up to 10 MB)
// with sendPhoto, anything else with sendDocument. Files carry no caption;
// the text went before them. It returns the Telegram message ids of the
// parts, comma-separated. With out.RequestContact the last part carries
// the share-phone button.
//
// A retry of a message that failed part-way continues with the first part
// not yet delivered (remembered in memory on this node); text parts and
// files are one sequence. A part whose request reached Telegram but whose
// answer was lost is sent again: Telegram has no idempotency key to
// prevent that.
func (c *Channel) Send(ctx context.Context, out channels.Outbound) (string, error) {
	name, chat, err := ParseThreadKey(out.ThreadKey)
	if err != nil {
		return "", channels.Permanent(err)
	}
	b, ok := c.bot(name)
	if !ok {
		return "", channels.Permanent(fmt.Errorf("telegram: thread %q belongs to bot %q, which is not configured", out.ThreadKey, name))
	}
	var parts []outPart
	if text := signed(out); strings.TrimSpace(text) != "" {
		for _, t := range splitText(text, maxMessageUnits) {
			parts = append(parts, outPart{text: t})
		}
	}
	for i := range out.Attachments {
		a := &out.Attachments[i]
		if err := checkFile(*a); err != nil {
			return "", channels.Permanent(fmt.Errorf("telegram %s: message %s: %w", name, out.MessageID, err))
		}
		parts = append(parts, outPart{file: a})
	}
	if len(parts) == 0 {
		return "", channels.Permanent(fmt.Errorf("telegram %s: message %s has no text and no files", name, out.MessageID))
	}
	last := len(parts) - 1
	for last > 0 && parts[last].blank() {
		last--
	}
	key := progressKey(out)
	st := c.progress.get(key)
	ids := st.ids
	for i := st.done; i < len(parts); i++ {
		if parts[i].blank() {
			c.progress.advance(key, "")
			continue
		}
		var markup any
		if out.RequestContact && i == last {
			markup = contactKeyboard()
		}
		if out.Survey != nil && i == last {
			markup = surveyKeyboard(out.Survey.Token)
		}
		m, err := c.sendPart(ctx, b, chat, parts[i], markup)
		if err != nil {
			switch {
			case parts[i].file != nil:
				err = fmt.Errorf("part %d of %d (file %q): %w", i+1, len(parts), parts[i].file.Name, err)
			case i > 0:
				err = fmt.Errorf("part %d of %d: %w", i+1, len(parts), err)
			}
			return "", classify(err)
		}
		id := strconv.Itoa(m.MessageID)
		c.progress.advance(key, id)
		ids = append(ids, id)
	}
	return strings.Join(ids, ","), nil
}

// signed puts the agent's signature line above an agent's reply: a
// Telegram message shows only the bot as its sender, and the customer
// needs the agent's name and employee number to check them on the
// desk's /verify-agent page. Every reply is signed, not only the first
// after a change of agent, because each one may be forwarded or seen on
// its own. The chatbot's replies say they come from the chatbot, since
// agents answer through the same Telegram bot.
func signed(out channels.Outbound) string {
	var sig string
	switch {
	case out.AgentEmployeeNo != "":
		sig = i18n.T(i18n.Default, "telegram.agent_signature", "name", out.AgentName, "no", out.AgentEmployeeNo)
	case out.BotName != "":
		sig = i18n.T(i18n.Default, "telegram.bot_signature", "name", out.BotName)
	default:
		return out.Text
	}
	if strings.TrimSpace(out.Text) == "" {
		return sig
	}
	return sig + "\n" + out.Text
}

// sendPart makes the calls for one part, each counted by the limiter. A
// photo Telegram refuses as a photo (dimensions, a format it cannot
// process) is sent again as a document: the customer still gets the file.
func (c *Channel) sendPart(ctx context.Context, b *bot, chat int64, p outPart, markup any) (tgbotapi.Message, error) {
	if err := c.take(ctx, b); err != nil {
		return tgbotapi.Message{}, err
	}
	if p.file == nil {
		return c.sendMessage(ctx, b, sendMessageParams{ChatID: chat, Text: p.text, ReplyMarkup: markup})
	}
	method := fileMethod(*p.file)
	m, err := c.sendFile(ctx, b, method, chat, *p.file, markup)
	var ae *APIError
	if method != "sendPhoto" || !errors.As(err, &ae) || ae.Code != 400 {
		return m, err
	}
	c.log.Info("telegram: photo refused, sending it as a document", "bot", b.cfg.Name, "file", p.file.Name, "reason", ae.Description)
	if err := c.take(ctx, b); err != nil {
		return tgbotapi.Message{}, err
	}
	return c.sendFile(ctx, b, "sendDocument", chat, *p.file, markup)
}

// SendContactRequest asks the customer in chatID to share their phone
// number with a one-time keyboard button; the contact that comes back is
// verified by Telegram (see convertUpdate). text may be empty.
func (c *Channel) SendContactRequest(ctx context.Context, botName string, chatID int64, text string) error {
	b, ok := c.bot(botName)
	if !ok {
		return channels.Permanent(fmt.Errorf("telegram: bot %q is not configured", botName))
	}
	if strings.TrimSpace(text) == "" {
		text = contactRequestText
	}
	if err := c.take(ctx, b); err != nil {
		return err
	}
	_, err := c.sendMessage(ctx, b, sendMessageParams{ChatID: chatID, Text: truncateUnits(text, maxMessageUnits), ReplyMarkup: contactKeyboard()})
	return classify(err)
}

// contactKeyboard is a one-time keyboard whose button shares the
// customer's own phone number, which Telegram vouches for.
func contactKeyboard() tgbotapi.ReplyKeyboardMarkup {
	return tgbotapi.ReplyKeyboardMarkup{
		Keyboard:        [][]tgbotapi.KeyboardButton{{{Text: contactButtonText, RequestContact: true}}, {{Text: codeButtonText}}},
		ResizeKeyboard:  true,
		OneTimeKeyboard: true,
	}
}

// classify maps Bot API answers onto the desk's retry rules.
func classify(err error) error {
	var ae *APIError
	if err == nil || !errors.As(err, &ae) {
		return err // network trouble, timeouts: retried with backoff
	}
	switch {
	case ae.Code == 429:
		after := ae.RetryAfter
		if after <= 0 {
			after = time.Second
		}
		return &channels.RetryAfterError{After: after, Err: err}
	case ae.Code == 403:
		// Blocked by the user, kicked from the group: only the customer can change that.
		return channels.Permanent(err)
	case ae.Code == 400, ae.Code == 413:
		// Chat not found, text refused, file too big: the same request
		// fails the same way.
		return channels.Permanent(err)
	}
	return err // 5xx, and 401/404/409 that an operator can fix without losing the message
}

func progressKey(out channels.Outbound) string {
	id := out.MessageID
	if id == "" {
		id = out.IdempotencyKey
	}
	if id == "" {
		return ""
	}
	// The hash of the text and the files' names and sizes keeps an edited
	// message from resuming a stale sequence.
	h := fnv.New64a()
	h.Write([]byte(out.Text))
	for _, a := range out.Attachments {
		fmt.Fprintf(h, "\x00%q %q %d", a.Name, a.MIME, len(a.Data))
	}
	return id + "|" + strconv.FormatUint(h.Sum64(), 36)
}

// sendProgress remembers, per message, how many parts were delivered, so
// a retry does not send earlier parts again. It is bounded: the oldest
// entries go first.
type sendProgress struct {
	mu    sync.Mutex
	limit int
	m     map[string]*progressState
	order []string
}

type progressState struct {
	done int
	ids  []string
}

func newSendProgress(limit int) *sendProgress {
	return &sendProgress{limit: limit, m: map[string]*progressState{}}
}

func (p *sendProgress) get(key string) progressState {
	p.mu.Lock()
	defer p.mu.Unlock()
	if st, ok := p.m[key]; ok {
		return progressState{done: st.done, ids: append([]string(nil), st.ids...)}
	}
	return progressState{}
}

// advance records one more delivered part of key's message.
func (p *sendProgress) advance(key, id string) {
	if key == "" {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	st, ok := p.m[key]
	if !ok {
		if len(p.order) >= p.limit {
			delete(p.m, p.order[0])
			p.order = p.order[1:]
		}
		st = &progressState{}
		p.m[key] = st
		p.order = append(p.order, key)
	}
	st.done++
	if id != "" {
		st.ids = append(st.ids, id)
	}
}
