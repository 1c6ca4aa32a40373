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
)

const (
	// maxMessageUnits is Telegram's limit on a message's text, counted in
	// UTF-16 code units.
	maxMessageUnits    = 4096
	maxProgressEntries = 4096
	contactButtonText  = "分享手机号 / Share my phone number"
	contactRequestText = "请点击下方按钮分享您的手机号以完成验证。\nPlease tap the button below to share your phone number for verification."
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

// Send delivers out as one or more plain-text messages. It returns the
// Telegram message ids of the parts, comma-separated. With
// out.RequestContact the last part carries the share-phone button.
//
// A retry of a message that failed part-way continues with the first part
// not yet delivered (remembered in memory on this node). A part whose
// request reached Telegram but whose answer was lost is sent again:
// Telegram has no idempotency key to prevent that.
func (c *Channel) Send(ctx context.Context, out channels.Outbound) (string, error) {
	name, chat, err := ParseThreadKey(out.ThreadKey)
	if err != nil {
		return "", channels.Permanent(err)
	}
	b, ok := c.bot(name)
	if !ok {
		return "", channels.Permanent(fmt.Errorf("telegram: thread %q belongs to bot %q, which is not configured", out.ThreadKey, name))
	}
	parts := splitText(out.Text, maxMessageUnits)
	if len(parts) == 0 || strings.TrimSpace(out.Text) == "" {
		return "", channels.Permanent(fmt.Errorf("telegram %s: message %s has no text", name, out.MessageID))
	}
	key := progressKey(out)
	st := c.progress.get(key)
	ids := st.ids
	for i := st.done; i < len(parts); i++ {
		if strings.TrimSpace(parts[i]) == "" {
			// Telegram refuses blank messages; the whitespace is not lost
			// to the reader, only its rendering.
			c.progress.advance(key, "")
			continue
		}
		ok, wait, err := c.allow(ctx, b)
		if err != nil {
			return "", fmt.Errorf("telegram %s: rate limit: %w", name, err)
		}
		if !ok {
			return "", &channels.RetryAfterError{After: max(wait, 10*time.Millisecond),
				Err: fmt.Errorf("telegram %s: %d messages per second reached", name, sendLimit)}
		}
		p := sendMessageParams{ChatID: chat, Text: parts[i]}
		if out.RequestContact && i == len(parts)-1 {
			p.ReplyMarkup = contactKeyboard()
		}
		m, err := c.sendMessage(ctx, b, p)
		if err != nil {
			if i > 0 {
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
	if ok, wait, err := c.allow(ctx, b); err != nil {
		return fmt.Errorf("telegram %s: rate limit: %w", botName, err)
	} else if !ok {
		return &channels.RetryAfterError{After: max(wait, 10*time.Millisecond),
			Err: fmt.Errorf("telegram %s: %d messages per second reached", botName, sendLimit)}
	}
	_, err := c.sendMessage(ctx, b, sendMessageParams{ChatID: chatID, Text: truncateUnits(text, maxMessageUnits), ReplyMarkup: contactKeyboard()})
	return classify(err)
}

// contactKeyboard is a one-time keyboard whose button shares the
// customer's own phone number, which Telegram vouches for.
func contactKeyboard() tgbotapi.ReplyKeyboardMarkup {
	return tgbotapi.ReplyKeyboardMarkup{
		Keyboard:        [][]tgbotapi.KeyboardButton{{{Text: contactButtonText, RequestContact: true}}},
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
	case ae.Code == 400:
		// Chat not found, text refused: the same request fails the same way.
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
	// The text's hash keeps an edited message from resuming a stale split.
	h := fnv.New64a()
	h.Write([]byte(out.Text))
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
