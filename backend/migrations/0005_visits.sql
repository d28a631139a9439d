-- Home visits: plans (grouped into trips), the visit log with every correction kept, and the
-- follow-up actions agreed on a visit.

CREATE TABLE visit_trips (
    id {{ID}},
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    city TEXT,
    district TEXT,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);

CREATE TABLE visit_plans (
    id {{ID}},
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    mode TEXT NOT NULL,
    planned_on TEXT NOT NULL,
    planned_time TEXT,
    meeting_link TEXT,
    trip_id BIGINT REFERENCES visit_trips(id) ON DELETE SET NULL,
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX visit_plans_campaign ON visit_plans (campaign_id, planned_on);
CREATE INDEX visit_plans_student ON visit_plans (student_id);

CREATE TABLE visit_plan_members (
    plan_id BIGINT NOT NULL REFERENCES visit_plans(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (plan_id, user_id)
);

-- `client_id` is made on the device once per visit: sending the visit again never stores it
-- twice. `record` is the JSON of shared::visits::VisitRecord (the part that can be corrected);
-- the columns beside it repeat what lists and reports filter on.
CREATE TABLE visits (
    id {{ID}},
    client_id TEXT NOT NULL UNIQUE,
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    student_id BIGINT NOT NULL REFERENCES students(id) ON DELETE CASCADE,
    plan_id BIGINT REFERENCES visit_plans(id) ON DELETE SET NULL,
    author_id BIGINT NOT NULL REFERENCES users(id),
    visited_on TEXT NOT NULL,
    mode TEXT NOT NULL,
    aspects TEXT NOT NULL DEFAULT '',
    grant_fen BIGINT,
    record TEXT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX visits_campaign ON visits (campaign_id, student_id);
CREATE INDEX visits_student ON visits (student_id);
CREATE INDEX visits_author ON visits (author_id);

CREATE TABLE visit_members (
    visit_id BIGINT NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (visit_id, user_id)
);
CREATE INDEX visit_members_user ON visit_members (user_id);

-- Every version of a visit: revision 1 is the record as logged (before is NULL).
CREATE TABLE visit_revisions (
    id {{ID}},
    visit_id BIGINT NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
    revision BIGINT NOT NULL,
    changed_by BIGINT NOT NULL REFERENCES users(id),
    changed_at BIGINT NOT NULL,
    before_json TEXT,
    after_json TEXT NOT NULL,
    UNIQUE (visit_id, revision)
);

CREATE TABLE follow_ups (
    id {{ID}},
    visit_id BIGINT NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
    what TEXT NOT NULL,
    owner_id BIGINT NOT NULL REFERENCES users(id),
    due_on TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    done_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX follow_ups_owner ON follow_ups (owner_id, status, due_on);
CREATE INDEX follow_ups_visit ON follow_ups (visit_id);
