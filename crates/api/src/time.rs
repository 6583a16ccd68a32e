//! Instants as the API writes them: RFC 3339 in UTC with milliseconds
//! (`2026-03-01T14:05:09.120Z`), and as the store keeps them: milliseconds
//! since the Unix epoch. Only the `Z` form is accepted: a record's time is
//! never ambiguous about its zone. Days and dates come from the engine's one
//! civil-date algorithm (`trustgate_law::civil_from_unix_days`).

use trustgate_law::{civil_from_unix_days, days_in_month, unix_days_from_civil};

/// Formats UTC milliseconds as RFC 3339 (`2026-03-01T14:05:09.120Z`).
pub fn format_utc_ms(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_unix_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600_000,
        rem / 60_000 % 60,
        rem / 1000 % 60,
        rem % 1000
    )
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z` (1 to 9 fraction digits; kept to the
/// millisecond) into UTC milliseconds.
pub fn parse_utc_ms(s: &str) -> Result<i64, String> {
    let bad = || format!("`{s}` is not a UTC time like 2026-03-01T14:05:09Z");
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[b.len() - 1] != b'Z'
    {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| -> Result<i64, String> {
        let part = s.get(r).ok_or_else(bad)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse::<i64>().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let frac = &s[19..s.len() - 1];
    let millis = if frac.is_empty() {
        0
    } else {
        let digits = frac.strip_prefix('.').ok_or_else(bad)?;
        if digits.is_empty() || digits.len() > 9 || !digits.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let three: String = digits.chars().chain("00".chars()).take(3).collect();
        three.parse::<i64>().map_err(|_| bad())?
    };
    let valid_day = (1..=12).contains(&mo) && (1..=days_in_month(y, mo)).contains(&d);
    if !valid_day || h > 23 || mi > 59 || sec > 59 {
        return Err(format!("`{s}` is not a real date and time"));
    }
    Ok(unix_days_from_civil(y, mo, d) * 86_400_000
        + h * 3_600_000
        + mi * 60_000
        + sec * 1000
        + millis)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(format_utc_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(parse_utc_ms("1970-01-01T00:00:00Z"), Ok(0));
        // `date -u -d 2026-03-01T14:05:09Z +%s` = 1772373909
        assert_eq!(
            parse_utc_ms("2026-03-01T14:05:09.12Z"),
            Ok(1_772_373_909_120)
        );
        assert_eq!(format_utc_ms(1_772_373_909_120), "2026-03-01T14:05:09.120Z");
        assert_eq!(
            parse_utc_ms("2024-02-29T23:59:59.999999999Z"),
            Ok(1_709_251_199_999)
        );
        assert_eq!(format_utc_ms(-1), "1969-12-31T23:59:59.999Z");
    }

    #[test]
    fn every_day_round_trips() {
        // Years 0001 to 9999, every 3rd day.
        for day in (-719_162i64..2_932_896).step_by(3) {
            let ms = day * 86_400_000 + 45_296_789;
            assert_eq!(parse_utc_ms(&format_utc_ms(ms)), Ok(ms), "day {day}");
        }
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "",
            "2026-03-01",
            "2026-03-01 14:05:09Z",
            "2026-03-01T14:05:09",
            "2026-03-01T14:05:09+01:00",
            "2026-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-03-01T24:00:00Z",
            "2026-03-01T14:05:09.Z",
            "2026-03-01T14:05:09.1234567890Z",
            "+026-03-01T14:05:09Z",
            "2026-03-01T14:05:9.0Z",
        ] {
            assert!(parse_utc_ms(bad).is_err(), "{bad}");
        }
    }
}
