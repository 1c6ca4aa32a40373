-- +goose Up
-- The phone channel (issue 16): one row per call, merged from its events;
-- one row per (line, call id, state) seen, so a redelivered event is
-- dropped; callbacks are follow-ups of kind 'callback'; agents' phone
-- extensions match a call platform's agent field.
CREATE TABLE calls (
    id            TEXT PRIMARY KEY,
    line          TEXT NOT NULL,
    call_id       TEXT NOT NULL,
    ticket_id     TEXT NOT NULL,
    message_id    TEXT NOT NULL,
    contact_id    TEXT NOT NULL,
    direction     TEXT NOT NULL,
    customer      TEXT NOT NULL DEFAULT '',
    ours          TEXT NOT NULL DEFAULT '',
    agent         TEXT NOT NULL DEFAULT '',
    agent_id      TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL,
    state_rank    INTEGER NOT NULL,
    started_at    BIGINT NOT NULL DEFAULT 0,
    answered_at   BIGINT NOT NULL DEFAULT 0,
    ended_at      BIGINT NOT NULL DEFAULT 0,
    talk_ms       BIGINT NOT NULL DEFAULT 0,
    queue         TEXT NOT NULL DEFAULT '',
    recording_url TEXT NOT NULL DEFAULT '',
    disposition   TEXT NOT NULL DEFAULT '',
    notes         TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL,
    callback_id   TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    UNIQUE (line, call_id)
);
CREATE INDEX calls_ticket ON calls (ticket_id, created_at);

CREATE TABLE call_events (
    line        TEXT NOT NULL,
    call_id     TEXT NOT NULL,
    state       TEXT NOT NULL,
    at          BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    PRIMARY KEY (line, call_id, state)
);

ALTER TABLE ticket_followups ADD COLUMN kind TEXT NOT NULL DEFAULT '';
ALTER TABLE agents ADD COLUMN extension TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX agents_extension ON agents (extension) WHERE extension <> '';

-- +goose Down
DROP INDEX agents_extension;
ALTER TABLE agents DROP COLUMN extension;
ALTER TABLE ticket_followups DROP COLUMN kind;
DROP TABLE call_events;
DROP TABLE calls;
