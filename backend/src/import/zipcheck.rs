//! A zip-bomb check for xlsx uploads, before any parsing: the sizes the archive's central
//! directory declares, then the real sizes, decompressed into nothing with a cap.

use std::io::{Cursor, Read};

use crate::i18n::Msg;

/// Entries in an xlsx file: a workbook has a few dozen.
const MAX_ENTRIES: usize = 10_000;
/// One entry uncompressed: a 200,000-row sheet is well below this.
const MAX_ENTRY_BYTES: u64 = 512 * 1024 * 1024;
/// All entries uncompressed.
const MAX_TOTAL_BYTES: u64 = 1024 * 1024 * 1024;
/// Uncompressed : compressed, once the total is large enough to matter. Real sheets compress
/// about 10:1; deflate cannot exceed about 1032:1.
const MAX_RATIO: u64 = 100;
const RATIO_APPLIES_ABOVE: u64 = 64 * 1024 * 1024;

fn bomb() -> Msg {
    Msg::new(
        "文件解压后过大（可能是压缩炸弹），已拒绝",
        "The file would be far too large once decompressed (a possible zip bomb) and was refused",
    )
}

fn not_xlsx() -> Msg {
    Msg::new("这不是有效的 xlsx 文件", "This is not a valid xlsx file")
}

pub fn check(bytes: &[u8]) -> Result<(), Msg> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| not_xlsx())?;
    if archive.len() > MAX_ENTRIES {
        return Err(bomb());
    }
    let (mut total, mut compressed) = (0u64, 0u64);
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(|_| not_xlsx())?;
        if entry.size() > MAX_ENTRY_BYTES {
            return Err(bomb());
        }
        total = total.saturating_add(entry.size());
        compressed = compressed.saturating_add(entry.compressed_size());
    }
    if total > MAX_TOTAL_BYTES || (total > RATIO_APPLIES_ABOVE && total / compressed.max(1) > MAX_RATIO) {
        return Err(bomb());
    }
    // The directory may lie: decompress each entry, reading at most one byte past its declared size.
    for i in 0..archive.len() {
        let entry = archive.by_index(i).map_err(|_| not_xlsx())?;
        let declared = entry.size();
        let actual = std::io::copy(&mut entry.take(declared + 1), &mut std::io::sink()).map_err(|_| not_xlsx())?;
        if actual > declared {
            return Err(bomb());
        }
    }
    Ok(())
}
