-- The knowledge base (package kb). kb_articles holds each article's working
-- copy; kb_versions every published version, kept for good, and the text
-- readers see is the version numbered kb_articles.version. kb_state holds
-- the generation, advanced by every change of published text, which a
-- node's search index stores to know it is current. Tags are one ",a,b,"
-- text like tickets.tags.

-- +goose Up
CREATE TABLE kb_categories (
    id         TEXT PRIMARY KEY,
    name_zh_cn TEXT NOT NULL,
    name_zh_tw TEXT NOT NULL DEFAULT '',
    name_en    TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE kb_articles (
    id           TEXT PRIMARY KEY,
    group_id     TEXT NOT NULL,
    locale       TEXT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    html         TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    category     TEXT NOT NULL DEFAULT '',
    tags         TEXT NOT NULL DEFAULT ',',
    visibility   TEXT NOT NULL,
    status       TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 0,
    author_id    TEXT NOT NULL DEFAULT '',
    review_note  TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    updated_at   BIGINT NOT NULL,
    published_at BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX kb_articles_group_locale ON kb_articles (group_id, locale);
CREATE INDEX kb_articles_status ON kb_articles (status, updated_at);

CREATE TABLE kb_versions (
    article_id   TEXT NOT NULL REFERENCES kb_articles (id),
    version      INTEGER NOT NULL,
    locale       TEXT NOT NULL,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    html         TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    category     TEXT NOT NULL DEFAULT '',
    tags         TEXT NOT NULL DEFAULT ',',
    visibility   TEXT NOT NULL,
    author_id    TEXT NOT NULL DEFAULT '',
    approved_by  TEXT NOT NULL DEFAULT '',
    published_at BIGINT NOT NULL,
    PRIMARY KEY (article_id, version)
);

CREATE TABLE kb_state (
    id         INTEGER PRIMARY KEY,
    generation BIGINT NOT NULL
);
INSERT INTO kb_state (id, generation) VALUES (1, 0);

CREATE TABLE kb_synonyms (
    position INTEGER PRIMARY KEY,
    terms    TEXT NOT NULL
);
INSERT INTO kb_synonyms (position, terms) VALUES
    (1, '押金~保证金~按金~订金'),
    (2, '逾期~拖欠~欠款~过期未还~晚还'),
    (3, '分期~还款计划~分几期'),
    (4, '人工~客服~真人~转人工'),
    (5, '退还~退回~返还~退款~refund'),
    (6, '提前还款~提前结清~一次性还清'),
    (7, '展期~延期~延期还款~缓还'),
    (8, '账单~对账单~账目~bill~statement'),
    (9, '发票~开票~invoice'),
    (10, '手机号~手机号码~电话号码~phone number'),
    (11, '还机~归还设备~退租~return device'),
    (12, '损坏~坏了~摔坏~damage~broken'),
    (13, '投诉~举报~complaint'),
    (14, '诈骗~骗子~冒充~scam~fraud'),
    (15, '还款~还钱~repay~repayment'),
    (16, '罚息~滞纳金~违约金~late fee'),
    (17, '丢失~丢了~弄丢~被偷~被盗~lost~stolen'),
    (18, '还不上~还款困难~没钱还~困难'),
    (19, '续租~延长租期~renew'),
    (20, '注销~销户~删除账号');

CREATE TABLE kb_feedback (
    id         TEXT PRIMARY KEY,
    article_id TEXT NOT NULL,
    locale     TEXT NOT NULL DEFAULT '',
    helpful    INTEGER NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL
);
CREATE INDEX kb_feedback_article ON kb_feedback (article_id, created_at);
CREATE INDEX kb_feedback_time ON kb_feedback (created_at);

CREATE TABLE kb_queries (
    id         TEXT PRIMARY KEY,
    text       TEXT NOT NULL,
    locale     TEXT NOT NULL DEFAULT '',
    audience   TEXT NOT NULL,
    hits       INTEGER NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX kb_queries_time ON kb_queries (created_at);

-- +goose Down
DROP TABLE kb_queries;
DROP TABLE kb_feedback;
DROP TABLE kb_synonyms;
DROP TABLE kb_state;
DROP TABLE kb_versions;
DROP TABLE kb_articles;
DROP TABLE kb_categories;
