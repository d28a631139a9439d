-- The dashboard's running tallies (issue 8): the campaign summary over any scope sums a few
-- thousand small rows instead of reading every visit. Every write that changes a figure updates
-- them in its own transaction (backend/src/api/dashboard/tally.rs); the migrator fills them from
-- the existing rows right after this file, with the same code.
-- `unit` is a class id, or 0 for the whole school (so the school's figures read one row a key).

CREATE TABLE dash_classes (
    campaign_id BIGINT NOT NULL,
    class_id BIGINT NOT NULL,
    reached BIGINT NOT NULL DEFAULT 0,
    in_person BIGINT NOT NULL DEFAULT 0,
    cloud_only BIGINT NOT NULL DEFAULT 0,
    visits BIGINT NOT NULL DEFAULT 0,
    a_financial_aid BIGINT NOT NULL DEFAULT 0,
    a_academic BIGINT NOT NULL DEFAULT 0,
    a_career BIGINT NOT NULL DEFAULT 0,
    a_party_cadre BIGINT NOT NULL DEFAULT 0,
    a_mental_health BIGINT NOT NULL DEFAULT 0,
    a_employment BIGINT NOT NULL DEFAULT 0,
    a_school_promotion BIGINT NOT NULL DEFAULT 0,
    a_overall_quality BIGINT NOT NULL DEFAULT 0,
    follow_ups_open BIGINT NOT NULL DEFAULT 0,
    follow_ups_done BIGINT NOT NULL DEFAULT 0,
    held BIGINT NOT NULL DEFAULT 0,
    signups BIGINT NOT NULL DEFAULT 0,
    attendance BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, class_id)
);

CREATE TABLE dash_class_sizes (
    class_id BIGINT PRIMARY KEY,
    students BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE dash_days (
    campaign_id BIGINT NOT NULL,
    unit BIGINT NOT NULL,
    visited_on TEXT NOT NULL,
    mode TEXT NOT NULL,
    visits BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, unit, visited_on, mode)
);

-- Reached students per city and district; `has_city` = 0 when the city is unknown (NULL),
-- which the regions figure leaves out.
CREATE TABLE dash_areas (
    campaign_id BIGINT NOT NULL,
    unit BIGINT NOT NULL,
    city TEXT NOT NULL,
    district TEXT NOT NULL,
    has_city BIGINT NOT NULL,
    students BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, unit, city, district, has_city)
);

-- Students visited in person per household (see dashboard::HOUSEHOLD_KEY).
CREATE TABLE dash_households (
    campaign_id BIGINT NOT NULL,
    unit BIGINT NOT NULL,
    household TEXT NOT NULL,
    students BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, unit, household)
);
