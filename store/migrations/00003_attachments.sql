-- Files customers send (photos, documents). The bytes live in the record
-- like everything else a customer sends, so every node of a PostgreSQL
-- desk can serve them; BYTEA is PostgreSQL's binary type, and SQLite keeps
-- a blob as it is in a column so declared.

-- +goose Up
CREATE TABLE attachments (
    id         TEXT PRIMARY KEY,
    message_id TEXT NOT NULL REFERENCES messages (id),
    name       TEXT NOT NULL DEFAULT '',
    mime       TEXT NOT NULL DEFAULT '',
    size       BIGINT NOT NULL,
    data       BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_message ON attachments (message_id);

-- +goose Down
DROP TABLE attachments;
