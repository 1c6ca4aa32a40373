package telegramtest

import (
	"strings"
	"time"
	"unicode/utf16"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Private is a message from user in their private chat with the bot,
// with the bot_command entity Telegram adds to a leading "/command".
func Private(userID int64, first, text string) tgbotapi.Update {
	m := &tgbotapi.Message{
		Date: int(time.Now().Unix()),
		Chat: &tgbotapi.Chat{ID: userID, Type: "private", FirstName: first},
		From: &tgbotapi.User{ID: userID, FirstName: first},
		Text: text,
	}
	if strings.HasPrefix(text, "/") {
		cmd, _, _ := strings.Cut(text, " ")
		m.Entities = []tgbotapi.MessageEntity{{Type: "bot_command", Offset: 0, Length: len(utf16.Encode([]rune(cmd)))}}
	}
	return tgbotapi.Update{Message: m}
}

// Group is a message from user in a group chat.
func Group(chatID, userID int64, first, text string) tgbotapi.Update {
	return tgbotapi.Update{Message: &tgbotapi.Message{
		Date: int(time.Now().Unix()),
		Chat: &tgbotapi.Chat{ID: chatID, Type: "group", Title: "Some group"},
		From: &tgbotapi.User{ID: userID, FirstName: first},
		Text: text,
	}}
}
