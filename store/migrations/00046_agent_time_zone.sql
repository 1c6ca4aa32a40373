-- +goose Up
-- Each agent reads the desk's times in their own zone (issue 17); empty is
-- the desk's configured zone.
ALTER TABLE agents ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE agents DROP COLUMN time_zone;
