package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"huiliu/desk"
	"huiliu/i18n"
)

// telegramRoutes adds the Telegram bots page and its API (admins).
func (s *Server) telegramRoutes(v1 string, page, admin []echo.MiddlewareFunc) {
	e := s.echo
	e.GET("/admin/telegram", s.telegramPage, append(page[:len(page):len(page)], requireRole(desk.RoleAdmin))...)
	e.GET(v1+"/telegram-bots", s.listTelegramBots, admin...)
	e.POST(v1+"/telegram-bots", s.saveTelegramBot, admin...)
	// :id is the bot's name.
	e.DELETE(v1+"/telegram-bots/:id", s.removeTelegramBot, admin...)
	e.POST(v1+"/telegram-bots/:id/test", s.testTelegramBot, admin...)
}

// telegramPage lists the bots with their live standing, a form to add
// one and, per bot, a test message.
func (s *Server) telegramPage(c echo.Context) error {
	ctx := c.Request().Context()
	bots, err := s.svc.TelegramBots(ctx, current(c).Agent)
	if err != nil {
		return err
	}
	lang := pickLanguage(c.Request())
	d := pageData{Lang: lang, Title: i18n.T(lang, "admintg.title"), Page: "telegram-bots", Scripts: []string{"telegram_admin.js"},
		Data: struct {
			Bots      []desk.TelegramBotInfo
			PublicURL string
		}{bots, s.opts.PublicURL}}
	if err := s.withChrome(ctx, c, &d, ""); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "admin_telegram.html", d)
}

func (s *Server) listTelegramBots(c echo.Context) error {
	list, err := s.svc.TelegramBots(c.Request().Context(), current(c).Agent)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"bots": list})
}

// saveTelegramBot answers 200 with the bot as saved (its @username from
// Telegram); the token is never echoed.
func (s *Server) saveTelegramBot(c echo.Context) error {
	var in desk.TelegramBotInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	bot, err := s.svc.SaveTelegramBot(c.Request().Context(), current(c).Agent, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, bot)
}

func (s *Server) removeTelegramBot(c echo.Context) error {
	if err := s.svc.RemoveTelegramBot(c.Request().Context(), current(c).Agent, c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

type telegramTestRequest struct {
	// ChatID is a string: big chat ids (-100…) do not survive JavaScript
	// numbers.
	ChatID string `json:"chat_id"`
	Text   string `json:"text"`
}

// testTelegramBot sends the test message now; answers 204, or Telegram's
// refusal as a translated error.
func (s *Server) testTelegramBot(c echo.Context) error {
	var req telegramTestRequest
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	chat, err := strconv.ParseInt(strings.TrimSpace(req.ChatID), 10, 64)
	if err != nil || chat == 0 {
		return desk.Errorf(desk.CodeInvalid, "chat id must be a whole number, like 123456789 or -1001234567890").Say("admintg.err_chat_id")
	}
	if err := s.svc.TestTelegramBot(c.Request().Context(), current(c).Agent, c.Param("id"), chat, req.Text); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}
