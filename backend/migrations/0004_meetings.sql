-- Parents' meetings (家长会): meetings per class, the links that let families in without an
-- account, family sessions, answers with a waitlist, concerns, attendance, feedback and the
-- outbox of texts for the school's SMS or WeChat tool.

CREATE TABLE meetings (
    id {{ID}},
    class_id BIGINT NOT NULL REFERENCES classes(id),
    campaign_id BIGINT REFERENCES campaigns(id) ON DELETE SET NULL,
    theme TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    place TEXT,
    online_url TEXT,
    per_family BIGINT NOT NULL,
    capacity BIGINT NOT NULL,
    -- People holding a seat: changed only by conditional UPDATEs, never read-then-written.
    seats_taken BIGINT NOT NULL DEFAULT 0,
    -- Hands out the order of arrival of answers; bumping it also locks the row (PostgreSQL).
    queue_counter BIGINT NOT NULL DEFAULT 0,
    signup_deadline BIGINT NOT NULL,
    held_at BIGINT,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX meetings_class ON meetings (class_id, starts_at);

-- A family's personal link (guardian_id set) or the class link (guardian_id NULL). Only a
-- SHA-256 of the token is stored; the token itself is an HMAC of `nonce` under the server's
-- secret, so staff can see a link again without the database holding it.
CREATE TABLE meeting_links (
    id {{ID}},
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    guardian_id BIGINT REFERENCES guardians(id) ON DELETE CASCADE,
    nonce TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX meeting_links_meeting ON meeting_links (meeting_id, guardian_id);

-- Parents have no account: a link is exchanged for one of these. Ends with its link.
CREATE TABLE family_sessions (
    token_hash TEXT PRIMARY KEY,
    link_id BIGINT NOT NULL REFERENCES meeting_links(id) ON DELETE CASCADE,
    guardian_id BIGINT NOT NULL REFERENCES guardians(id) ON DELETE CASCADE,
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX family_sessions_link ON family_sessions (link_id);

-- One answer per family (student) and meeting, whichever guardian gave it.
CREATE TABLE meeting_answers (
    id {{ID}},
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    guardian_id BIGINT NOT NULL REFERENCES guardians(id) ON DELETE CASCADE,
    answer TEXT NOT NULL,
    people BIGINT NOT NULL,
    -- Seats this answer holds now: `people` when confirmed in person, else 0.
    seats BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    queue_seq BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (meeting_id, student_id)
);
CREATE INDEX meeting_answers_queue ON meeting_answers (meeting_id, status, queue_seq);

CREATE TABLE meeting_concerns (
    id {{ID}},
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    guardian_id BIGINT NOT NULL REFERENCES guardians(id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX meeting_concerns_meeting ON meeting_concerns (meeting_id, topic);

CREATE TABLE meeting_attendance (
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    present BIGINT NOT NULL,
    marked_by BIGINT REFERENCES users(id),
    marked_at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, student_id)
);

CREATE TABLE meeting_feedback (
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    guardian_id BIGINT NOT NULL REFERENCES guardians(id) ON DELETE CASCADE,
    rating BIGINT NOT NULL,
    suggestions TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    PRIMARY KEY (meeting_id, student_id)
);

-- Texts to send. The text is written when it is shown or exported (an invitation carries the
-- family's link, which is never stored).
CREATE TABLE meeting_messages (
    id {{ID}},
    meeting_id BIGINT NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    guardian_id BIGINT NOT NULL REFERENCES guardians(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    link_id BIGINT REFERENCES meeting_links(id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX meeting_messages_meeting ON meeting_messages (meeting_id, created_at);
