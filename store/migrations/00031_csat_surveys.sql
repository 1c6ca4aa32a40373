-- Satisfaction surveys (CSAT): one per resolution of a ticket. cycle is the
-- seq of the timeline's status entry that resolved the ticket, so a replay
-- or a second node finds the row already there. answered_at and score stay
-- NULL until the customer answers; the token itself is never stored, only
-- its SHA-256 (hex).

-- +goose Up
CREATE TABLE csat_surveys (
    id          TEXT PRIMARY KEY,
    ticket_id   TEXT NOT NULL REFERENCES tickets (id),
    cycle       BIGINT NOT NULL,
    contact_id  TEXT NOT NULL,
    agent_id    TEXT NOT NULL DEFAULT '',
    team_id     TEXT NOT NULL DEFAULT '',
    channel     TEXT NOT NULL,
    lang        TEXT NOT NULL DEFAULT '',
    token_hash  TEXT NOT NULL UNIQUE,
    message_id  TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    answered_at BIGINT,
    score       INTEGER CHECK (score BETWEEN 1 AND 5),
    comment     TEXT NOT NULL DEFAULT '',
    UNIQUE (ticket_id, cycle)
);
CREATE INDEX csat_surveys_answered ON csat_surveys (answered_at);
CREATE INDEX csat_surveys_agent ON csat_surveys (agent_id, answered_at);
CREATE INDEX csat_surveys_team ON csat_surveys (team_id, answered_at);

-- +goose Down
DROP TABLE csat_surveys;
