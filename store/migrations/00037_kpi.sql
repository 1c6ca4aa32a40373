-- KPI roll-ups (docs/supervisors.md). kpi_daily holds one row per day (in
-- the desk's zone, as yyyymmdd) and (agent, team, channel, category), with
-- counters, sums in milliseconds, response and resolution time histograms in
-- fixed buckets (desk/kpi_metrics.go names them: *_h0 is the fastest) and
-- tickets created per hour of the day. kpi_tickets keeps what each ticket
-- contributes, so a re-sync applies only the difference: replays and
-- re-rolls never count twice.

-- +goose Up
CREATE TABLE kpi_daily (
    day      INTEGER NOT NULL,
    agent_id TEXT NOT NULL,
    team_id  TEXT NOT NULL,
    channel  TEXT NOT NULL,
    category TEXT NOT NULL,
    created BIGINT NOT NULL DEFAULT 0,
    resolved BIGINT NOT NULL DEFAULT 0,
    fr_n BIGINT NOT NULL DEFAULT 0,
    fr_sum BIGINT NOT NULL DEFAULT 0,
    nr_n BIGINT NOT NULL DEFAULT 0,
    nr_sum BIGINT NOT NULL DEFAULT 0,
    res_sum BIGINT NOT NULL DEFAULT 0,
    fr_sla_n BIGINT NOT NULL DEFAULT 0,
    fr_sla_met BIGINT NOT NULL DEFAULT 0,
    res_sla_n BIGINT NOT NULL DEFAULT 0,
    res_sla_met BIGINT NOT NULL DEFAULT 0,
    fcr BIGINT NOT NULL DEFAULT 0,
    transfers BIGINT NOT NULL DEFAULT 0,
    reopens BIGINT NOT NULL DEFAULT 0,
    fr_h0 BIGINT NOT NULL DEFAULT 0,
    fr_h1 BIGINT NOT NULL DEFAULT 0,
    fr_h2 BIGINT NOT NULL DEFAULT 0,
    fr_h3 BIGINT NOT NULL DEFAULT 0,
    fr_h4 BIGINT NOT NULL DEFAULT 0,
    fr_h5 BIGINT NOT NULL DEFAULT 0,
    fr_h6 BIGINT NOT NULL DEFAULT 0,
    fr_h7 BIGINT NOT NULL DEFAULT 0,
    fr_h8 BIGINT NOT NULL DEFAULT 0,
    fr_h9 BIGINT NOT NULL DEFAULT 0,
    fr_h10 BIGINT NOT NULL DEFAULT 0,
    fr_h11 BIGINT NOT NULL DEFAULT 0,
    fr_h12 BIGINT NOT NULL DEFAULT 0,
    fr_h13 BIGINT NOT NULL DEFAULT 0,
    nr_h0 BIGINT NOT NULL DEFAULT 0,
    nr_h1 BIGINT NOT NULL DEFAULT 0,
    nr_h2 BIGINT NOT NULL DEFAULT 0,
    nr_h3 BIGINT NOT NULL DEFAULT 0,
    nr_h4 BIGINT NOT NULL DEFAULT 0,
    nr_h5 BIGINT NOT NULL DEFAULT 0,
    nr_h6 BIGINT NOT NULL DEFAULT 0,
    nr_h7 BIGINT NOT NULL DEFAULT 0,
    nr_h8 BIGINT NOT NULL DEFAULT 0,
    nr_h9 BIGINT NOT NULL DEFAULT 0,
    nr_h10 BIGINT NOT NULL DEFAULT 0,
    nr_h11 BIGINT NOT NULL DEFAULT 0,
    nr_h12 BIGINT NOT NULL DEFAULT 0,
    nr_h13 BIGINT NOT NULL DEFAULT 0,
    res_h0 BIGINT NOT NULL DEFAULT 0,
    res_h1 BIGINT NOT NULL DEFAULT 0,
    res_h2 BIGINT NOT NULL DEFAULT 0,
    res_h3 BIGINT NOT NULL DEFAULT 0,
    res_h4 BIGINT NOT NULL DEFAULT 0,
    res_h5 BIGINT NOT NULL DEFAULT 0,
    res_h6 BIGINT NOT NULL DEFAULT 0,
    res_h7 BIGINT NOT NULL DEFAULT 0,
    res_h8 BIGINT NOT NULL DEFAULT 0,
    res_h9 BIGINT NOT NULL DEFAULT 0,
    res_h10 BIGINT NOT NULL DEFAULT 0,
    res_h11 BIGINT NOT NULL DEFAULT 0,
    res_h12 BIGINT NOT NULL DEFAULT 0,
    res_h13 BIGINT NOT NULL DEFAULT 0,
    hr_0 BIGINT NOT NULL DEFAULT 0,
    hr_1 BIGINT NOT NULL DEFAULT 0,
    hr_2 BIGINT NOT NULL DEFAULT 0,
    hr_3 BIGINT NOT NULL DEFAULT 0,
    hr_4 BIGINT NOT NULL DEFAULT 0,
    hr_5 BIGINT NOT NULL DEFAULT 0,
    hr_6 BIGINT NOT NULL DEFAULT 0,
    hr_7 BIGINT NOT NULL DEFAULT 0,
    hr_8 BIGINT NOT NULL DEFAULT 0,
    hr_9 BIGINT NOT NULL DEFAULT 0,
    hr_10 BIGINT NOT NULL DEFAULT 0,
    hr_11 BIGINT NOT NULL DEFAULT 0,
    hr_12 BIGINT NOT NULL DEFAULT 0,
    hr_13 BIGINT NOT NULL DEFAULT 0,
    hr_14 BIGINT NOT NULL DEFAULT 0,
    hr_15 BIGINT NOT NULL DEFAULT 0,
    hr_16 BIGINT NOT NULL DEFAULT 0,
    hr_17 BIGINT NOT NULL DEFAULT 0,
    hr_18 BIGINT NOT NULL DEFAULT 0,
    hr_19 BIGINT NOT NULL DEFAULT 0,
    hr_20 BIGINT NOT NULL DEFAULT 0,
    hr_21 BIGINT NOT NULL DEFAULT 0,
    hr_22 BIGINT NOT NULL DEFAULT 0,
    hr_23 BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (day, agent_id, team_id, channel, category)
);

CREATE TABLE kpi_tickets (
    ticket_id         TEXT PRIMARY KEY,
    contrib           TEXT NOT NULL DEFAULT '',
    ticket_updated_at BIGINT NOT NULL DEFAULT 0,
    synced_at         BIGINT NOT NULL DEFAULT 0
);

-- The heal sweep re-syncs tickets changed since its last pass.
CREATE INDEX tickets_updated ON tickets (updated_at);
-- The backlog (open and pending now) is counted live.
CREATE INDEX tickets_backlog ON tickets (status, team_id, channel);

-- One weekly summary per ISO week, whichever node sends it.
CREATE TABLE kpi_weekly_mail (
    week       TEXT PRIMARY KEY,
    claimed_at BIGINT NOT NULL,
    sent_at    BIGINT NOT NULL DEFAULT 0
);

-- +goose Down
DROP TABLE kpi_weekly_mail;
DROP INDEX tickets_backlog;
DROP INDEX tickets_updated;
DROP TABLE kpi_tickets;
DROP TABLE kpi_daily;
