-- The verification policy (which fact needs which level) saved on the
-- desk. One row; once it exists it wins over the configuration file.

-- +goose Up
CREATE TABLE fact_policy (
    id         INTEGER PRIMARY KEY,
    policy     TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL DEFAULT ''
);

-- +goose Down
DROP TABLE fact_policy;
