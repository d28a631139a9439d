//! Codes for accounts with two-step verification, computed with the back end's own TOTP
//! functions. Admins must use TOTP, so every admin the harness creates has it on with
//! `TOTP_SECRET`, and signing in (`TestApp::login`, `Browser::sign_in`) adds a code by itself.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use backend::auth::totp::{step_of, Secret, SKEW, STEP_SECS};
use backend::secret::Secret as Key;
use backend::Db;

use crate::TestApp;

/// The TOTP secret of every admin the harness creates.
pub const TOTP_SECRET: &str = "JIAFANGTESTADMINTOTPSECRETTESTAA";

/// The running test servers' databases and keys (which seal the secrets) by address, so that a
/// browser test that only knows the address can still find a code for its sign-in.
fn servers() -> &'static Mutex<HashMap<String, (Db, Key)>> {
    static SERVERS: OnceLock<Mutex<HashMap<String, (Db, Key)>>> = OnceLock::new();
    SERVERS.get_or_init(Default::default)
}

pub(crate) fn register(address: &str, db: &Db, key: &Key) {
    servers().lock().unwrap_or_else(|e| e.into_inner()).insert(address.to_string(), (db.clone(), key.clone()));
}

pub(crate) fn unregister(address: &str) {
    servers().lock().unwrap_or_else(|e| e.into_inner()).remove(address);
}

/// A code the server at `address` accepts now for `username`; `None` without TOTP on.
pub async fn code_at(address: &str, username: &str) -> Option<String> {
    let (db, key) = servers().lock().unwrap_or_else(|e| e.into_inner()).get(address).cloned()?;
    next_code(&db, &key, username).await
}

/// The earliest code not used yet that the server accepts now, waiting for the next step when
/// the few the clock allows have all been used (the server takes each code once).
async fn next_code(db: &Db, key: &Key, username: &str) -> Option<String> {
    let row: Option<(i64, String, Option<i64>)> = sqlx::query_as(
        "SELECT t.user_id, t.secret, t.last_step FROM user_totp t JOIN users u ON u.id = t.user_id \
         WHERE lower(u.username) = $1 AND t.enabled = 1",
    )
    .bind(username.trim().to_lowercase())
    .fetch_optional(&db.read)
    .await
    .expect("reading a TOTP secret");
    let (user_id, secret, last_step) = row?;
    let secret =
        backend::auth::second_factor::open(key, user_id.into(), &secret).expect("a secret sealed with the key");
    loop {
        let now = backend::db::now();
        let step = step_of(now);
        let left = STEP_SECS - now.rem_euclid(STEP_SECS);
        // The step before is safe only while the server cannot have moved on by the time it checks.
        let earliest = if left >= 3 { step - SKEW } else { step };
        let candidate = earliest.max(last_step.map_or(i64::MIN, |s| s + 1));
        if candidate <= step + SKEW {
            return Some(secret.code_at_step(candidate));
        }
        tokio::time::sleep(Duration::from_secs(left as u64) + Duration::from_millis(100)).await;
    }
}

impl TestApp {
    /// Turns two-step verification on for a user with a known base32 secret.
    pub async fn enable_totp(&self, user_id: impl Into<shared::UserId>, secret: &str) {
        let user_id = user_id.into();
        let secret = Secret::from_base32(secret).expect("a base32 secret");
        let mut conn = self.db.write.acquire().await.expect("a database connection");
        backend::auth::second_factor::enable_with_secret(&mut conn, &self.config.secret, user_id, &secret)
            .await
            .expect("enabling TOTP");
    }

    /// Turns it off behind the server's back, e.g. for an admin who has not enrolled yet.
    pub async fn remove_totp(&self, user_id: impl Into<shared::UserId>) {
        let user_id = user_id.into();
        sqlx::query("DELETE FROM user_totp WHERE user_id = $1")
            .bind(user_id)
            .execute(&self.db.write)
            .await
            .expect("removing TOTP");
    }

    /// A code the server accepts now for `username`; `None` if they have no TOTP on.
    pub async fn totp_code(&self, username: &str) -> Option<String> {
        next_code(&self.db, &self.config.secret, username).await
    }
}
