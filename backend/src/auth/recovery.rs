//! Recovery codes for two-step verification: ten random codes, shown once when TOTP is turned on
//! (or when the user asks for new ones, which replaces the set), each accepted once at sign-in
//! where a TOTP code is asked, for the day the phone is lost.
//!
//! Stored as HMAC-SHA256 under the server's secret key, bound to the user, not argon2: a code is
//! 10 characters of a 31-letter alphabet (~50 bits) drawn by the operating system's generator,
//! not a password a person chose, so there is no dictionary to try and a fast hash loses nothing
//! — the only way in is guessing online, which meets the sign-in attempt limit. A slow hash would
//! instead cost up to ten argon2 runs per sign-in (the code could be any of the user's ten). The
//! key means the database or a backup alone does not even allow an offline search.

use rand::Rng;
use shared::UserId;
use sqlx::AnyConnection;

use crate::db::{now, Db};
use crate::secret::Secret as Key;

/// Codes per set.
pub const COUNT: usize = 10;
/// Characters per code (shown as two groups of five).
const LEN: usize = 10;
/// Lower-case letters and digits without the ones easily mistaken (0/o, 1/l/i).
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A new random code, `abcde-fghjk`.
fn generate() -> String {
    let mut rng = rand::rngs::OsRng;
    let chars: String = (0..LEN).map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())])).collect();
    format!("{}-{}", &chars[..LEN / 2], &chars[LEN / 2..])
}

/// A code as typed (case, spaces and dashes ignored), if it can be one.
pub fn parse(text: &str) -> Option<String> {
    let code: String =
        text.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_lowercase()).collect();
    (code.len() == LEN && code.bytes().all(|b| ALPHABET.contains(&b))).then_some(code)
}

fn hash(key: &Key, user_id: UserId, code: &str) -> String {
    hex::encode(key.derive("recovery code", format!("{user_id}:{code}").as_bytes()))
}

/// Replaces the user's codes with a new set and returns it: the only time the codes are seen.
pub async fn replace(conn: &mut AnyConnection, key: &Key, user_id: UserId) -> sqlx::Result<Vec<String>> {
    let codes: Vec<String> = (0..COUNT).map(|_| generate()).collect();
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *conn).await?;
    let at = now();
    for code in &codes {
        let code_hash = hash(key, user_id, &parse(code).unwrap_or_default());
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)")
            .bind(user_id)
            .bind(code_hash)
            .bind(at)
            .execute(&mut *conn)
            .await?;
    }
    Ok(codes)
}

/// Uses a code up. `false`: not one of the user's, or used already. One conditional UPDATE, so
/// two requests with the same code succeed once.
pub async fn use_code(db: &Db, key: &Key, user_id: UserId, code: &str) -> sqlx::Result<bool> {
    let done =
        sqlx::query("UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL")
            .bind(now())
            .bind(user_id)
            .bind(hash(key, user_id, code))
            .execute(&db.write)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// How many of the user's codes are still unused.
pub async fn remaining(db: &Db, user_id: UserId) -> sqlx::Result<i64> {
    sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user_id)
        .fetch_one(&db.read)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_ten_unambiguous_characters_read_leniently() {
        let code = generate();
        assert_eq!(code.len(), 11);
        assert_eq!(code.as_bytes()[5], b'-');
        let bare = parse(&code).expect("its own code");
        assert_eq!(parse(&format!(" {} ", code.to_uppercase().replace('-', " "))), Some(bare.clone()));
        assert_ne!(generate(), generate());
        for bad in ["", "123456", "abcde-fghj", "abcde-fghjkm", "abcde-fghj0", "abcde-fghjl"] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
        let key = Key::random();
        assert_ne!(hash(&key, UserId(1), &bare), hash(&key, UserId(2), &bare), "bound to the user");
        assert_ne!(hash(&key, UserId(1), &bare), hash(&Key::random(), UserId(1), &bare), "keyed");
    }
}
