-- A canned reply may stand for a knowledge-base article: agents then insert
-- the article's published text, so the canned reply and the article stay
-- one answer; text remains the fallback while the article is not
-- published. '' (the existing rows) references no article.

-- +goose Up
ALTER TABLE canned_replies ADD COLUMN article_id TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE canned_replies DROP COLUMN article_id;
