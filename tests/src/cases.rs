//! Helpers for typical cases and photos: a real PNG made here (any size, so that the browser
//! can draw and shrink it too), and the photo requests as the app sends them.

use std::io::Write;

use reqwest::{Client, Response};

use crate::TestApp;

/// A `width` × `height` PNG (8-bit RGB, a diagonal gradient): a real picture, which a browser
/// decodes and the server knows by its signature.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut raw = Vec::with_capacity(((width * 3 + 1) * height) as usize);
    for y in 0..height {
        raw.push(0);
        for x in 0..width {
            raw.extend_from_slice(&[(x * 255 / width.max(1)) as u8, (y * 255 / height.max(1)) as u8, 160]);
        }
    }
    let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    zlib.write_all(&raw).expect("compressing");
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &header);
    chunk(&mut out, b"IDAT", &zlib.finish().expect("compressing"));
    chunk(&mut out, b"IEND", &[]);
    out
}

impl TestApp {
    /// `PUT /api/visits/{visit}/photos/{photo}` with the bytes as the body.
    pub async fn put_photo(&self, client: &Client, visit: shared::VisitId, photo: &str, bytes: Vec<u8>) -> Response {
        let path = format!("/api/visits/{visit}/photos/{photo}");
        client.put(self.url(&path)).body(bytes).send().await.unwrap_or_else(|e| panic!("PUT {path}: {e}"))
    }

    /// How many photos the database holds for a visit.
    pub async fn photo_count(&self, visit: shared::VisitId) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM visit_photos WHERE visit_id = $1")
            .bind(visit.get())
            .fetch_one(&self.db.read)
            .await
            .expect("counting photos")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_png_has_a_signature_and_its_size() {
        let png = super::png(3, 2);
        assert_eq!(shared::cases::image_type(&png), Some("image/png"));
        assert_eq!(&png[16..24], &[0, 0, 0, 3, 0, 0, 0, 2]);
    }
}
