-- Notes agents keep about a customer (issue 17): shown on the ticket page's
-- contact panel, never to customers. Each is its author's to edit or delete.

-- +goose Up
CREATE TABLE contact_notes (
    id         TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL,
    author_id  TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX contact_notes_contact ON contact_notes (contact_id, created_at);

-- +goose Down
DROP TABLE contact_notes;
