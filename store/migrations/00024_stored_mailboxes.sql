-- Mailboxes an admin added on the desk's mailbox page (those of the TOML
-- file are not here). config is the mailbox as JSON without passwords; the
-- passwords sit in their own columns and no API ever returns them.

-- +goose Up
CREATE TABLE stored_mailboxes (
    name          TEXT PRIMARY KEY,
    config        TEXT NOT NULL,
    imap_password TEXT NOT NULL DEFAULT '',
    smtp_password TEXT NOT NULL DEFAULT '',
    disabled      INTEGER NOT NULL DEFAULT 0,
    updated_at    BIGINT NOT NULL
);

-- +goose Down
DROP TABLE stored_mailboxes;
