//! Typical cases (典型案例) and a visit's photos: the rules and the store. Whoever may see a
//! visit (`access::check_visit`, checked by the caller) may flag it, change or clear its story,
//! add photos and remove them; the parent's page never reads them. A photo is stored once per
//! id the device made for it, so the offline queue may send it again after a lost answer.

use shared::cases::{self, CaseStory, Photo, TypicalCase, VisitMedia, MAX_PHOTOS, MAX_PHOTO_BYTES, STORY_MAX_CHARS};
use shared::visits::Person;
use shared::{StudentId, UserId, VisitId};

use crate::audit;
use crate::auth::StaffUser;
use crate::db::now;
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::AppState;

/// The story as stored: trimmed, 1 to `STORY_MAX_CHARS` characters.
pub fn check_story(body: &CaseStory) -> Result<String> {
    let story = body.story.trim();
    if story.is_empty() {
        return Err(Error::field("story", Msg::new("请填写案例简述", "Write the case's story")));
    }
    if story.chars().count() > STORY_MAX_CHARS {
        return Err(Error::field("story", Msg::new("案例简述最多 500 字", "The story may be at most 500 characters")));
    }
    Ok(story.to_string())
}

async fn student_of(state: &AppState, visit_id: VisitId) -> Result<StudentId> {
    Ok(sqlx::query_scalar("SELECT student_id FROM visits WHERE id = $1")
        .bind(visit_id)
        .fetch_one(&state.db.read)
        .await?)
}

async fn audit_change(state: &AppState, user: &StaffUser, visit_id: VisitId, field: &str, what: &str) -> Result<()> {
    let student = student_of(state, visit_id).await?;
    audit::record(&state.db, user.id, "update", Some(student), &[field], &format!("{what} visit {visit_id}")).await?;
    Ok(())
}

/// Flags the visit as a typical case, or gives its case a new story.
pub async fn flag(state: &AppState, user: &StaffUser, visit_id: VisitId, body: &CaseStory) -> Result<TypicalCase> {
    let story = check_story(body)?;
    sqlx::query(
        "INSERT INTO visit_cases (visit_id, story, flagged_by, flagged_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (visit_id) DO UPDATE SET story = excluded.story, flagged_by = excluded.flagged_by, \
         flagged_at = excluded.flagged_at",
    )
    .bind(visit_id)
    .bind(story)
    .bind(user.id)
    .bind(now())
    .execute(&state.db.write)
    .await?;
    audit_change(state, user, visit_id, "typical_case", "flag").await?;
    media(state, visit_id).await?.case.ok_or_else(|| Error::Internal(anyhow::anyhow!("the case was not stored")))
}

