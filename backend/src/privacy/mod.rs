//! Privacy (issue 19): the school's details the parents' notice names (admins edit them), and a
//! guardian's separate consent to concerns on sensitive topics (PIPL art. 29). The store of both;
//! the rule that hides concerns sent under a withdrawn consent is `visible_consent` below, used
//! wherever staff read concerns (`visits::concerns::restrict_visible`, `meetings::signups`).

pub mod register;
pub mod rights;

use shared::privacy::{PrivacyNotice, PrivacySettings, SensitiveConsent, MAX_SETTING, NOTICE_VERSION};

use crate::auth::StaffUser;
use crate::db::{now, Db};
use crate::error::{Error, Result};
use crate::family::Family;
use crate::form::Fields;
use crate::i18n::Msg;

const SCHOOL_NAME: &str = "school_name";
const CONTACT: &str = "privacy_contact";

/// SQL condition on a concern aliased `alias`: sent before consents existed, or under a consent
/// not withdrawn. Staff see a sensitive concern only when it holds.
pub fn visible_consent(alias: &str) -> String {
    format!(
        "({alias}.consent_id IS NULL OR {alias}.consent_id IN \
         (SELECT sc.id FROM sensitive_consents sc WHERE sc.withdrawn_at IS NULL))"
    )
}

/// The school's details, empty where no admin has saved them yet.
pub async fn settings(db: &Db) -> Result<PrivacySettings> {
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT name, value FROM school_settings WHERE name IN ($1, $2)")
        .bind(SCHOOL_NAME)
        .bind(CONTACT)
        .fetch_all(&db.read)
        .await?;
    let get = |key: &str| rows.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()).unwrap_or_default();
    Ok(PrivacySettings { school_name: get(SCHOOL_NAME), contact: get(CONTACT) })
}

/// Saves the school's details (admins only): each normalised, at most `MAX_SETTING` characters
/// and no control characters (PostgreSQL refuses a NUL in text; a line break has no place here).
pub async fn save_settings(db: &Db, user: &StaffUser, input: PrivacySettings) -> Result<PrivacySettings> {
    user.require(&[shared::Role::Admin])?;
    let mut fields = Fields::new();
    let school_name = fields.optional("school_name", Some(&input.school_name), MAX_SETTING).unwrap_or_default();
    let contact = fields.optional("contact", Some(&input.contact), MAX_SETTING).unwrap_or_default();
    fields.finish()?;
    let at = now();
    let mut tx = db.write.begin().await?;
    for (name, value) in [(SCHOOL_NAME, &school_name), (CONTACT, &contact)] {
        sqlx::query(
            "INSERT INTO school_settings (name, value, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .bind(name)
        .bind(value.clone())
        .bind(user.id)
        .bind(at)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(PrivacySettings { school_name, contact })
}

#[derive(sqlx::FromRow)]
struct ConsentRow {
    id: i64,
    given_at: i64,
    notice_version: i64,
}

async fn active(db: &Db, guardian_id: i64) -> Result<Option<ConsentRow>> {
    Ok(sqlx::query_as(
        "SELECT id, given_at, notice_version FROM sensitive_consents \
         WHERE guardian_id = $1 AND withdrawn_at IS NULL ORDER BY id DESC LIMIT 1",
    )
    .bind(guardian_id)
    .fetch_optional(&db.read)
    .await?)
}

/// The id of the guardian's consent in force, which a sensitive concern is sent under.
pub async fn active_consent(db: &Db, guardian_id: i64) -> Result<Option<i64>> {
    Ok(active(db, guardian_id).await?.map(|c| c.id))
}

/// The notice as the signed-in family reads it.
pub async fn notice(db: &Db, family: &Family) -> Result<PrivacyNotice> {
    let settings = settings(db).await?;
    let consent = active(db, family.guardian_id)
        .await?
        .map(|c| SensitiveConsent { given_at: c.given_at, notice_version: c.notice_version });
    Ok(PrivacyNotice {
        notice_version: NOTICE_VERSION,
        school_name: settings.school_name,
        contact: settings.contact,
        consent,
    })
}

/// Records the guardian's consent under the notice's current version; given already, it stays
/// as it was (a second tap records nothing new).
pub async fn give(db: &Db, family: &Family, notice_version: i64) -> Result<PrivacyNotice> {
    if notice_version != NOTICE_VERSION {
        return Err(Error::field(
            "notice_version",
            Msg::new(
                "隐私说明已更新，请重新阅读后再同意",
                "The privacy notice has changed: read it again before agreeing",
            ),
        ));
    }
    if active(db, family.guardian_id).await?.is_none() {
        sqlx::query(
            "INSERT INTO sensitive_consents (guardian_id, student_id, notice_version, given_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(family.guardian_id)
        .bind(family.student_id)
        .bind(notice_version)
        .bind(now())
        .execute(&db.write)
        .await?;
    }
    notice(db, family).await
}

/// Withdraws the guardian's consent: from now on staff no longer see the sensitive concerns sent
/// under it (the family still does, and may remove them); a new one must be given to send more.
pub async fn withdraw(db: &Db, family: &Family) -> Result<PrivacyNotice> {
    sqlx::query("UPDATE sensitive_consents SET withdrawn_at = $1 WHERE guardian_id = $2 AND withdrawn_at IS NULL")
        .bind(now())
        .bind(family.guardian_id)
        .execute(&db.write)
        .await?;
    notice(db, family).await
}
