-- Aid and priority families (issue 17, item 7).
-- The dashboard's per-class tallies also sum the aid the campaign's visits delivered: hardship
-- grants (慰问金, `grant_fen`, and how many visits gave one) and blessing packages (visits whose
-- `gifts` is not empty). The migrator refills the tallies after this file (db::migrate::TALLIES).
ALTER TABLE dash_classes ADD COLUMN grant_fen BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dash_classes ADD COLUMN grants BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dash_classes ADD COLUMN packages BIGINT NOT NULL DEFAULT 0;

-- A campaign's rule "every student at hardship level 特别困难 is visited in person" (1 = on).
ALTER TABLE campaigns ADD COLUMN hardship_in_person BIGINT NOT NULL DEFAULT 0;

-- The rule's list starts from the few students at that level, not from the whole school.
CREATE INDEX students_hardship ON students (hardship, class_id);
