package main

import (
	"context"

	"huiliu/bot"
	"huiliu/desk"
	"huiliu/desk/botadmin"
)

// newBotAdmin is the bot's administration over the store: the settings
// and flows the engine reads (bot.Settings, bot.FlowSource) and the desk's
// bot pages. It is built before the engine, which reads through it, so the
// try console reaches the engine through botConsole.
func (a *app) newBotAdmin() *botadmin.Service {
	return botadmin.New(botadmin.Options{Store: a.db, Desk: a.svc, Engine: botConsole{a}, Logger: a.log})
}

// botConsole hands the try console's turns to the engine this node runs
// (app.botEngine, set where the engine is built); without one the console
// answers unavailable.
type botConsole struct{ a *app }

func (c botConsole) Try(ctx context.Context, key, text, lang string) (bot.Reply, []bot.Decision, error) {
	if c.a.botEngine == nil {
		return bot.Reply{}, nil, desk.Errorf(desk.CodeUnavailable, "the bot is not running on this node")
	}
	return c.a.botEngine.Try(ctx, key, text, lang)
}

func (c botConsole) Suggest(ctx context.Context, t desk.Ticket, m desk.Message) (bot.Suggestion, error) {
	if c.a.botEngine == nil {
		return bot.Suggestion{}, desk.Errorf(desk.CodeUnavailable, "the bot is not running on this node")
	}
	return c.a.botEngine.Suggest(ctx, t, m)
}

// Available says whether this node runs the engine.
func (c botConsole) Available() bool { return c.a.botEngine != nil }

var (
	_ bot.Settings       = (*botadmin.Service)(nil)
	_ bot.FlowSource     = (*botadmin.Service)(nil)
	_ botadmin.Suggester = botConsole{}
)
