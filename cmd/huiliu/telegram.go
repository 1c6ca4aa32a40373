package main

import (
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"time"

	"huiliu/channels/telegram"
	"huiliu/cmd/huiliu/internal/services"
	"huiliu/desk"
	"huiliu/desk/web"
	"huiliu/store"
)

// telegramChannel builds the Telegram adapter for the bots in force: the
// configuration file's and the admin's enabled ones. It may have none
// yet: bots added on the desk start in it without a restart.
func (a *app) telegramChannel(ctx context.Context) (*telegram.Channel, error) {
	bots, err := a.activeTelegramBots(ctx)
	if err != nil {
		return nil, err
	}
	tg, err := telegram.New(bots, telegram.Deps{
		Offsets:        channelOffsets{db: a.db, prefix: "telegram:"},
		Leases:         a.queue.Leases(),
		Limiter:        a.queue.Limiter(),
		Logger:         a.log,
		CheckAgent:     a.checkAgent,
		ReportImpostor: a.reportImpostor,
		HelpSearch:     a.helpSearch,
		Codes:          telegramCodes{svc: a.svc, otp: a.otp},
		Survey: func(ctx context.Context, token string, score int, lang string) (string, error) {
			return a.answerSurvey(ctx, token, score, "", lang, "csat.tg_thanks")
		},
		PublicURL: a.cfg.PublicURL,
	})
	if err != nil {
		return nil, err
	}
	a.telegramBots.channel.Store(tg)
	return tg, nil
}

// checkAgent is the desk's employee number check for a channel's /agent
// command, asked from the chat's conversation (if it has an open ticket),
// with the rate limit's wait taken out of the error.
func (a *app) checkAgent(ctx context.Context, q telegram.AgentQuery) (telegram.AgentAnswer, error) {
	ticket, err := a.svc.ConversationTicket(ctx, q.From.Kind, q.From.Value, telegram.ChannelName, q.ThreadKey)
	if err != nil {
		return telegram.AgentAnswer{}, err
	}
	ans, err := a.svc.CheckEmployeeNoIn(ctx, q.No, q.Caller, ticket)
	var de *desk.Error
	if errors.As(err, &de) && de.Code == desk.CodeRateLimited {
		return telegram.AgentAnswer{Wait: max(de.RetryAfter, time.Second)}, nil
	}
	return telegram.AgentAnswer{Current: ans.Current, Handling: ans.Handling}, err
}

// reportImpostor takes a Telegram /report to the desk: a ticket of its own
// for supervisors, on the reporter's contact.
func (a *app) reportImpostor(ctx context.Context, q telegram.ReportQuery) (telegram.ReportAnswer, error) {
	_, err := a.svc.ReportImpostor(ctx, desk.ImpostorReport{What: q.What, From: q.From, Key: q.Caller})
	var de *desk.Error
	switch {
	case errors.As(err, &de) && de.Code == desk.CodeRateLimited:
		return telegram.ReportAnswer{Wait: max(de.RetryAfter, time.Second)}, nil
	case errors.As(err, &de) && de.Code == desk.CodeInvalid:
		return telegram.ReportAnswer{Invalid: true}, nil
	}
	return telegram.ReportAnswer{}, err
}

// telegramMounts serve every webhook bot's endpoint, those added on the
// desk later included; a polling or unknown bot's answers 404.
func (a *app) telegramMounts(tg *telegram.Channel) []web.Mount {
	return []web.Mount{{Method: http.MethodPost, Path: "/telegram/:bot/webhook", Handler: tg.Webhooks(a.svc)}}
}

// telegramServices run the bots into the desk (webhooks registered,
// pollers on whichever node holds each lease) and follow the admin's
// changes to the bots. A bot Telegram refuses is logged and shown on the
// admin page, not fatal.
func (a *app) telegramServices(tg *telegram.Channel) []services.Service {
	return []services.Service{
		{Name: "telegram", Run: func(ctx context.Context) error { return tg.Run(ctx, a.svc) }},
		{Name: "telegram-bots", Run: func(ctx context.Context) error { return a.followTelegramBots(ctx, tg, telegramRefresh) }},
	}
}

// channelOffsets keeps each channel's poll offsets apart in one table.
type channelOffsets struct {
	db     *store.DB
	prefix string
}

func (o channelOffsets) Offset(ctx context.Context, name string) (int64, error) {
	return o.db.Offset(ctx, o.prefix+name)
}

func (o channelOffsets) SetOffset(ctx context.Context, name string, next int64) error {
	return o.db.SetOffset(ctx, o.prefix+name, next)
}

// secret takes a value given inline or read from a file (trailing newline
// dropped); a file keeps it out of the configuration and the process list.
func secret(value, file string) (string, error) {
	if file == "" {
		return value, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}
