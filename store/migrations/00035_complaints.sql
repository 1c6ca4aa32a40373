-- Complaints: a ticket of category "complaint" has one row here with where
-- the complaint came from, how serious it is, who answers for it, and its
-- own deadlines, computed when it was filed from the SLA policy matched on
-- category "complaint" (and a regulator's stricter deadline). Times are unix
-- milliseconds, 0 = not yet. Status "withdrawn" is a ticket an agent turned
-- back into "not a complaint"; the row stays for the audit trail and is not
-- counted as a complaint.

-- +goose Up
CREATE TABLE complaints (
    ticket_id               TEXT PRIMARY KEY,
    source                  TEXT NOT NULL,              -- customer | regulator | social | internal
    regulator_ref           TEXT NOT NULL DEFAULT '',   -- 12315, 12378, a referral number
    severity                TEXT NOT NULL,              -- low | normal | high | critical
    summary                 TEXT NOT NULL DEFAULT '',
    wants                   TEXT NOT NULL DEFAULT '',
    owner_id                TEXT NOT NULL DEFAULT '',   -- '' until accepted
    team_id                 TEXT NOT NULL DEFAULT '',
    status                  TEXT NOT NULL,              -- open | responded | resolved | withdrawn
    filed_by                TEXT NOT NULL DEFAULT '',   -- agent id, bot:<name>, system:<name>
    policy_id               TEXT NOT NULL DEFAULT '',
    created_at              BIGINT NOT NULL,
    accepted_at             BIGINT NOT NULL DEFAULT 0,
    first_response_at       BIGINT NOT NULL DEFAULT 0,
    resolved_at             BIGINT NOT NULL DEFAULT 0,
    deadline_first_response BIGINT NOT NULL DEFAULT 0,
    deadline_resolution     BIGINT NOT NULL DEFAULT 0,
    regulator_due           BIGINT NOT NULL DEFAULT 0,
    withdrawn_at            BIGINT NOT NULL DEFAULT 0,
    withdrawn_by            TEXT NOT NULL DEFAULT '',
    withdrawn_reason        TEXT NOT NULL DEFAULT '',
    updated_at              BIGINT NOT NULL
);
CREATE INDEX complaints_deadline ON complaints (status, deadline_resolution);
CREATE INDEX complaints_created ON complaints (created_at);
CREATE INDEX complaints_team ON complaints (team_id, status);

-- +goose Down
DROP TABLE complaints;
