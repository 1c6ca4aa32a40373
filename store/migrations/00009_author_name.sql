-- The name a bot or the system wrote a timeline entry under (an agent is
-- named by author_id, so a renamed agent shows the new name). Existing
-- rows are agents', customers' or unnamed system entries: '' fits them.

-- +goose Up
ALTER TABLE messages ADD COLUMN author_name TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE messages DROP COLUMN author_name;
