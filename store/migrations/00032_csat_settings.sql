-- Satisfaction survey settings: scope '' is the desk's default, any other
-- scope a team id whose row overrides it. wording is a JSON object of
-- language tag → question text; an empty text falls back to the default.

-- +goose Up
CREATE TABLE csat_settings (
    scope      TEXT PRIMARY KEY,
    enabled    INTEGER NOT NULL DEFAULT 1,
    threshold  INTEGER NOT NULL DEFAULT 2,
    notify     INTEGER NOT NULL DEFAULT 1,
    reopen     INTEGER NOT NULL DEFAULT 0,
    flag       INTEGER NOT NULL DEFAULT 1,
    wording    TEXT NOT NULL DEFAULT '{}',
    updated_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE csat_settings;
