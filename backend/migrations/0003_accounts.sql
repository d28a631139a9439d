-- Campaigns, staff accounts and teams (issue 3).

-- When an admin switched the account off (NULL: not disabled). `active` says whether it can
-- sign in at all, which a new account waiting for activation cannot either.
ALTER TABLE users ADD COLUMN disabled_at BIGINT;

-- One-time activation links for new accounts. Only a SHA-256 of the link's 256-bit token is
-- stored; a link works once, for 7 days, and a newer one replaces it.
CREATE TABLE activation_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX activation_tokens_user ON activation_tokens (user_id);

CREATE INDEX teams_campaign ON teams (campaign_id, college_id);
CREATE INDEX team_members_user ON team_members (user_id);
CREATE INDEX users_college ON users (college_id, role);
