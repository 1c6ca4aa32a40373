package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"huiliu/bot"
	"huiliu/channels/sms"
	"huiliu/cmd/huiliu/internal/services"
	"huiliu/desk"
)

// BotConfig is the [bot] table: the defaults of every site, which the
// desk's per-site settings override (docs/bot.md).
type BotConfig struct {
	Enabled bool   `toml:"enabled"`
	Name    string `toml:"name"` // shown as the bot's name (always labelled a bot)
	// Channels the bot answers on: webchat, telegram (default both).
	Channels []string `toml:"channels"`
	// Mode is always or off_hours; OpenHours ("09:00-21:00", in Timezone)
	// are when agents work.
	Mode      string            `toml:"mode"`
	OpenHours string            `toml:"open_hours"`
	Timezone  string            `toml:"timezone"`
	Greeting  map[string]string `toml:"greeting"`
	// OpenGreeting: greet when a visitor's first message opens a
	// conversation (default true; sites may turn it off on the desk).
	OpenGreeting *bool `toml:"open_greeting"`
	// Threshold is the knowledge-base score an answer needs (default
	// bot.DefaultThreshold).
	Threshold float64 `toml:"threshold"`
	// WaitPerTicket estimates the wait per ticket ahead at hand-off.
	WaitPerTicket time.Duration `toml:"wait_per_ticket"`
	// The optional language model (off unless llm_endpoint is set).
	LLMEndpoint string        `toml:"llm_endpoint"`
	LLMModel    string        `toml:"llm_model"`
	LLMKeyEnv   string        `toml:"llm_key_env"` // environment variable holding the API key
	LLMTimeout  time.Duration `toml:"llm_timeout"`
}

// botChannels are the channels whose new tickets start with the bot; the
// console's channel always does, so admins can try a bot that is off.
func (c BotConfig) botChannels() []string {
	out := []string{bot.TryChannel}
	if c.Enabled {
		out = append(out, c.channels()...)
	}
	return out
}

func (c BotConfig) channels() []string {
	if len(c.Channels) == 0 {
		return []string{"webchat", "telegram"}
	}
	return c.Channels
}

// openHours parses OpenHours; nil when unset (agents always there).
func (c BotConfig) openHours() (func(time.Time) bool, error) {
	if strings.TrimSpace(c.OpenHours) == "" {
		return nil, nil
	}
	loc := time.Local
	if c.Timezone != "" {
		l, err := time.LoadLocation(c.Timezone)
		if err != nil {
			return nil, fmt.Errorf("[bot] timezone: %w", err)
		}
		loc = l
	}
	from, to, ok := strings.Cut(c.OpenHours, "-")
	f, err1 := time.Parse("15:04", strings.TrimSpace(from))
	t, err2 := time.Parse("15:04", strings.TrimSpace(to))
	if !ok || err1 != nil || err2 != nil || !t.After(f) {
		return nil, fmt.Errorf("[bot] open_hours %q: want HH:MM-HH:MM", c.OpenHours)
	}
	start, end := f.Hour()*60+f.Minute(), t.Hour()*60+t.Minute()
	return func(now time.Time) bool {
		n := now.In(loc)
		m := n.Hour()*60 + n.Minute()
		return m >= start && m < end
	}, nil
}

// botHook is the bot's place among the after-commit steps: the service is
// built before the engine (which needs it), so serve binds the engine
// here once, before any listener opens. Unbound, it does nothing.
type botHook struct{ e atomic.Pointer[bot.Engine] }

func (h *botHook) AfterCommit(ctx context.Context, c desk.Change) error {
	if e := h.e.Load(); e != nil {
		return e.AfterCommit(ctx, c)
	}
	return nil
}

