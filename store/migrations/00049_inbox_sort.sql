-- +goose Up
-- The inbox sorts by how long a customer has waited and by the next SLA
-- deadline (issue 17). waiting_since is when the first customer message
-- the desk has not yet answered came (0: the desk spoke last); InsertMessage
-- keeps it. ticket_sla.due_at is the earliest deadline of a running clock
-- (0: none), written with the clocks. Both are columns, not JSON or a
-- scan of messages, so sorting 50k tickets stays one indexed read.
ALTER TABLE tickets ADD COLUMN waiting_since BIGINT NOT NULL DEFAULT 0;
UPDATE tickets SET waiting_since = COALESCE((SELECT MIN(m.created_at) FROM messages m
    WHERE m.ticket_id = tickets.id AND m.direction = 'in'
    AND m.seq > COALESCE((SELECT MAX(o.seq) FROM messages o WHERE o.ticket_id = tickets.id AND o.direction = 'out'), 0)), 0)
WHERE status <> 'closed';
ALTER TABLE ticket_sla ADD COLUMN due_at BIGINT NOT NULL DEFAULT 0;
-- The SLA worker recomputes stale rows, filling due_at.
UPDATE ticket_sla SET ticket_updated_at = -1;
-- The channel filter offers the channels tickets came by (a skip scan of
-- this index) and narrows a page to one channel and status.
CREATE INDEX tickets_channel ON tickets (channel, status, last_message_at, id);
-- The inbox's pages by status (active tickets are few among many closed
-- ones): these cover the page query's filter and sort key, so its sort
-- reads no table rows.
CREATE INDEX tickets_status_activity ON tickets (status, last_message_at, id);
CREATE INDEX tickets_status_waiting ON tickets (status, waiting_since, id);

-- +goose Down
DROP INDEX tickets_status_waiting;
DROP INDEX tickets_status_activity;
DROP INDEX tickets_channel;
ALTER TABLE ticket_sla DROP COLUMN due_at;
ALTER TABLE tickets DROP COLUMN waiting_since;
