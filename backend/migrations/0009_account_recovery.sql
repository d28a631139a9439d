-- Accounts a school can run (issue 13, item 8).

-- A one-time link is either a new account's activation or an admin's password reset: the same
-- table, the same single use, a newer link of either kind replacing the older.
ALTER TABLE activation_tokens ADD COLUMN purpose TEXT NOT NULL DEFAULT 'activate';

-- Recovery codes for two-step verification, ten per user, each usable once. Only an HMAC of each
-- code under the server's secret key is stored (see `auth::recovery` for why a fast hash).
CREATE TABLE recovery_codes (
    id {{ID}},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id, code_hash);

-- `user_totp.secret` from now on holds the secret sealed with the server's key (`sealed1:…`);
-- secrets stored in the clear before are sealed once at start (`second_factor::seal_stored`).
