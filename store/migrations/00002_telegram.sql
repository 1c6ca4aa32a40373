-- Contact merges on verified identities, per-conversation outbox order, and
-- the poll offsets of channels such as Telegram.

-- +goose Up
ALTER TABLE contacts ADD COLUMN merged_into TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_ticket ON outbox (ticket_id, id);
CREATE TABLE channel_offsets (
    name       TEXT PRIMARY KEY,
    value      BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE channel_offsets;
DROP INDEX outbox_ticket;
ALTER TABLE contacts DROP COLUMN merged_into;
