-- Retention: when a closed ticket's personal data was purged (0: not yet).
-- The ticket row, its numbers, times and SLA history stay for KPIs.

-- +goose Up
ALTER TABLE tickets ADD COLUMN purged_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX tickets_retention ON tickets (status, updated_at) WHERE purged_at = 0;

-- +goose Down
DROP INDEX tickets_retention;
ALTER TABLE tickets DROP COLUMN purged_at;
