-- A contact's tickets by recency: an agent may see a contact only through
-- a ticket of it they may see, which the desk asks on every contact read.

-- +goose Up
CREATE INDEX tickets_contact ON tickets (contact_id, last_message_at, id);

-- +goose Down
DROP INDEX tickets_contact;
