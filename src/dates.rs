//! Calendar dates without a date library: days since 1970-01-01 in the proleptic Gregorian
//! calendar, both ways. Only warnings and new-portal scaffolds use today's date; build output
//! never does.

/// Days since 1970-01-01 of a date.
pub fn days(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days`]: days since 1970-01-01 → (year, month, day).
pub fn civil(z: i64) -> (i64, i64, i64) {
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

/// `YYYY-MM-DD` of a moment given in seconds since 1970 (UTC).
pub fn ymd(secs: i64) -> String {
    let (y, m, d) = civil(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

fn now_secs() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Today as days since 1970-01-01 (UTC).
pub fn today_days() -> i64 {
    now_secs().div_euclid(86_400)
}

/// Today as `YYYY-MM-DD` (UTC).
pub fn today() -> String {
    ymd(now_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        for (y, m, d) in [(1970, 1, 1), (2000, 2, 29), (2026, 12, 31), (2024, 3, 1), (1969, 12, 31)] {
            assert_eq!(civil(days(y, m, d)), (y, m, d));
        }
        assert_eq!(days(1970, 1, 1), 0);
        assert_eq!(ymd(951_782_400), "2000-02-29");
        assert_eq!(ymd(-86_400), "1969-12-31");
    }
}
