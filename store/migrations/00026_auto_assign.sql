-- +goose Up
-- Supervisors and admins take auto-assigned tickets only when they opt in.
ALTER TABLE agent_routing ADD COLUMN auto_assign INTEGER NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE agent_routing DROP COLUMN auto_assign;
