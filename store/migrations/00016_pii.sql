-- Permissions granted to an agent on top of the role (",pii.reveal,"), and
-- the company's official channels customers can check impostors against.

-- +goose Up
ALTER TABLE agents ADD COLUMN permissions TEXT NOT NULL DEFAULT '';

CREATE TABLE official_channels (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    value      TEXT NOT NULL,
    label      TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE official_channels;
ALTER TABLE agents DROP COLUMN permissions;
