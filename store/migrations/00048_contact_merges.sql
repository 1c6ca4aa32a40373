-- Merges of two contacts an agent made by hand (issue 17), with what each
-- moved, so an undo puts back exactly those identities, tickets and notes
-- and reopens exactly the tickets the merge closed.

-- +goose Up
CREATE TABLE contact_merges (
    id         TEXT PRIMARY KEY,
    from_id    TEXT NOT NULL,
    into_id    TEXT NOT NULL,
    agent_id   TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    undone_at  BIGINT NOT NULL DEFAULT 0,
    undone_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contact_merges_from ON contact_merges (from_id);
CREATE INDEX contact_merges_into ON contact_merges (into_id);

-- kind: identity, ticket, note, closed (a ticket the merge closed; prior is
-- its status before).
CREATE TABLE contact_merge_moves (
    merge_id  TEXT NOT NULL,
    kind      TEXT NOT NULL,
    object_id TEXT NOT NULL,
    prior     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (merge_id, kind, object_id)
);

-- +goose Down
DROP TABLE contact_merge_moves;
DROP TABLE contact_merges;
