-- Retention (issue 19 item 3). How long a campaign's personal data is kept after it closes, in
-- days per kind; NULL means the default written in `shared::retention::DEFAULTS` (and in
-- docs/privacy.md). The clock starts at the later of the campaign's end date and the moment it
-- was closed (`closed_at`, set by the status change; campaigns closed before this migration have
-- none and count from their end date).
ALTER TABLE campaigns ADD COLUMN closed_at BIGINT;
ALTER TABLE campaigns ADD COLUMN keep_visit_notes_days BIGINT;
ALTER TABLE campaigns ADD COLUMN keep_sensitive_notes_days BIGINT;
ALTER TABLE campaigns ADD COLUMN keep_concerns_days BIGINT;
ALTER TABLE campaigns ADD COLUMN keep_photos_days BIGINT;
ALTER TABLE campaigns ADD COLUMN keep_family_links_days BIGINT;

-- The daily retention run, one row per day (Beijing time, `YYYY-MM-DD`): the instance whose
-- insert makes the row runs it, so several instances on one database run it once a day.
CREATE TABLE retention_runs (
    day TEXT PRIMARY KEY,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    summary TEXT NOT NULL DEFAULT ''
);
