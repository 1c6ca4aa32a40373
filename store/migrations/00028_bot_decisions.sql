-- +goose Up
-- Every decision of the bot (bot/decision.go): analytics count them, the
-- ticket page lists them. detail is JSON text (article_id, candidates,
-- fact, count, reason, result, flow, fields).
CREATE TABLE bot_decisions (
    id TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL,
    message_id TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}',
    lang TEXT NOT NULL DEFAULT '',
    text TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX bot_decisions_created ON bot_decisions (created_at);
CREATE INDEX bot_decisions_ticket ON bot_decisions (ticket_id);

-- +goose Down
DROP TABLE bot_decisions;
