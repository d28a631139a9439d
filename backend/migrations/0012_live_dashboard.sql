-- The live dashboard (issue 15): each tally row counts its changes, so that a cheap sum over the
-- rows a dashboard shows tells whether anything changed since it last looked
-- (backend/src/dashboard/live.rs). Existing rows start at 0; their count and sum are the first tag.
ALTER TABLE dash_classes ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dash_class_sizes ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
