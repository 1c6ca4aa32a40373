-- +goose Up
-- A rotated site secret keeps verifying for a grace period, so host sites
-- can switch to the new one without cutting off their visitors.
ALTER TABLE sites ADD COLUMN previous_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE sites ADD COLUMN previous_until BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE sites DROP COLUMN previous_until;
ALTER TABLE sites DROP COLUMN previous_secret;
