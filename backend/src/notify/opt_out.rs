//! Guardians who want no more messages: a reply "TD" (退订, the Chinese SMS convention) forwarded
//! by the school's SMS platform opts out every guardian on that phone. The worker checks it at
//! send time, so messages already queued for them are not sent either (`opted_out`). A parent
//! may also opt out (and back in) on their page (`set`).

use crate::db::Db;
use crate::error::Result;

/// Whether a reply asks to stop messages: "TD", "td", "退订", with spaces or punctuation around.
pub fn is_opt_out(text: &str) -> bool {
    let word: String = text.chars().filter(|c| c.is_alphanumeric()).collect::<String>().to_uppercase();
    matches!(word.as_str(), "TD" | "退订")
}

/// Opts out the guardians on `phone` not yet opted out; how many.
pub async fn opt_out_phone(db: &Db, phone: &str) -> Result<u64> {
    let phone: String = phone.chars().filter(char::is_ascii_digit).collect();
    // Replies come as +8613…, 8613… or 13…: the last eleven digits are the mobile number.
    let mobile = &phone[phone.len().saturating_sub(11)..];
    if mobile.is_empty() {
        return Ok(0);
    }
    let mut conn = db.write.acquire().await?;
    Ok(crate::org::opt_out_guardians(&mut conn, mobile).await?)
}

/// The family's guardian (and the guardians on their phone) opt out of messages, or back in.
pub async fn set(db: &Db, guardian_id: i64, out: bool) -> Result<()> {
    let mut conn = db.write.acquire().await?;
    Ok(crate::org::set_guardian_opted_out(&mut conn, guardian_id, out).await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn td_and_its_variants_opt_out() {
        for yes in ["TD", "td", " Td。", "退订", "【退订】"] {
            assert!(super::is_opt_out(yes), "{yes}");
        }
        for no in ["好的", "TDD", "收到，谢谢", ""] {
            assert!(!super::is_opt_out(no), "{no}");
        }
    }
}
