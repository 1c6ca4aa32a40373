-- Secrets the desk makes for itself (the one-time code key), shared by every
-- node through the database so a code issued on one node checks on another.

-- +goose Up
CREATE TABLE server_keys (
    name       TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE server_keys;
