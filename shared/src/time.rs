//! Times in China Standard Time (Asia/Shanghai, UTC+8 all year: China has no daylight saving
//! time). Instants are stored as Unix seconds.

use crate::Lang;

/// China Standard Time, the school's time zone.
pub const SHANGHAI_OFFSET_SECS: i64 = 8 * 3600;

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Local time in Shanghai as (year, month, day, hour, minute, second).
pub fn shanghai_parts(unix: i64) -> (i64, i64, i64, i64, i64, i64) {
    let local = unix + SHANGHAI_OFFSET_SECS;
    let (y, m, d) = civil_from_days(local.div_euclid(86_400));
    let secs = local.rem_euclid(86_400);
    (y, m, d, secs / 3600, secs % 3600 / 60, secs % 60)
}

/// `2025-03-01T14:00`, as an `<input type="datetime-local">` holds it.
pub fn to_local_input(unix: i64) -> String {
    let (y, m, d, h, min, _) = shanghai_parts(unix);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}")
}

/// Reads `2025-03-01T14:00` (seconds optional) as Shanghai time.
pub fn from_local_input(text: &str) -> Option<i64> {
    let (date, time) = text.trim().split_once(['T', ' '])?;
    let mut date = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (date.next()??, date.next()??, date.next()??);
    let mut time = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, min) = (time.next()??, time.next()??);
    let s = time.next().flatten().unwrap_or(0);
    let valid = (1..=12).contains(&m) && (1..=31).contains(&d) && (0..24).contains(&h) && (0..60).contains(&min);
    valid.then(|| days_from_civil(y, m, d) * 86_400 + h * 3600 + min * 60 + s - SHANGHAI_OFFSET_SECS)
}

/// `2025年3月1日 14:00` or `2025-03-01 14:00`.
pub fn format_local(unix: i64, lang: Lang) -> String {
    let (y, m, d, h, min, _) = shanghai_parts(unix);
    match lang {
        Lang::Zh => format!("{y}年{m}月{d}日 {h:02}:{min:02}"),
        Lang::En => format!("{y}-{m:02}-{d:02} {h:02}:{min:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shanghai_round_trip() {
        // 2025-03-01 06:00 UTC is 14:00 in Shanghai.
        assert_eq!(to_local_input(1_740_808_800), "2025-03-01T14:00");
        assert_eq!(from_local_input("2025-03-01T14:00"), Some(1_740_808_800));
        assert_eq!(from_local_input("2024-12-31T23:59:30"), Some(1_735_660_770));
        assert_eq!(to_local_input(1_735_660_770), "2024-12-31T23:59");
        assert_eq!(from_local_input("nonsense"), None);
        assert_eq!(format_local(1_740_808_800, Lang::Zh), "2025年3月1日 14:00");
    }
}
