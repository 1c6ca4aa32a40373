package bot

import (
	"context"
	"fmt"
	"strings"

	"huiliu/channels"
	"huiliu/desk"
)

// MaxTryKeyBytes bounds a console conversation key.
const MaxTryKeyBytes = 100

// Try runs one turn of the admin console's conversation conversationKey:
// text is ingested as a customer message on TryChannel (one ticket per
// key, so multi-turn tests keep state) and answered by exactly the
// production path, synchronously. lang is the console's language, used
// when the text itself does not show one.
func (e *Engine) Try(ctx context.Context, conversationKey, text, lang string) (Reply, []Decision, error) {
	return e.TryAs(ctx, conversationKey, text, lang, "")
}

// TryAs is Try as a visitor whom the site vouches for as customer number
// customerNo (a signed identity, level 1 on its own); "" for an anonymous
// visitor. The eval tool plays known customers with it.
func (e *Engine) TryAs(ctx context.Context, conversationKey, text, lang, customerNo string) (Reply, []Decision, error) {
	conversationKey = strings.TrimSpace(conversationKey)
	if conversationKey == "" || len(conversationKey) > MaxTryKeyBytes {
		return Reply{}, nil, desk.Errorf(desk.CodeInvalid, "conversation key: 1 to %d bytes", MaxTryKeyBytes)
	}
	in := channels.Inbound{
		Channel:    TryChannel,
		ExternalID: desk.NewID(),
		ThreadKey:  conversationKey,
		From:       channels.Party{Kind: desk.IdentityAPI, Value: TryChannel + ":" + conversationKey},
		Text:       text,
	}
	if customerNo != "" {
		in.Links = []channels.Party{{Kind: desk.IdentityCustomerNo, Value: customerNo, Verified: true, Method: "site"}}
	}
	rc, err := e.o.Desk.Ingest(ctx, in)
	if err != nil {
		return Reply{}, nil, fmt.Errorf("bot: try: %w", err)
	}
	t, err := e.o.Desk.BotTicket(ctx, rc.TicketID)
	if err != nil {
		return Reply{}, nil, err
	}
	if t.Status != desk.StatusBot {
		return Reply{TicketID: t.ID, Silent: true}, []Decision{}, nil
	}
	m := desk.Message{ID: rc.MessageID, TicketID: t.ID, Seq: rc.Seq, Direction: desk.DirIn, Channel: TryChannel, Text: text}
	raw, err := e.o.State.BotState(ctx, t.ID)
	if err != nil {
		return Reply{}, nil, err
	}
	// No state yet: the bot never took a turn here, so this message opens
	// the conversation.
	opened := raw == ""
	st, err := e.loadState(ctx, t.ID)
	if err != nil {
		return Reply{}, nil, err
	}
	if st.Lang == "" && lang != "" {
		st.Lang = lang
		if err := e.saveState(ctx, t.ID, st); err != nil {
			return Reply{}, nil, err
		}
	}
	return e.process(ctx, t, m, opened)
}

// TryAdapter is the console channel's outbound side: the console reads
// the bot's replies from Try, so the outbox has nothing to deliver.
type TryAdapter struct{}

func (TryAdapter) Name() string { return TryChannel }

func (TryAdapter) Send(context.Context, channels.Outbound) (string, error) { return "", nil }
