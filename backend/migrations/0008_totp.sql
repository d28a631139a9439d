-- A second factor for staff sign-in: TOTP (RFC 6238). One row per user who has started to turn
-- it on; `enabled` becomes 1 once a code from the authenticator app confirmed the secret.
-- `last_step` is the 30-second step of the last code accepted, so that no code works twice.
CREATE TABLE user_totp (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    -- The shared secret, base32 (160 random bits).
    secret TEXT NOT NULL,
    enabled BIGINT NOT NULL DEFAULT 0,
    last_step BIGINT,
    created_at BIGINT NOT NULL
);
