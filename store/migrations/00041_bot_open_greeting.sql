-- A place may turn off the greeting the bot sends when a visitor's first
-- message opens a conversation (docs/bot.md); on unless stored otherwise.

-- +goose Up
ALTER TABLE bot_settings ADD COLUMN skip_open_greeting INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE bot_settings DROP COLUMN skip_open_greeting;
