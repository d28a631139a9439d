-- Retention (issue 19 item 3). How long a campaign's personal data is kept after it closes, in
-- days per kind; NULL means the default written in `shared::retention::DEFAULTS` (and in
-- docs/privacy.md). The clock starts at the later of the campaign's end date and the moment it
-- was closed (`closed_at`, set by the status change). Campaigns closed before this migration count
-- as closed now: their data is kept the default periods from the upgrade on, not removed by the
-- first night's run before an admin has seen the periods.
ALTER TABLE campaigns ADD COLUMN closed_at BIGINT;
ALTER TABLE campaigns ADD COLUMN keep_visit_notes_days BIGINT;
ALTER TABLE campaigns ADD COLUMN keep_sensitive_notes_days BIGINT;
ALTER TABLE campaigns ADD COLUMN keep_concerns_days BIGINT;
ALTER TABLE campaigns ADD COLUMN keep_photos_days BIGINT;
ALTER TABLE campaigns ADD COLUMN keep_family_links_days BIGINT;
UPDATE campaigns SET closed_at = {{NOW}} WHERE status = 'closed';

-- The daily retention run, one row per day (Beijing time, `YYYY-MM-DD`): the instance whose
-- insert makes the row runs it, so several instances on one database run it once a day.
CREATE TABLE retention_runs (
    day TEXT PRIMARY KEY,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    summary TEXT NOT NULL DEFAULT ''
);
