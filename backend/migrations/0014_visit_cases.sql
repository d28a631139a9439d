-- Typical cases and photos (issue 17, item 8). A visit may be flagged as a typical case (典型案例)
-- with a short story for the year-end report, and carry up to three photos, shrunk on the tablet
-- before upload. Both hang off the visit in tables of their own rather than columns of `visits`:
-- `visits` is a counted table (its writes move the dashboard's tallies) and its record is what the
-- offline sync compares to recognise a visit sent again, neither of which a photo should touch.

-- At most one case per visit; flagging again replaces the story.
CREATE TABLE visit_cases (
    visit_id BIGINT PRIMARY KEY REFERENCES visits(id) ON DELETE CASCADE,
    story TEXT NOT NULL,
    flagged_by BIGINT NOT NULL REFERENCES users(id),
    flagged_at BIGINT NOT NULL
);

-- A photo is named by the id the tablet made for it (`client_id`), so an upload sent again (the
-- offline queue after a lost answer) stores it once. `slot` 1..3 with its unique key holds the
-- limit of three photos a visit even when two uploads race. `content` is BLOB/BYTEA: backups carry
-- it like any other column.
CREATE TABLE visit_photos (
    id {{ID}},
    visit_id BIGINT NOT NULL REFERENCES visits(id) ON DELETE CASCADE,
    client_id TEXT NOT NULL UNIQUE,
    slot BIGINT NOT NULL CHECK (slot BETWEEN 1 AND 3),
    content_type TEXT NOT NULL,
    content {{BLOB}} NOT NULL,
    bytes BIGINT NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users(id),
    uploaded_at BIGINT NOT NULL,
    UNIQUE (visit_id, slot)
);
