-- SLA: business calendars, policies with escalation ladders, each ticket's
-- computed deadlines, promised follow-ups, and the escalation steps taken
-- (one row per ticket, target, step and clock cycle, so a step acts once
-- however many nodes fire its timer).

-- +goose Up
CREATE TABLE sla_calendars (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    timezone    TEXT NOT NULL,
    hours       TEXT NOT NULL,             -- JSON {"mon": "09:00-12:00,13:30-18:00", ...}
    base        TEXT NOT NULL DEFAULT '',  -- built-in holiday data: '' or 'cn-mainland'
    schedule    TEXT NOT NULL DEFAULT '',  -- imported holiday/make-up schedule text
    always_open INTEGER NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

INSERT INTO sla_calendars (id, name, timezone, hours, base, schedule, always_open, created_at, updated_at)
VALUES ('cal_cn_mainland', 'cn-mainland', 'Asia/Shanghai',
    '{"mon":"09:00-12:00,13:30-18:00","tue":"09:00-12:00,13:30-18:00","wed":"09:00-12:00,13:30-18:00","thu":"09:00-12:00,13:30-18:00","fri":"09:00-12:00,13:30-18:00"}',
    'cn-mainland', '', 0, 0, 0);

CREATE TABLE sla_policies (
    id                TEXT PRIMARY KEY,
    name              TEXT NOT NULL UNIQUE,
    position          INTEGER NOT NULL,
    team_id           TEXT NOT NULL DEFAULT '',
    priority          TEXT NOT NULL DEFAULT '',
    category          TEXT NOT NULL DEFAULT '',
    channel           TEXT NOT NULL DEFAULT '',
    calendar_id       TEXT NOT NULL,
    first_response_ms BIGINT NOT NULL DEFAULT 0,
    next_response_ms  BIGINT NOT NULL DEFAULT 0,
    resolution_ms     BIGINT NOT NULL DEFAULT 0,
    ladder            TEXT NOT NULL DEFAULT '[]',
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);

CREATE TABLE ticket_sla (
    ticket_id         TEXT PRIMARY KEY,
    policy_id         TEXT NOT NULL,
    calendar_id       TEXT NOT NULL,
    clocks            TEXT NOT NULL,           -- JSON []desk.SLAClock
    next_at           BIGINT NOT NULL DEFAULT 0, -- next escalation instant; 0 none
    ticket_updated_at BIGINT NOT NULL,         -- the ticket version it was computed from; -1 stale
    computed_at       BIGINT NOT NULL
);
CREATE INDEX ticket_sla_next ON ticket_sla (next_at);

CREATE TABLE ticket_followups (
    id         TEXT PRIMARY KEY,
    ticket_id  TEXT NOT NULL,
    due_at     BIGINT NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    done_at    BIGINT NOT NULL DEFAULT 0,
    done_by    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ticket_followups_ticket ON ticket_followups (ticket_id, created_at);

CREATE TABLE sla_escalations (
    ticket_id TEXT NOT NULL,
    target    TEXT NOT NULL,
    step      INTEGER NOT NULL,
    cycle     INTEGER NOT NULL,
    at        BIGINT NOT NULL,
    PRIMARY KEY (ticket_id, target, step, cycle)
);

-- +goose Down
DROP TABLE sla_escalations;
DROP TABLE ticket_followups;
DROP TABLE ticket_sla;
DROP TABLE sla_policies;
DROP TABLE sla_calendars;
