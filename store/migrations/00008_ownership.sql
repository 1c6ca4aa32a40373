-- First-contact ownership (首问负责制): whether a transfer, another team or
-- another agent worked the ticket (handoff), and the owner's (or a
-- supervisor's) confirmation that the customer was told the outcome, which a
-- resolve needs after a handoff. The confirmation's reason is on the
-- timeline and in the audit log.

-- +goose Up
ALTER TABLE tickets ADD COLUMN handoff INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN confirmed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE tickets ADD COLUMN confirmed_at BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE tickets DROP COLUMN confirmed_at;
ALTER TABLE tickets DROP COLUMN confirmed_by;
ALTER TABLE tickets DROP COLUMN handoff;
