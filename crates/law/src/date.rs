//! A civil date (proleptic Gregorian, no time zone): the unit in which laws take
//! effect. Parsed once at the boundary; holding a `Date` means it is valid.

use std::fmt;

/// A valid calendar date, `YYYY-MM-DD`. Ordered by time.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01; negative before.
    days: i32,
}

impl Date {
    /// Parses `YYYY-MM-DD` (years 1000–9999), rejecting impossible days such as 2025-02-29.
    pub fn parse(s: &str) -> Result<Date, DateError> {
        let b = s.as_bytes();
        let digits = |r: std::ops::Range<usize>| -> Option<i32> {
            let part = s.get(r)?;
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return Err(DateError::Format);
        }
        let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
            return Err(DateError::Format);
        };
        if y < 1000
            || !(1..=12).contains(&m)
            || d < 1
            || i64::from(d) > days_in_month(y.into(), m.into())
        {
            return Err(DateError::NoSuchDay);
        }
        Ok(Date {
            days: days_from_civil(y, m, d),
        })
    }

    /// The date of a year, month and day, if there is such a day (years
    /// 1000–9999, as [`Date::parse`]).
    pub fn from_ymd(y: i32, m: i32, d: i32) -> Option<Date> {
        ((1000..=9999).contains(&y)
            && (1..=12).contains(&m)
            && d >= 1
            && i64::from(d) <= days_in_month(y.into(), m.into()))
        .then(|| Date {
            days: days_from_civil(y, m, d),
        })
    }

    /// Days since 1970-01-01.
    pub fn unix_days(self) -> i32 {
        self.days
    }

    /// The date `days` days after 1970-01-01 (for "today" from a system clock).
    pub fn from_unix_days(days: i32) -> Date {
        Date { days }
    }

    /// The day after this one.
    pub fn succ(self) -> Date {
        Date {
            days: self.days + 1,
        }
    }

    /// The day before this one.
    pub fn pred(self) -> Date {
        Date {
            days: self.days - 1,
        }
    }

    /// (year, month, day).
    pub fn ymd(self) -> (i32, i32, i32) {
        civil_from_days(self.days)
    }
}

/// Why a date string was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Not of the form `YYYY-MM-DD`.
    #[error("expected a date as YYYY-MM-DD")]
    Format,
    /// Well formed, but no such day exists.
    #[error("no such day in the calendar")]
    NoSuchDay,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl fmt::Debug for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

/// Date `y-m-d` as a day count for the years [`Date`] holds (1000–9999, well
/// inside `i32`).
fn days_from_civil(y: i32, m: i32, d: i32) -> i32 {
    i32::try_from(unix_days_from_civil(y.into(), m.into(), d.into())).unwrap_or(i32::MAX)
}

fn civil_from_days(z: i32) -> (i32, i32, i32) {
    let (y, m, d) = civil_from_unix_days(z.into());
    // Month and day are small; a year from an `i32` day count fits an `i32`.
    let small = |v: i64| i32::try_from(v).unwrap_or(i32::MAX);
    (small(y), small(m), small(d))
}

/// Days since 1970-01-01 of a proleptic Gregorian year, month (1–12) and day
/// (Howard Hinnant's `days_from_civil`). The workspace's one civil-date
/// algorithm: the API's instants use it too. The caller checks the day exists.
pub fn unix_days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian (year, month, day) `days` days after 1970-01-01
/// (Howard Hinnant's `civil_from_days`); the inverse of [`unix_days_from_civil`].
pub fn civil_from_unix_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Days in month `m` (1–12) of year `y`; 0 for no such month.
pub fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        _ => 0,
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, reason = "a test fails by panicking")]
mod tests {
    use super::*;

    fn check(input: &str, expect: Result<&str, DateError>) {
        assert_eq!(
            Date::parse(input).map(|d| d.to_string()),
            expect.map(str::to_owned),
            "{input}"
        );
    }

    #[test]
    fn parses_and_refuses() {
        check("2020-02-10", Ok("2020-02-10"));
        check("2024-02-29", Ok("2024-02-29"));
        check("2025-02-29", Err(DateError::NoSuchDay));
        check("2025-13-01", Err(DateError::NoSuchDay));
        check("2025-1-01", Err(DateError::Format));
        check("20250101", Err(DateError::Format));
        check("２０２５-01-01", Err(DateError::Format));
        check("+025-01-01", Err(DateError::Format));
    }

    #[test]
    fn round_trips_and_orders() {
        let a = Date::parse("2025-08-03").unwrap();
        let b = Date::parse("2025-08-04").unwrap();
        assert!(a < b);
        assert_eq!(a.succ(), b);
        assert_eq!(b.pred(), a);
        assert_eq!(
            Date::parse("1999-12-31").unwrap().succ().to_string(),
            "2000-01-01"
        );
    }
}
