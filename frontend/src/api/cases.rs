//! A visit's typical case (典型案例) and photos.

use shared::cases::{CaseStory, Photo, TypicalCase, VisitMedia};
use shared::{ApiError, VisitId};

use super::{delete, encode, get, put, put_bytes};

/// `GET /api/visits/{id}/media`: the case, if flagged, and the photos.
pub async fn media(visit: VisitId) -> Result<VisitMedia, ApiError> {
    get(format!("/api/visits/{visit}/media")).await
}

/// `PUT /api/visits/{id}/case`: flags the visit (or changes the story).
pub async fn flag(visit: VisitId, story: String) -> Result<TypicalCase, ApiError> {
    put(&format!("/api/visits/{visit}/case"), &CaseStory { story }).await
}

/// `DELETE /api/visits/{id}/case`.
pub async fn unflag(visit: VisitId) -> Result<(), ApiError> {
    delete(&format!("/api/visits/{visit}/case")).await
}

/// `PUT /api/visits/{id}/photos/{photo}` with the (shrunk) photo's bytes: sent again under the
/// same `photo` id, it stores nothing new.
pub async fn upload_photo(visit: VisitId, photo: &str, content_type: &str, bytes: &[u8]) -> Result<Photo, ApiError> {
    put_bytes(&format!("/api/visits/{visit}/photos/{}", encode(photo)), content_type, bytes).await
}

/// `DELETE /api/visits/{id}/photos/{photo}`.
pub async fn remove_photo(visit: VisitId, photo: &str) -> Result<(), ApiError> {
    delete(&format!("/api/visits/{visit}/photos/{}", encode(photo))).await
}

/// The address of a photo, for an `<img>` (`GET /api/visits/{id}/photos/{photo}`).
pub fn photo_url(visit: VisitId, photo: &str) -> String {
    format!("/api/visits/{visit}/photos/{}", encode(photo))
}
