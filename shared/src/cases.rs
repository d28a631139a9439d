//! Typical cases (典型案例) and a visit's photos: the limits both ends apply, and what crosses
//! the wire. The tablet shrinks a photo before it is kept or sent (`PHOTO_LONGEST_SIDE`,
//! `PHOTO_QUALITY`); the server refuses more than `MAX_PHOTOS` a visit, more than
//! `MAX_PHOTO_BYTES` a photo and anything that is not a JPEG or PNG by its first bytes.

use serde::{Deserialize, Serialize};

use crate::visits::Person;

/// The longest a case's story may be, in characters.
pub const STORY_MAX_CHARS: usize = 500;

/// Photos a visit may carry.
pub const MAX_PHOTOS: usize = 3;

/// The largest photo the server takes. A photo shrunk to 1600 px at quality 0.8 is a few hundred
/// KB; 2 MiB leaves room for a detailed one (or a PNG from a tablet that cannot make JPEGs).
pub const MAX_PHOTO_BYTES: usize = 2 * 1024 * 1024;

/// The tablet scales a photo so that its longer side is at most this many pixels.
pub const PHOTO_LONGEST_SIDE: u32 = 1600;

/// The JPEG quality the tablet encodes with.
pub const PHOTO_QUALITY: f64 = 0.8;

/// `PUT /api/visits/{id}/case`: flags the visit as a typical case (or changes its story).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseStory {
    /// 1 to 500 characters.
    pub story: String,
}

/// A visit flagged as a typical case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TypicalCase {
    pub story: String,
    pub flagged_by: Person,
    /// Unix seconds.
    pub flagged_at: i64,
}

/// One of a visit's photos. Its bytes are at `GET /api/visits/{visit}/photos/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Photo {
    /// The id the device made for it (a UUID): uploading it again stores nothing new.
    pub id: String,
    /// `image/jpeg` or `image/png`, as its content says.
    pub content_type: String,
    pub bytes: i64,
    pub uploaded_by: Person,
    /// Unix seconds.
    pub uploaded_at: i64,
}

/// `GET /api/visits/{id}/media`: the visit's case, if flagged, and its photos in the order added.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitMedia {
    pub case: Option<TypicalCase>,
    pub photos: Vec<Photo>,
}

/// The content type of an image by its first bytes (its "magic number"): JPEG or PNG, else
/// `None`. What the uploader calls it is not trusted.
pub fn image_type(bytes: &[u8]) -> Option<&'static str> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.len() > 3 && bytes[..3] == [0xFF, 0xD8, 0xFF] {
        Some("image/jpeg")
    } else if bytes.len() > PNG.len() && bytes.starts_with(PNG) {
        Some("image/png")
    } else {
        None
    }
}

/// Whether a photo id is one a device could have made: 1 to 64 letters, digits and dashes.
pub fn valid_photo_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 64 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_known_by_their_first_bytes() {
        assert_eq!(image_type(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Some("image/jpeg"));
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some("image/png"));
        assert_eq!(image_type(b"GIF89a......"), None);
        assert_eq!(image_type(b"<svg xmlns=...>"), None);
        assert_eq!(image_type(b"\x89PNG\r\n\x1a\n"), None, "a signature alone is no picture");
        assert_eq!(image_type(&[]), None);
    }

    #[test]
    fn photo_ids_are_short_and_plain() {
        assert!(valid_photo_id("0f8c2a4e-1b2c-4d3e-8f90-123456789abc"));
        assert!(!valid_photo_id(""));
        assert!(!valid_photo_id("../etc"));
        assert!(!valid_photo_id(&"a".repeat(65)));
    }
}
