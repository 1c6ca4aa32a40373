-- Telegram bots an admin added on the desk's Telegram page (those of the
-- TOML file are not here). The token and webhook secret sit in their own
-- columns and no API ever returns them; username is what getMe answered
-- when the token was checked.

-- +goose Up
CREATE TABLE stored_telegram_bots (
    name           TEXT PRIMARY KEY,
    token          TEXT NOT NULL,
    mode           TEXT NOT NULL,
    webhook_secret TEXT NOT NULL DEFAULT '',
    username       TEXT NOT NULL DEFAULT '',
    disabled       INTEGER NOT NULL DEFAULT 0,
    updated_at     BIGINT NOT NULL
);

-- +goose Down
DROP TABLE stored_telegram_bots;
