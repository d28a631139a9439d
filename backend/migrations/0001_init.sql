-- The organisation, staff accounts, sessions and campaigns.
-- {{ID}} and {{BLOB}} are replaced per database by src/db/migrate.rs.

CREATE TABLE colleges (
    id {{ID}},
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id {{ID}},
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    college_id BIGINT REFERENCES colleges(id),
    -- NULL until the account is activated: it cannot sign in with any password.
    password_hash TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    lang TEXT NOT NULL DEFAULT 'zh',
    totp_secret TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX users_display_name ON users (display_name);

CREATE TABLE classes (
    id {{ID}},
    college_id BIGINT NOT NULL REFERENCES colleges(id),
    name TEXT NOT NULL,
    major TEXT,
    grade BIGINT,
    counselor_id BIGINT REFERENCES users(id),
    advisor_id BIGINT REFERENCES users(id),
    UNIQUE (college_id, name)
);
CREATE INDEX classes_counselor ON classes (counselor_id);
CREATE INDEX classes_advisor ON classes (advisor_id);

CREATE TABLE students (
    id {{ID}},
    student_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    gender TEXT,
    class_id BIGINT NOT NULL REFERENCES classes(id),
    major TEXT,
    grade BIGINT,
    province TEXT,
    city TEXT,
    district TEXT,
    address TEXT,
    hardship TEXT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX students_class ON students (class_id, name);
CREATE INDEX students_name ON students (name);
CREATE INDEX students_city ON students (city, district);

CREATE TABLE guardians (
    id {{ID}},
    student_id BIGINT NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    position BIGINT NOT NULL DEFAULT 0,
    name TEXT NOT NULL,
    relation TEXT,
    phone TEXT
);
CREATE INDEX guardians_student ON guardians (student_id, position);

CREATE TABLE campaigns (
    id {{ID}},
    name TEXT NOT NULL UNIQUE,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft',
    target_students BIGINT,
    target_in_person_pct BIGINT,
    created_at BIGINT NOT NULL
);

CREATE TABLE teams (
    id {{ID}},
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    college_id BIGINT NOT NULL REFERENCES colleges(id),
    name TEXT NOT NULL,
    leader_id BIGINT REFERENCES users(id),
    UNIQUE (campaign_id, college_id, name)
);

CREATE TABLE team_members (
    team_id BIGINT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (team_id, user_id)
);

-- Staff and family sessions. Only a SHA-256 of the cookie's token is stored, so a copy of the
-- database does not hand out sessions.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Failed sign-ins (and later other guesses), counted per key in a sliding window. Kept in the
-- database so that every instance behind a load balancer sees the same counts.
CREATE TABLE attempts (
    id {{ID}},
    key TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX attempts_key ON attempts (key, at);

-- Who read or exported which sensitive fields of which student.
CREATE TABLE audit_log (
    id {{ID}},
    at BIGINT NOT NULL,
    user_id BIGINT,
    action TEXT NOT NULL,
    student_id BIGINT,
    fields TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
