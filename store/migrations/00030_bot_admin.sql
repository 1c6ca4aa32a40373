-- The bot's settings per site or channel and its flows, versioned
-- (desk/botadmin). The bot's decisions are bot_decisions (00028).

-- +goose Up
-- One row per place the bot answers: a webchat site key, a Telegram bot
-- name or a channel ("" site key: the whole channel). greeting is JSON
-- {lang: text}; hours is JSON {weekday: "09:00-18:00"} used when no
-- calendar is named.
CREATE TABLE bot_settings (
    channel     TEXT NOT NULL,
    site_key    TEXT NOT NULL,
    enabled     INTEGER NOT NULL DEFAULT 0,
    mode        TEXT NOT NULL DEFAULT 'always',
    name        TEXT NOT NULL DEFAULT '',
    greeting    TEXT NOT NULL DEFAULT '{}',
    calendar_id TEXT NOT NULL DEFAULT '',
    hours       TEXT NOT NULL DEFAULT '{}',
    timezone    TEXT NOT NULL DEFAULT '',
    updated_by  TEXT NOT NULL DEFAULT '',
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (channel, site_key)
);

-- Every save of the flows document is a new version; the highest is in
-- force. A restore is a new version carrying the old text (restored_from).
CREATE TABLE bot_flow_versions (
    version       BIGINT PRIMARY KEY,
    source        TEXT NOT NULL,
    author_id     TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    restored_from BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);

-- +goose Down
DROP TABLE bot_flow_versions;
DROP TABLE bot_settings;
