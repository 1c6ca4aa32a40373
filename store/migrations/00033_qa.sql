-- Quality sampling and scorecards (质检). Scorecards are versioned: a
-- version's criteria never change once written, and a review keeps the
-- version it was scored on. Sampling plans pick closed tickets each week
-- (qa_runs makes a plan's week run once); each sample is a review assigned
-- to one reviewer. Calibration sessions give the same ticket to several
-- reviewers. See docs/quality.md.

-- +goose Up
CREATE TABLE qa_scorecards (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    version     INTEGER NOT NULL,       -- the current (newest) version
    archived_at BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE qa_scorecard_versions (
    scorecard_id TEXT NOT NULL REFERENCES qa_scorecards (id),
    version      INTEGER NOT NULL,
    criteria     TEXT NOT NULL,         -- JSON []desk.QACriterion
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (scorecard_id, version)
);

CREATE TABLE qa_plans (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    scorecard_id TEXT NOT NULL REFERENCES qa_scorecards (id),
    team_id      TEXT NOT NULL DEFAULT '', -- '' all teams
    per_agent    INTEGER NOT NULL,          -- random samples per agent and week
    rules        TEXT NOT NULL DEFAULT '',  -- ",complaint,csat,sla,transfer,"
    reviewers    TEXT NOT NULL DEFAULT '',  -- ",agent id,agent id,"
    rr_next      INTEGER NOT NULL DEFAULT 0, -- round-robin position among reviewers
    active       INTEGER NOT NULL DEFAULT 1,
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);

CREATE TABLE qa_runs (
    plan_id    TEXT NOT NULL,
    week       TEXT NOT NULL,              -- ISO week, 2026-W49
    samples    INTEGER NOT NULL,
    started_by TEXT NOT NULL DEFAULT '',   -- '' the weekly job
    created_at BIGINT NOT NULL,
    PRIMARY KEY (plan_id, week)
);

CREATE TABLE qa_calibrations (
    id                TEXT PRIMARY KEY,
    ticket_id         TEXT NOT NULL,
    scorecard_id      TEXT NOT NULL,
    scorecard_version INTEGER NOT NULL,
    created_by        TEXT NOT NULL,
    created_at        BIGINT NOT NULL
);

CREATE TABLE qa_reviews (
    id                TEXT PRIMARY KEY,
    ticket_id         TEXT NOT NULL,
    agent_id          TEXT NOT NULL,        -- the reviewed agent
    reviewer_id       TEXT NOT NULL,
    scorecard_id      TEXT NOT NULL,
    scorecard_version INTEGER NOT NULL,
    plan_id           TEXT NOT NULL DEFAULT '',
    week              TEXT NOT NULL DEFAULT '',
    reason            TEXT NOT NULL,        -- random, complaint, csat, sla, transfer, calibration
    channel           TEXT NOT NULL DEFAULT '',
    calibration_id    TEXT NOT NULL DEFAULT '',
    scores            TEXT NOT NULL DEFAULT '[]', -- JSON []desk.QAScore
    note              TEXT NOT NULL DEFAULT '',
    total             INTEGER NOT NULL DEFAULT 0, -- 0-100, final (after a settled amendment)
    original_total    INTEGER NOT NULL DEFAULT 0, -- as the reviewer submitted it
    status            TEXT NOT NULL,        -- assigned, submitted, acknowledged, disputed, settled
    created_at        BIGINT NOT NULL,
    submitted_at      BIGINT NOT NULL DEFAULT 0,
    acknowledged_at   BIGINT NOT NULL DEFAULT 0,
    dispute_reason    TEXT NOT NULL DEFAULT '',
    disputed_at       BIGINT NOT NULL DEFAULT 0,
    settled_by        TEXT NOT NULL DEFAULT '',
    settled_at        BIGINT NOT NULL DEFAULT 0,
    settle_outcome    TEXT NOT NULL DEFAULT '', -- upheld, amended
    settle_note       TEXT NOT NULL DEFAULT ''
);
-- A plan's week samples a ticket once; a calibration gives it to each reviewer once.
CREATE UNIQUE INDEX qa_reviews_sample ON qa_reviews (plan_id, week, ticket_id) WHERE plan_id <> '';
CREATE UNIQUE INDEX qa_reviews_calibration ON qa_reviews (calibration_id, reviewer_id) WHERE calibration_id <> '';
CREATE INDEX qa_reviews_reviewer ON qa_reviews (reviewer_id, status, created_at);
CREATE INDEX qa_reviews_agent ON qa_reviews (agent_id, submitted_at);
CREATE INDEX qa_reviews_status ON qa_reviews (status, created_at);
CREATE INDEX qa_reviews_ticket ON qa_reviews (ticket_id);

CREATE TABLE qa_comments (
    id         TEXT PRIMARY KEY,
    review_id  TEXT NOT NULL REFERENCES qa_reviews (id),
    message_id TEXT NOT NULL,
    author_id  TEXT NOT NULL,
    text       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX qa_comments_review ON qa_comments (review_id, created_at);

-- +goose Down
DROP TABLE qa_comments;
DROP TABLE qa_reviews;
DROP TABLE qa_calibrations;
DROP TABLE qa_runs;
DROP TABLE qa_plans;
DROP TABLE qa_scorecard_versions;
DROP TABLE qa_scorecards;
