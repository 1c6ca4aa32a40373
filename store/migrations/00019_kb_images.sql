-- Pictures that knowledge-base articles show (![…](/help/img/<id>)). The
-- bytes live in the record like message attachments, so every node serves
-- them; only real JPEG/PNG/GIF/WebP are accepted (package kb checks).

-- +goose Up
CREATE TABLE kb_images (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL DEFAULT '',
    mime       TEXT NOT NULL,
    size       BIGINT NOT NULL,
    data       BYTEA NOT NULL,
    created_by TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);

-- +goose Down
DROP TABLE kb_images;
