-- One schema for SQLite and PostgreSQL: TEXT, BIGINT, INTEGER only. Times are
-- unix milliseconds UTC (0 = unset); optional references are '' rather than
-- NULL; booleans are INTEGER 0/1; secrets' hashes are hex TEXT.

-- +goose Up
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('ticket', 0);

CREATE TABLE teams (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE agents (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    employee_no   TEXT NOT NULL DEFAULT '',
    active        INTEGER NOT NULL DEFAULT 1,
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL
);
CREATE UNIQUE INDEX agents_employee_no ON agents (employee_no) WHERE employee_no <> '';

CREATE TABLE agent_teams (
    agent_id TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    team_id  TEXT NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    PRIMARY KEY (agent_id, team_id)
);
CREATE INDEX agent_teams_team ON agent_teams (team_id);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY,
    agent_id     TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT NOT NULL DEFAULT 0,
    revoked_at   BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX api_tokens_agent ON api_tokens (agent_id);

CREATE TABLE sessions (
    id         TEXT PRIMARY KEY,
    hash       TEXT NOT NULL UNIQUE,
    agent_id   TEXT NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_agent ON sessions (agent_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE contacts (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE identities (
    id          TEXT PRIMARY KEY,
    contact_id  TEXT NOT NULL REFERENCES contacts (id),
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    verified_at BIGINT NOT NULL DEFAULT 0,
    method      TEXT NOT NULL DEFAULT '',
    verifier    TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    UNIQUE (kind, value)
);
CREATE INDEX identities_contact ON identities (contact_id);

CREATE TABLE tickets (
    id              TEXT PRIMARY KEY,
    number          BIGINT NOT NULL UNIQUE,
    contact_id      TEXT NOT NULL REFERENCES contacts (id),
    channel         TEXT NOT NULL,
    thread_key      TEXT NOT NULL,
    identity_id     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    priority        TEXT NOT NULL,
    subject         TEXT NOT NULL DEFAULT '',
    team_id         TEXT NOT NULL DEFAULT '',
    owner_id        TEXT NOT NULL DEFAULT '',
    assignee_id     TEXT NOT NULL DEFAULT '',
    preview         TEXT NOT NULL DEFAULT '',
    last_message_at BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
-- At most one ticket that is not closed per conversation: two first messages
-- racing to open a ticket cannot both win.
CREATE UNIQUE INDEX tickets_one_active ON tickets (contact_id, channel, thread_key) WHERE status <> 'closed';
-- The inbox sorts by (last_message_at, id) newest first, often within a team,
-- an assignee's or an owner's tickets, or a status.
CREATE INDEX tickets_inbox ON tickets (last_message_at, id);
CREATE INDEX tickets_team ON tickets (team_id, last_message_at, id);
CREATE INDEX tickets_assignee ON tickets (assignee_id, last_message_at, id);

CREATE TABLE messages (
    id             TEXT PRIMARY KEY,
    ticket_id      TEXT NOT NULL REFERENCES tickets (id),
    direction      TEXT NOT NULL,
    author_kind    TEXT NOT NULL,
    author_id      TEXT NOT NULL DEFAULT '',
    channel        TEXT NOT NULL,
    external_id    TEXT NOT NULL DEFAULT '',
    text           TEXT NOT NULL DEFAULT '',
    html           TEXT NOT NULL DEFAULT '',
    delivery       TEXT NOT NULL DEFAULT '',
    delivery_error TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX messages_external ON messages (channel, external_id) WHERE external_id <> '';
CREATE INDEX messages_ticket ON messages (ticket_id, id);

CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    message_id      TEXT NOT NULL REFERENCES messages (id),
    ticket_id       TEXT NOT NULL,
    channel         TEXT NOT NULL,
    idempotency_key TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until    BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL
);
CREATE UNIQUE INDEX outbox_idempotency ON outbox (idempotency_key) WHERE idempotency_key <> '';
CREATE INDEX outbox_due ON outbox (next_attempt_at);
CREATE INDEX outbox_message ON outbox (message_id);

CREATE TABLE idempotency (
    scope      TEXT NOT NULL,
    idem_key   TEXT NOT NULL,
    ref        TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);

CREATE TABLE audit (
    id         TEXT PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor_kind TEXT NOT NULL,
    actor_id   TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    target     TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '',
    ip         TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE audit;
DROP TABLE idempotency;
DROP TABLE outbox;
DROP TABLE messages;
DROP TABLE tickets;
DROP TABLE identities;
DROP TABLE contacts;
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE agent_teams;
DROP TABLE agents;
DROP TABLE teams;
DROP TABLE counters;
