-- Delivery of the outbox by the background worker (issue 16): each message's status, attempts,
-- the last failure's reason and when it is tried again; `lease_until` is the claim of the
-- instance sending it now (another may take it over once the lease has passed).
ALTER TABLE meeting_messages ADD COLUMN status TEXT NOT NULL DEFAULT 'queued';
ALTER TABLE meeting_messages ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
ALTER TABLE meeting_messages ADD COLUMN last_attempt_at BIGINT;
ALTER TABLE meeting_messages ADD COLUMN next_attempt_at BIGINT NOT NULL DEFAULT 0;
ALTER TABLE meeting_messages ADD COLUMN last_error TEXT;
ALTER TABLE meeting_messages ADD COLUMN lease_until BIGINT;
-- Messages marked sent by hand before there was a worker stay so.
UPDATE meeting_messages SET status = 'marked' WHERE sent_at IS NOT NULL;
CREATE INDEX meeting_messages_due ON meeting_messages (status, next_attempt_at);

-- Notices to staff (by e-mail to `users.email`, or to the WeCom group): their text is stored,
-- as it carries no family link.
ALTER TABLE users ADD COLUMN email TEXT;
CREATE TABLE staff_notices (
    id {{ID}},
    channel TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    meeting_id BIGINT REFERENCES meetings(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    status TEXT NOT NULL DEFAULT 'queued',
    attempts BIGINT NOT NULL DEFAULT 0,
    last_attempt_at BIGINT,
    next_attempt_at BIGINT NOT NULL DEFAULT 0,
    last_error TEXT,
    lease_until BIGINT
);
CREATE INDEX staff_notices_due ON staff_notices (status, next_attempt_at);
CREATE INDEX staff_notices_meeting ON staff_notices (meeting_id);

-- A guardian who asked for no more messages (replied TD or opted out on their page).
ALTER TABLE guardians ADD COLUMN opted_out_at BIGINT;

-- The automatic day-before reminders: one row per meeting whose reminders were queued, inserted
-- by the one instance that does it (the primary key decides between instances).
CREATE TABLE meeting_reminder_runs (
    meeting_id BIGINT PRIMARY KEY REFERENCES meetings(id) ON DELETE CASCADE,
    queued_at BIGINT NOT NULL
);
