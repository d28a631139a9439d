-- Messages that arrive (issue 16, item 3). The kinds of message an admin switched off for a
-- campaign (`shared::messages::MessageSwitch`: invitation, reminder, promotion,
-- sensitive_concern, referral, overdue): one row per campaign and kind switched off, none when
-- every kind is on — so campaigns made before this migration send everything, as before.
CREATE TABLE campaign_messages_off (
    campaign_id BIGINT NOT NULL REFERENCES campaigns(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    PRIMARY KEY (campaign_id, kind)
);

-- The weekly notice of overdue follow-ups: one row per staff member and week (ISO week of
-- Shanghai time, e.g. 2026-W49), inserted by the one instance that queues it (the primary key
-- decides between instances).
CREATE TABLE overdue_notice_weeks (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    week TEXT NOT NULL,
    queued_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, week)
);
