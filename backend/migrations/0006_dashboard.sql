-- The campaign dashboard (issue 6): its queries start from one campaign's visits, meetings and
-- follow-ups. These indexes let the date and mode filters and the per-campaign meeting figures
-- read only the campaign's rows.

CREATE INDEX visits_campaign_day ON visits (campaign_id, visited_on, mode);
CREATE INDEX visits_campaign_mode ON visits (campaign_id, mode, student_id);
CREATE INDEX meetings_campaign ON meetings (campaign_id, class_id, held_at);
CREATE INDEX guardians_phone ON guardians (student_id, phone);
