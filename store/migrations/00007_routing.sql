-- Routing: ordered rules that put a new ticket into a team, teams' routing
-- mode, agents' capacity and skills, a customer segment directory, and when
-- a ticket was last assigned (silence is counted from then or from the
-- customer's last message, whichever is later).

-- +goose Up
CREATE TABLE routing_rules (
    id           TEXT PRIMARY KEY,
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    enabled      INTEGER NOT NULL DEFAULT 1,
    conditions   TEXT NOT NULL DEFAULT '{}',
    team_id      TEXT NOT NULL,
    set_category TEXT NOT NULL DEFAULT '',
    set_priority TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX routing_rules_position ON routing_rules (position, id);

CREATE TABLE team_routing (
    team_id           TEXT PRIMARY KEY,
    mode              TEXT NOT NULL DEFAULT 'pull',
    reassign_after_ms BIGINT NOT NULL DEFAULT 0,
    is_default        INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE agent_routing (
    agent_id         TEXT PRIMARY KEY,
    capacity         INTEGER NOT NULL DEFAULT 8,
    languages        TEXT NOT NULL DEFAULT '',
    channels         TEXT NOT NULL DEFAULT '',
    categories       TEXT NOT NULL DEFAULT '',
    last_assigned_at BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE customer_segments (
    kind       TEXT NOT NULL,
    value      TEXT NOT NULL,
    segment    TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (kind, value, segment)
);

ALTER TABLE tickets ADD COLUMN assigned_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX tickets_queue ON tickets (team_id, status, assignee_id, created_at);
CREATE INDEX tickets_assignee_status ON tickets (assignee_id, status);

-- +goose Down
DROP INDEX tickets_assignee_status;
DROP INDEX tickets_queue;
ALTER TABLE tickets DROP COLUMN assigned_at;
DROP TABLE customer_segments;
DROP TABLE agent_routing;
DROP TABLE team_routing;
DROP TABLE routing_rules;