/// The visit is no longer a typical case (its photos stay).
pub async fn unflag(state: &AppState, user: &StaffUser, visit_id: VisitId) -> Result<()> {
    let done =
        sqlx::query("DELETE FROM visit_cases WHERE visit_id = $1").bind(visit_id).execute(&state.db.write).await?;
    if done.rows_affected() > 0 {
        audit_change(state, user, visit_id, "typical_case", "unflag").await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct CaseRow {
    story: String,
    flagged_by: UserId,
    flagged_by_name: String,
    flagged_at: i64,
}

#[derive(sqlx::FromRow)]
struct PhotoRow {
    client_id: String,
    content_type: String,
    bytes: i64,
    uploaded_by: UserId,
    uploaded_by_name: String,
    uploaded_at: i64,
}

impl From<PhotoRow> for Photo {
    fn from(r: PhotoRow) -> Photo {
        Photo {
            id: r.client_id,
            content_type: r.content_type,
            bytes: r.bytes,
            uploaded_by: Person { id: r.uploaded_by, name: r.uploaded_by_name },
            uploaded_at: r.uploaded_at,
        }
    }
}

const PHOTO_SELECT: &str = "SELECT p.client_id, p.content_type, p.bytes, p.uploaded_by, \
     u.display_name AS uploaded_by_name, p.uploaded_at FROM visit_photos p JOIN users u ON u.id = p.uploaded_by";

/// The visit's case and photos (without their bytes).
pub async fn media(state: &AppState, visit_id: VisitId) -> Result<VisitMedia> {
    let case: Option<CaseRow> = sqlx::query_as(
        "SELECT c.story, c.flagged_by, u.display_name AS flagged_by_name, c.flagged_at FROM visit_cases c \
         JOIN users u ON u.id = c.flagged_by WHERE c.visit_id = $1",
    )
    .bind(visit_id)
    .fetch_optional(&state.db.read)
    .await?;
    let photos: Vec<PhotoRow> = sqlx::query_as(&format!("{PHOTO_SELECT} WHERE p.visit_id = $1 ORDER BY p.id"))
        .bind(visit_id)
        .fetch_all(&state.db.read)
        .await?;
    Ok(VisitMedia {
        case: case.map(|c| TypicalCase {
            story: c.story,
            flagged_by: Person { id: c.flagged_by, name: c.flagged_by_name },
            flagged_at: c.flagged_at,
        }),
        photos: photos.into_iter().map(Photo::from).collect(),
    })
}

fn bad_id() -> Error {
    Error::field("photo", Msg::new("照片编号无效", "Invalid photo id"))
}

/// Refuses what is not a JPEG or PNG photo of a size the server takes; its content type.
pub fn check_photo(bytes: &[u8]) -> Result<&'static str> {
    if bytes.len() > MAX_PHOTO_BYTES {
        return Err(Error::field("photo", Msg::new("照片不能超过 2 MB", "A photo may be at most 2 MB")));
    }
    cases::image_type(bytes).ok_or_else(|| {
        Error::field("photo", Msg::new("只能上传 JPEG 或 PNG 照片", "Only JPEG or PNG photos can be uploaded"))
    })
}

fn too_many() -> Error {
    Error::field(
        "photo",
        Msg::new("每次家访最多 3 张照片，请先删除一张", "A visit can have at most 3 photos: remove one first"),
    )
}

/// Stores a photo under the id its device made; sent again (same id, same visit) it changes
/// nothing and answers the stored one. An id used for another visit is a 409.
pub async fn add_photo(
    state: &AppState,
    user: &StaffUser,
    visit_id: VisitId,
    photo_id: &str,
    bytes: &[u8],
) -> Result<Photo> {
    if !cases::valid_photo_id(photo_id) {
        return Err(bad_id());
    }
    // Twice: a second upload racing this one may take the slot found free.
    for _ in 0..2 {
        if let Some(photo) = existing(state, visit_id, photo_id).await? {
            return Ok(photo);
        }
        let content_type = check_photo(bytes)?;
        let used: Vec<i64> = sqlx::query_scalar("SELECT slot FROM visit_photos WHERE visit_id = $1")
            .bind(visit_id)
            .fetch_all(&state.db.read)
            .await?;
        let Some(slot) = (1..=MAX_PHOTOS as i64).find(|s| !used.contains(s)) else { return Err(too_many()) };
        let stored: Option<i64> = sqlx::query_scalar(
            "INSERT INTO visit_photos (visit_id, client_id, slot, content_type, content, bytes, uploaded_by, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(visit_id)
        .bind(photo_id.to_string())
        .bind(slot)
        .bind(content_type)
        .bind(bytes.to_vec())
        .bind(bytes.len() as i64)
        .bind(user.id)
        .bind(now())
        .fetch_optional(&state.db.write)
        .await?;
        if stored.is_some() {
            audit_change(state, user, visit_id, "photo", "add photo to").await?;
            return existing(state, visit_id, photo_id).await?.ok_or_else(|| Error::Internal(anyhow::anyhow!("lost")));
        }
    }
    Err(too_many())
}

/// The photo with this id on this visit; a 409 if the id is another visit's.
async fn existing(state: &AppState, visit_id: VisitId, photo_id: &str) -> Result<Option<Photo>> {
    let other: Option<VisitId> = sqlx::query_scalar("SELECT visit_id FROM visit_photos WHERE client_id = $1")
        .bind(photo_id.to_string())
        .fetch_optional(&state.db.read)
        .await?;
    match other {
        None => Ok(None),
        Some(v) if v != visit_id => {
            Err(Error::Conflict(Msg::new("该照片编号已用于另一次家访", "This photo id belongs to another visit")))
        }
        Some(_) => {
            let row: PhotoRow = sqlx::query_as(&format!("{PHOTO_SELECT} WHERE p.client_id = $1"))
                .bind(photo_id.to_string())
                .fetch_one(&state.db.read)
                .await?;
            Ok(Some(row.into()))
        }
    }
}

/// A photo's content type and bytes; 404 if the visit has no such photo.
pub async fn photo_bytes(state: &AppState, visit_id: VisitId, photo_id: &str) -> Result<(String, Vec<u8>)> {
    if !cases::valid_photo_id(photo_id) {
        return Err(Error::NotFound);
    }
    let row: Option<(String, Vec<u8>)> =
        sqlx::query_as("SELECT content_type, content FROM visit_photos WHERE visit_id = $1 AND client_id = $2")
            .bind(visit_id)
            .bind(photo_id.to_string())
            .fetch_optional(&state.db.read)
            .await?;
    row.ok_or(Error::NotFound)
}

/// Removes a photo from the visit (its slot is free again); 404 if there is none.
pub async fn remove_photo(state: &AppState, user: &StaffUser, visit_id: VisitId, photo_id: &str) -> Result<()> {
    let done = sqlx::query("DELETE FROM visit_photos WHERE visit_id = $1 AND client_id = $2")
        .bind(visit_id)
        .bind(photo_id.to_string())
        .execute(&state.db.write)
        .await?;
    if done.rows_affected() == 0 {
        return Err(Error::NotFound);
    }
    audit_change(state, user, visit_id, "photo", "remove photo from").await
}
