package botadmin

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"huiliu/bot"
	"huiliu/desk"
)

// Limits of the try console.
const (
	MaxTryKeyBytes  = 64
	MaxTryTextRunes = 2000
)

// TryTurn is the engine's answer to one console turn: what the customer
// would read and the decisions recorded.
type TryTurn struct {
	Reply     bot.Reply      `json:"reply"`
	Decisions []bot.Decision `json:"decisions"`
}

// Tryer runs one turn of a conversation through the engine's production
// path; *bot.Engine implements it.
type Tryer interface {
	Try(ctx context.Context, conversationKey, text, lang string) (bot.Reply, []bot.Decision, error)
}

// Try runs one turn of the admin's test conversation key. Keys are kept
// apart per admin ("try:<agent>:<key>"), so a test never continues a
// customer's conversation or another admin's.
func (s *Service) Try(ctx context.Context, a desk.Agent, key, text, lang string) (TryTurn, error) {
	if err := requireAdmin(a, "try the bot"); err != nil {
		return TryTurn{}, err
	}
	key = strings.TrimSpace(key)
	if key == "" || len(key) > MaxTryKeyBytes || !oneLine(key) {
		return TryTurn{}, desk.Errorf(desk.CodeInvalid, "key: one line of 1 to %d bytes", MaxTryKeyBytes)
	}
	text = strings.TrimSpace(text)
	if text == "" || utf8.RuneCountInString(text) > MaxTryTextRunes || !desk.ValidText(text) {
		return TryTurn{}, desk.Errorf(desk.CodeInvalid, "text: 1 to %d characters", MaxTryTextRunes)
	}
	if lang == "" {
		lang = "zh-CN"
	}
	if !slices.Contains(bot.Languages, lang) {
		return TryTurn{}, desk.Errorf(desk.CodeInvalid, "lang: %q: want %s", lang, strings.Join(bot.Languages, ", "))
	}
	if s.engine == nil {
		return TryTurn{}, desk.Errorf(desk.CodeUnavailable, "the bot is not running on this node")
	}
	reply, ds, err := s.engine.Try(ctx, "try:"+a.ID+":"+key, text, lang)
	if err != nil {
		return TryTurn{}, fmt.Errorf("botadmin: try: %w", err)
	}
	if ds == nil {
		ds = []bot.Decision{}
	}
	return TryTurn{Reply: reply, Decisions: ds}, nil
}

// availability is what a Tryer that may have no engine behind it on this
// node (cmd/huiliu's) says about it.
type availability interface{ Available() bool }

// CanTry says whether this node runs the engine the console talks to.
func (s *Service) CanTry() bool {
	if a, ok := s.engine.(availability); ok {
		return a.Available()
	}
	return s.engine != nil
}
