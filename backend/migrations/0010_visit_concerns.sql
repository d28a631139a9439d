-- Closing the loop (issue 15): a concern a family raised before a parents' meeting is addressed
-- by a home visit of the meeting's campaign. `visit_id` is that visit (NULL while the concern is
-- open), `reply` the counselor's short answer the family reads on their page (never the visit's
-- notes), `addressed_at` when the visit was stored. A concern is addressed once: a later visit,
-- or the same visit synced again, leaves it as it is.
ALTER TABLE meeting_concerns ADD COLUMN visit_id BIGINT REFERENCES visits(id) ON DELETE SET NULL;
ALTER TABLE meeting_concerns ADD COLUMN reply TEXT;
ALTER TABLE meeting_concerns ADD COLUMN addressed_at BIGINT;
CREATE INDEX meeting_concerns_student ON meeting_concerns (student_id, visit_id);
