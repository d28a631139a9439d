-- The campaign dashboard (issue 6): its queries start from one campaign's visits, meetings and
-- follow-ups. The covering index on visits answers the per-student grouping (in student order,
-- without sorting), the visits per day and the aspects without reading the table.

CREATE INDEX visits_dashboard ON visits (campaign_id, student_id, mode, visited_on, aspects);
CREATE INDEX meetings_campaign ON meetings (campaign_id, class_id, held_at);
CREATE INDEX guardians_phone ON guardians (student_id, phone);
