-- A ticket's category (set by routing rules or an agent) and the language
-- its customer writes in; routing rules and SLA policies match on both.

-- +goose Up
ALTER TABLE tickets ADD COLUMN category TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN language TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE tickets DROP COLUMN language;
ALTER TABLE tickets DROP COLUMN category;
