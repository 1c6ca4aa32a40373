-- One-time code attempts of a conversation (sent, wrong, verified, ...), so
-- the desk shows agents what happened; the limits themselves live in the
-- queue Limiter. At most a few rows per conversation and hour: refused
-- requests are not recorded.

-- +goose Up
CREATE TABLE otp_attempts (
    id         TEXT PRIMARY KEY,
    ticket_id  TEXT NOT NULL REFERENCES tickets (id),
    kind       TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    masked     TEXT NOT NULL DEFAULT '',
    agent_id   TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX otp_attempts_ticket ON otp_attempts (ticket_id, created_at);

-- +goose Down
DROP TABLE otp_attempts;
