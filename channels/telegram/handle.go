package telegram

import (
	"context"
	"errors"
	"fmt"
	"time"

	"huiliu/channels"
	"huiliu/i18n"
)

// groupReply asks a group, once, to write privately: support talks about
// accounts and debts, which do not belong in a group. It speaks the
// writer's language_code; without a known one, Chinese and English.
func groupReply(languageCode string) string {
	if lang, ok := i18n.Known(languageCode); ok {
		return i18n.T(lang, "telegram.group_reply")
	}
	return i18n.Lines("telegram.group_reply", i18n.ZhCN, i18n.En)
}

const groupReplyTimeout = 10 * time.Second

// errUndecodable marks an update that could not be read at all.
var errUndecodable = errors.New("undecodable update")

// handleUpdate converts one raw update and stores it in sink. It returns an error
// only when the update could not be decoded (errUndecodable) or the sink
// failed; in the latter case the update must be offered again, never
// acknowledged.
func (c *Channel) handleUpdate(ctx context.Context, b *bot, sink channels.Sink, raw []byte) (updateID int, err error) {
	defer func() {
		if err == nil {
			b.health.updated(c.now())
		}
	}()
	if id, ok := c.handleCallback(ctx, b, raw); ok {
		return id, nil
	}
	log := c.log.With("bot", b.cfg.Name)
	u, partial, err := decodeUpdate(raw)
	if err != nil {
		log.Warn("telegram: undecodable update ignored", "err", err, "bytes", len(raw))
		return 0, fmt.Errorf("telegram %s: %w: %w", b.cfg.Name, errUndecodable, err)
	}
	log = log.With("update_id", u.UpdateID)
	if partial {
		log.Warn("telegram: update only partly readable; storing what we could read")
	}
	conv := convertUpdate(b.cfg, &u, partial, c.now())
	if conv.linkErr != nil {
		// Never trusted: the message is stored as a plain "/start".
		log.Warn("telegram: deep link rejected", "err", conv.linkErr)
	}
	if conv.groupChat != 0 {
		c.tellGroup(ctx, b, conv.groupChat, conv.groupLang)
	}
	if conv.in == nil {
		log.Info("telegram: update not stored", "reason", conv.skip)
		return u.UpdateID, nil
	}
	if no, ok := agentCommand(conv.in.Text); ok && c.deps.CheckAgent != nil {
		// Best effort like the group reply: a lost answer is asked again.
		if err := c.answerAgentCommand(ctx, b, conv.in, no); err != nil {
			log.Warn("telegram: /agent answer failed", "err", err)
		}
		return u.UpdateID, nil
	}
	if what, ok := command(conv.in.Text, "/report"); ok && c.deps.ReportImpostor != nil {
		if err := c.answerReportCommand(ctx, b, conv.in, what); err != nil {
			log.Warn("telegram: /report answer failed", "err", err)
		}
		return u.UpdateID, nil
	}
	if q, ok := helpCommand(conv.in.Text); ok && c.deps.HelpSearch != nil {
		if err := c.answerHelpCommand(ctx, b, conv.in, q, updateLang(&u)); err != nil {
			log.Warn("telegram: /help answer failed", "err", err)
		}
		return u.UpdateID, nil
	}
	if code, ok := c.codeMessage(ctx, *conv.in); ok && conv.file == nil {
		if err := c.handleCode(ctx, b, sink, *conv.in, code); err != nil {
			return u.UpdateID, fmt.Errorf("telegram %s: code in update %d: %w", b.cfg.Name, u.UpdateID, err)
		}
		return u.UpdateID, nil
	}
	if conv.file != nil {
		if err := c.attach(ctx, b, conv.in, conv.file, log); err != nil {
			return u.UpdateID, err
		}
	}
	if _, err := sink.Ingest(ctx, *conv.in); err != nil {
		return u.UpdateID, fmt.Errorf("telegram %s: ingest update %d: %w", b.cfg.Name, u.UpdateID, err)
	}
	return u.UpdateID, nil
}

// tellGroup asks a group chat, once per chat and node, to write privately.
// It is best effort: a failure is logged, never retried.
func (c *Channel) tellGroup(ctx context.Context, b *bot, chat int64, languageCode string) {
	log := c.log.With("bot", b.cfg.Name, "chat", chat)
	if !b.markGroupTold(chat) {
		log.Info("telegram: group message ignored (already asked to write privately)")
		return
	}
	log.Info("telegram: group message ignored; asking the group to write privately")
	if ok, _, err := c.allow(ctx, b); err != nil || !ok {
		log.Warn("telegram: group reply skipped by the rate limit", "err", err)
		return
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), groupReplyTimeout)
	defer cancel()
	if _, err := c.sendMessage(rctx, b, sendMessageParams{ChatID: chat, Text: groupReply(languageCode)}); err != nil {
		log.Warn("telegram: group reply failed", "err", err)
	}
}
