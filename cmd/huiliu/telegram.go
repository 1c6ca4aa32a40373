package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"huiliu/channels/telegram"
	"huiliu/desk"
	"huiliu/desk/web"
	"huiliu/store"
)

// telegramChannel builds the Telegram adapter for the configured bots, or
// nil when there are none.
func (a *app) telegramChannel() (*telegram.Channel, error) {
	if len(a.cfg.Telegram) == 0 {
		return nil, nil
	}
	var bots []telegram.Config
	for _, b := range a.cfg.Telegram {
		token, err := secret(b.Token, b.TokenFile)
		if err != nil {
			return nil, fmt.Errorf("telegram bot %q: token: %w", b.Name, err)
		}
		hook, err := secret(b.WebhookSecret, b.WebhookSecretFile)
		if err != nil {
			return nil, fmt.Errorf("telegram bot %q: webhook secret: %w", b.Name, err)
		}
		link, err := secret(b.LinkSecret, b.LinkSecretFile)
		if err != nil {
			return nil, fmt.Errorf("telegram bot %q: link secret: %w", b.Name, err)
		}
		bots = append(bots, telegram.Config{
			Name: b.Name, Token: token, Mode: b.Mode, WebhookSecret: hook,
			AllowGroups: b.AllowGroups, APIEndpoint: b.APIEndpoint, FileEndpoint: b.FileEndpoint, LinkSecret: link,
		})
	}
	return telegram.New(bots, telegram.Deps{
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
	})
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

// telegramMounts are the webhook endpoints of the bots in webhook mode.
func (a *app) telegramMounts(tg *telegram.Channel) []web.Mount {
	var out []web.Mount
	for _, b := range a.cfg.Telegram {
		if b.Mode == telegram.ModeWebhook {
			out = append(out, web.Mount{Method: http.MethodPost, Path: "/telegram/" + b.Name + "/webhook", Handler: tg.WebhookHandler(b.Name, a.svc)})
		}
	}
	return out
}

// runTelegram registers the webhooks and runs the pollers into the desk.
// A webhook Telegram refused is logged, not fatal: polling bots and the
// rest of the node keep working.
func (a *app) runTelegram(ctx context.Context, tg *telegram.Channel) error {
	for _, b := range a.cfg.Telegram {
		if b.Mode == telegram.ModeWebhook {
			if err := tg.SetWebhooks(ctx, a.cfg.PublicURL); err != nil {
				a.log.Error("telegram: set webhooks", "err", err)
			}
			break
		}
	}
	return tg.Run(ctx, a.svc)
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
