-- Defaults the complaint feature put in place once (the SLA calendar and
-- policy of the seeds' deadlines), so one an admin deleted or changed is not
-- made again on the next complaint.

-- +goose Up
CREATE TABLE complaint_defaults (
    name    TEXT PRIMARY KEY,
    done_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE complaint_defaults;
