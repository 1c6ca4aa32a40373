-- Customer facts imported with `huiliu facts import` (or the admin upload)
-- for companies without a facts API, and customer numbers claimed in a
-- conversation (not proof: a claim only says whose record a code goes to).

-- +goose Up
CREATE TABLE customer_facts (
    customer_no TEXT PRIMARY KEY,
    -- The record as canonical JSON (desk.CustomerFacts); compared as text
    -- to tell an unchanged row on re-import.
    doc         TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE customer_claims (
    ticket_id   TEXT PRIMARY KEY REFERENCES tickets (id),
    customer_no TEXT NOT NULL,
    agent_id    TEXT NOT NULL DEFAULT '',
    claimed_at  BIGINT NOT NULL
);

-- +goose Down
DROP TABLE customer_claims;
DROP TABLE customer_facts;
