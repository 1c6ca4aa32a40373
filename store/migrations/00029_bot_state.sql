-- +goose Up
-- The bot's conversation state (bot/state.go), one row per ticket, so a
-- dialogue survives a restart and continues on any node.
CREATE TABLE bot_states (
    ticket_id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- One row per customer message the bot took: the claim that makes a turn
-- run at most once, whichever node hears the message.
CREATE TABLE bot_turns (
    message_id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX bot_turns_created ON bot_turns (created_at);

-- +goose Down
DROP TABLE bot_turns;
DROP TABLE bot_states;
