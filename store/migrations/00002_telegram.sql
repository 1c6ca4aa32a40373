-- Contact merges on verified identities, per-conversation outbox order, the
-- poll offsets of channels such as Telegram, and message kinds (a request to
-- verify, which a channel may render as a share-my-phone button).

-- +goose Up
ALTER TABLE contacts ADD COLUMN merged_into TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN kind TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_ticket ON outbox (ticket_id, id);
CREATE TABLE channel_offsets (
    name       TEXT PRIMARY KEY,
    value      BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE channel_offsets;
DROP INDEX outbox_ticket;
ALTER TABLE messages DROP COLUMN kind;
ALTER TABLE contacts DROP COLUMN merged_into;
