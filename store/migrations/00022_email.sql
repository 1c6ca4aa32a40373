-- The email channel: a mail's header with its message, inline images'
-- Content-IDs, each mailbox's import position and health, the per-ticket
-- threading tokens our Message-IDs carry, and bouncing addresses.

-- +goose Up
ALTER TABLE messages ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE attachments ADD COLUMN content_id TEXT NOT NULL DEFAULT '';
CREATE TABLE mailbox_state (
    name                TEXT PRIMARY KEY,
    state               TEXT NOT NULL DEFAULT '',
    error               TEXT NOT NULL DEFAULT '',
    error_at            BIGINT NOT NULL DEFAULT 0,
    uid_validity        BIGINT NOT NULL DEFAULT 0,
    last_uid            BIGINT NOT NULL DEFAULT 0,
    validity_changed_at BIGINT NOT NULL DEFAULT 0,
    last_mail_at        BIGINT NOT NULL DEFAULT 0,
    updated_at          BIGINT NOT NULL
);
CREATE TABLE email_threads (
    ticket_id  TEXT PRIMARY KEY REFERENCES tickets (id),
    token      TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
CREATE TABLE email_bounces (
    address    TEXT PRIMARY KEY,
    reason     TEXT NOT NULL,
    bounced_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE email_bounces;
DROP TABLE email_threads;
DROP TABLE mailbox_state;
ALTER TABLE attachments DROP COLUMN content_id;
ALTER TABLE messages DROP COLUMN email;