// newBot builds the engine over the app's desk, codes and knowledge base
// (serve opens a.kb first).
func (a *app) newBot() (*bot.Engine, error) {
	c := a.cfg.Bot
	hours, err := c.openHours()
	if err != nil {
		return nil, err
	}
	o := bot.Options{Desk: a.svc, OTP: a.otp, KB: a.kb, State: a.db, Log: a.log,
		Default: bot.SiteSettings{Enabled: c.Enabled, Mode: c.Mode, Name: c.Name, Greeting: c.Greeting,
			SkipOpenGreeting: c.OpenGreeting != nil && !*c.OpenGreeting},
		Channels:  c.channels(),
		Threshold: c.Threshold, OpenHours: hours, WaitPerTicket: c.WaitPerTicket,
		// What admins saved on the desk (botdesk.go) over the [bot] defaults.
		Settings: a.botAdmin, Flows: a.botAdmin}
	if c.Mode != "" && c.Mode != bot.ModeAlways && c.Mode != bot.ModeOffHours {
		return nil, fmt.Errorf("[bot] mode %q: want always or off_hours", c.Mode)
	}
	if c.LLMEndpoint != "" {
		o.LLM = &bot.LLM{Endpoint: c.LLMEndpoint, Model: c.LLMModel, Timeout: c.LLMTimeout}
		if c.LLMKeyEnv != "" {
			o.LLM.APIKey = os.Getenv(c.LLMKeyEnv)
		}
	}
	e, err := bot.New(o)
	if err != nil {
		return nil, err
	}
	a.botHook.e.Store(e)
	a.botEngine = e
	return e, nil
}

// botServices runs the engine's workers.
func (a *app) botServices(e *bot.Engine) []services.Service {
	return []services.Service{{Name: "bot", Run: e.Run}}
}

const botUsage = "usage: huiliu bot eval --questions FILE.jsonl [--dialogues FILE.jsonl]"

// runBot is `huiliu bot eval`: questions and dialogues through the
// production path on the console channel, one JSON line per item, then
// the totals.
func runBot(ctx context.Context, args []string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "eval" {
		return usagef(botUsage)
	}
	var questions, dialogues string
	cfg, err := adminFlags("bot eval", args[1:], stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&questions, "questions", "", "questions, one JSON object a line: {\"id\", \"lang\", \"text\"}")
		fs.StringVar(&dialogues, "dialogues", "", "dialogues, one JSON object a line: {\"id\", \"customer\", \"turns\": [{\"text\"}]}")
	})
	if err != nil {
		return err
	}
	if questions == "" && dialogues == "" {
		return usagef(botUsage)
	}
	qs, err := readEvalFile[bot.EvalQuestion](questions)
	if err != nil {
		return err
	}
	ds, err := readEvalFile[bot.EvalDialogue](dialogues)
	if err != nil {
		return err
	}
	return withApp(ctx, cfg, stderr, func(a *app) error {
		if a.kb, err = a.openKB(ctx, false); err != nil {
			return err
		}
		defer a.kb.Close()
		e, err := a.newBot()
		if err != nil {
			return err
		}
		smsFile := cfg.SMSFile
		if smsFile == "" {
			smsFile = filepath.Join(cfg.Data, sms.DefaultFileName)
		}
		facts, err := a.cfg.factsSource(a.db)
		if err != nil {
			return err
		}
		ev := &bot.Evaluator{Engine: e, Run: "eval-" + desk.NewID(), Out: stdout,
			CodeFor: func(ctx context.Context, customerNo string) (string, error) {
				f, err := facts.CustomerFacts(ctx, customerNo)
				if err != nil {
					return "", err
				}
				return sms.LatestCode(smsFile, f.Phone)
			}}
		if err := ev.Questions(ctx, qs); err != nil {
			return err
		}
		if err := ev.Dialogues(ctx, ds); err != nil {
			return err
		}
		ev.Totals.Print(stdout)
		return nil
	})
}

func readEvalFile[T any](path string) ([]T, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	v, err := bot.ReadJSONL[T](f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(v) == 0 {
		return nil, errors.New(path + ": no lines")
	}
	return v, nil
}
