-- Privacy (issue 19). The school's details that the parents' privacy notice names (the handler
-- and whom to ask), edited by admins: one row per setting, none until an admin saves them (a
-- seeded row would make a fresh database "not empty" to the restore of a backup).
CREATE TABLE school_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_by BIGINT REFERENCES users(id) ON DELETE SET NULL,
    updated_at BIGINT NOT NULL
);

-- A guardian's separate consent (PIPL art. 29) to send concerns on sensitive topics (mental
-- health, family finances): when, under which version of the notice, and when withdrawn. A
-- consent given again after a withdrawal is a new row, so the record of the earlier one stays.
CREATE TABLE sensitive_consents (
    id {{ID}},
    guardian_id BIGINT NOT NULL REFERENCES guardians(id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    notice_version BIGINT NOT NULL,
    given_at BIGINT NOT NULL,
    withdrawn_at BIGINT
);
CREATE INDEX sensitive_consents_guardian ON sensitive_consents (guardian_id, withdrawn_at);

-- The consent a sensitive concern was sent under: once it is withdrawn, staff no longer see the
-- concern. Concerns sent before consents existed have none and stay as they were; a consent removed with its
-- guardian takes its concerns along (they cascade with the guardian too).
ALTER TABLE meeting_concerns ADD COLUMN consent_id BIGINT REFERENCES sensitive_consents(id) ON DELETE CASCADE;
