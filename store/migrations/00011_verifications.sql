-- Verification of a conversation: who the customer proved to be, how (an
-- OTP to the phone on record, a knowledge question, ...), at which level and
-- until when. One row per ticket; a new proof replaces the old one.

-- +goose Up
CREATE TABLE verifications (
    ticket_id   TEXT PRIMARY KEY REFERENCES tickets (id),
    contact_id  TEXT NOT NULL,
    identity_id TEXT NOT NULL DEFAULT '',
    method      TEXT NOT NULL,
    level       INTEGER NOT NULL,
    verified_at BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL
);

-- +goose Down
DROP TABLE verifications;
