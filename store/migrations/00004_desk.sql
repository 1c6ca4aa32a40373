-- The web desk and the website chat: a per-ticket message sequence (so live
-- views resume with no gap), tags, structured system entries, canned
-- replies per team, and the websites the chat widget runs on.

-- +goose Up
ALTER TABLE messages ADD COLUMN seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN event TEXT NOT NULL DEFAULT '';
UPDATE messages SET seq = (SELECT COUNT(*) FROM messages m2
    WHERE m2.ticket_id = messages.ticket_id AND m2.id <= messages.id);
CREATE UNIQUE INDEX messages_seq ON messages (ticket_id, seq);

ALTER TABLE tickets ADD COLUMN last_seq BIGINT NOT NULL DEFAULT 0;
-- Tags as one ",a,b," text: one SQL text filters them on both databases.
ALTER TABLE tickets ADD COLUMN tags TEXT NOT NULL DEFAULT '';
UPDATE tickets SET last_seq = (SELECT COALESCE(MAX(seq), 0) FROM messages WHERE messages.ticket_id = tickets.id);
CREATE INDEX tickets_owner ON tickets (owner_id, last_message_at, id);

CREATE TABLE canned_replies (
    id         TEXT PRIMARY KEY,
    team_id    TEXT NOT NULL DEFAULT '',
    title      TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX canned_replies_team ON canned_replies (team_id, title);

CREATE TABLE sites (
    id         TEXT PRIMARY KEY,
    site_key   TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    secret     TEXT NOT NULL,
    origins    TEXT NOT NULL DEFAULT '',
    greeting   TEXT NOT NULL DEFAULT '',
    hours_note TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE sites;
DROP TABLE canned_replies;
DROP INDEX tickets_owner;
ALTER TABLE tickets DROP COLUMN tags;
ALTER TABLE tickets DROP COLUMN last_seq;
DROP INDEX messages_seq;
ALTER TABLE messages DROP COLUMN event;
ALTER TABLE messages DROP COLUMN seq;
