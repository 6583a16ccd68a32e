//! Reporting periods and the city's calendar. 2.129.060: "Beginning on the
//! date of passage of this ordinance and every six months thereafter": the
//! ordinance passed on 10 February 2020, so the periods run 10 February to
//! 9 August and 10 August to 9 February. A record falls in the period of the
//! day it was received, in Cambridge's time (America/New_York).

use trustgate_law::Date;

/// The date of passage: the first period starts here.
pub const PASSAGE: (i32, i32, i32) = (2020, 2, 10);

/// One six-month reporting period, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    /// 1 for the first period after passage.
    pub number: u32,
    pub from: Date,
    pub until: Date,
}

/// The first day of the period after `n - 1` periods. Checked throughout:
/// any `u32` gives a day or `None` (past the calendar's year 9999).
fn start(n: u32) -> Option<Date> {
    let (y, m, d) = PASSAGE;
    let months = i64::from(n.checked_sub(1)?)
        .checked_mul(6)?
        .checked_add(i64::from(m - 1))?;
    let year = i64::from(y).checked_add(months / 12)?;
    Date::from_ymd(
        i32::try_from(year).ok()?,
        i32::try_from(months % 12 + 1).ok()?,
        d,
    )
}

/// Why no period answers what was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoPeriod {
    /// Period 0: periods are numbered from 1.
    Zero,
    /// A period that has not begun by `today`; `last` contains today.
    NotBegun { last: Period, today: Date },
    /// A day before the ordinance passed.
    BeforePassage,
    /// A day after `today`: no report covers days to come.
    AfterToday { today: Date },
    /// Today itself is before the ordinance passed: no period has begun.
    NoneYet { today: Date },
}

impl std::fmt::Display for NoPeriod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d) = PASSAGE;
        match self {
            NoPeriod::Zero => match Period::nth(1) {
                Some(p) => write!(
                    f,
                    "periods are numbered from 1 (1 = {} to {})",
                    p.from, p.until
                ),
                None => write!(f, "periods are numbered from 1"),
            },
            NoPeriod::NotBegun { last, today } => write!(
                f,
                "it has not begun; the last period is {} ({} to {}), the one containing today ({today})",
                last.number, last.from, last.until
            ),
            NoPeriod::BeforePassage => {
                write!(f, "it is before the ordinance passed ({y}-{m:02}-{d:02})")
            }
            NoPeriod::AfterToday { today } => write!(
                f,
                "it is after today ({today}); a report covers only days that have come"
            ),
            NoPeriod::NoneYet { today } => write!(
                f,
                "today ({today}) is before the ordinance passed ({y}-{m:02}-{d:02}), so no period has begun (is the clock right?)"
            ),
        }
    }
}

impl std::error::Error for NoPeriod {}

impl Period {
    /// Period `n` (1-based); `None` for 0 or past the calendar's end (the
    /// last is period 15,959, ending 9999-08-09). Never overflows.
    pub fn nth(n: u32) -> Option<Period> {
        let from = start(n)?;
        let until = start(n.checked_add(1)?)?.pred();
        Some(Period {
            number: n,
            from,
            until,
        })
    }

    /// The period containing `day`; `None` before passage, and for the
    /// last days of 9999 (whose period ends past the calendar).
    pub fn containing(day: Date) -> Option<Period> {
        let first = start(1)?;
        if day < first {
            return None;
        }
        let (y, m, d) = day.ymd();
        let months = (y - PASSAGE.0) * 12 + (m - PASSAGE.1) - i32::from(d < PASSAGE.2);
        Period::nth(u32::try_from(months / 6 + 1).ok()?)
    }

    /// Period `n` if it has begun by `today`: the periods that exist are
    /// the first through the one containing today.
    pub fn nth_as_of(n: u32, today: Date) -> Result<Period, NoPeriod> {
        if n == 0 {
            return Err(NoPeriod::Zero);
        }
        let last = Period::containing(today).ok_or(NoPeriod::NoneYet { today })?;
        if n > last.number {
            return Err(NoPeriod::NotBegun { last, today });
        }
        Period::nth(n).ok_or(NoPeriod::NotBegun { last, today })
    }

    /// The period containing `day`, a day from passage through `today`.
    pub fn containing_as_of(day: Date, today: Date) -> Result<Period, NoPeriod> {
        if day > today {
            return Err(NoPeriod::AfterToday { today });
        }
        match Period::containing(day) {
            Some(p) => Ok(p),
            None if Period::containing(today).is_none() => Err(NoPeriod::NoneYet { today }),
            None => Err(NoPeriod::BeforePassage),
        }
    }

    /// Every period from the first through the one containing `day`.
    pub fn through(day: Date) -> Vec<Period> {
        let last = Period::containing(day).map_or(0, |p| p.number);
        (1..=last).filter_map(Period::nth).collect()
    }

    /// Whether `day` is in the period.
    pub fn contains(&self, day: Date) -> bool {
        self.from <= day && day <= self.until
    }

    /// The UTC instants (ms) the period spans: from local midnight of its
    /// first day to local midnight after its last, in Cambridge's time.
    pub fn utc_ms(&self) -> (i64, i64) {
        (
            local_midnight_utc_ms(self.from),
            local_midnight_utc_ms(self.until.succ()),
        )
    }
}

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// The date in Cambridge (America/New_York) at a UTC instant. US rules since
/// 2007: daylight time from 2:00 on the second Sunday of March to 2:00 on the
/// first Sunday of November.
pub fn local_date(utc_ms: i64) -> Date {
    let offset = if in_daylight_time(utc_ms) { -4 } else { -5 };
    let local = utc_ms + offset * HOUR;
    Date::from_unix_days(i32::try_from(local.div_euclid(DAY)).unwrap_or(i32::MAX))
}

/// A UTC instant as a person in Cambridge reads it: `2026-03-01 09:30 EST`
/// (to the minute, with the zone's abbreviation, so it is never mistaken
/// for UTC). Every staff page shows times this way.
pub fn local_time_text(utc_ms: i64) -> String {
    let daylight = in_daylight_time(utc_ms);
    let local = utc_ms + if daylight { -4 } else { -5 } * HOUR;
    let day = Date::from_unix_days(i32::try_from(local.div_euclid(DAY)).unwrap_or(i32::MAX));
    let minutes = local.rem_euclid(DAY) / 60_000;
    format!(
        "{day} {:02}:{:02} {}",
        minutes / 60,
        minutes % 60,
        if daylight { "EDT" } else { "EST" }
    )
}

fn in_daylight_time(utc_ms: i64) -> bool {
    // The UTC year is the local year except in the hours around New Year,
    // far from either switch.
    let (y, _, _) = Date::from_unix_days(i32::try_from(utc_ms.div_euclid(DAY)).unwrap_or(0)).ymd();
    let (Some(march), Some(november)) = (nth_sunday(y, 3, 2), nth_sunday(y, 11, 1)) else {
        return false;
    };
    // 2:00 EST = 07:00 UTC; 2:00 EDT = 06:00 UTC.
    let begins = i64::from(march.unix_days()) * DAY + 7 * HOUR;
    let ends = i64::from(november.unix_days()) * DAY + 6 * HOUR;
    (begins..ends).contains(&utc_ms)
}

fn nth_sunday(y: i32, m: i32, n: i32) -> Option<Date> {
    let first = Date::from_ymd(y, m, 1)?;
    // 1970-01-01 was a Thursday: weekday 0 = Sunday.
    let weekday = (first.unix_days() + 4).rem_euclid(7);
    Date::from_ymd(y, m, 1 + (7 - weekday) % 7 + 7 * (n - 1))
}

/// The UTC instant (ms) of a wall-clock time in Cambridge: `minutes` after
/// local midnight of `day`. In the hour skipped in March the standard-time
/// reading is taken; in the hour repeated in November, the first.
pub fn local_to_utc_ms(day: Date, minutes: i64) -> i64 {
    let wall = i64::from(day.unix_days()) * DAY + minutes * 60_000;
    let daylight = wall + 4 * HOUR;
    if in_daylight_time(daylight) {
        daylight
    } else {
        wall + 5 * HOUR
    }
}

/// The UTC instant of local midnight starting `day`.
fn local_midnight_utc_ms(day: Date) -> i64 {
    let midnight_utc = i64::from(day.unix_days()) * DAY;
    // Midnight is never inside a switch hour (switches are at 2:00), so the
    // offset at that midnight is the offset five hours later in UTC.
    let standard = midnight_utc + 5 * HOUR;
    if in_daylight_time(standard - HOUR) {
        midnight_utc + 4 * HOUR
    } else {
        standard
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn times_read_in_cambridge_with_their_zone() {
        // 09:30 EST is 14:30 UTC; in July 09:30 EDT is 13:30 UTC.
        assert_eq!(
            local_time_text(local_to_utc_ms(d("2026-03-01"), 9 * 60 + 30)),
            "2026-03-01 09:30 EST"
        );
        assert_eq!(
            local_time_text(local_to_utc_ms(d("2026-07-04"), 9 * 60 + 30)),
            "2026-07-04 09:30 EDT"
        );
        // Late evening in Cambridge is the next day in UTC: the local day shows.
        assert_eq!(
            local_time_text(local_to_utc_ms(d("2026-12-31"), 23 * 60 + 59)),
            "2026-12-31 23:59 EST"
        );
        // Either side of the March switch (2:00 EST becomes 3:00 EDT).
        let switch = local_to_utc_ms(d("2026-03-08"), 2 * 60);
        assert_eq!(local_time_text(switch - 60_000), "2026-03-08 01:59 EST");
        assert_eq!(local_time_text(switch), "2026-03-08 03:00 EDT");
    }

    #[test]
    fn periods_run_from_the_tenth_to_the_ninth() {
        let p1 = Period::nth(1).unwrap();
        assert_eq!((p1.from, p1.until), (d("2020-02-10"), d("2020-08-09")));
        let p2 = Period::nth(2).unwrap();
        assert_eq!((p2.from, p2.until), (d("2020-08-10"), d("2021-02-09")));
        let p14 = Period::nth(14).unwrap();
        assert_eq!((p14.from, p14.until), (d("2026-08-10"), d("2027-02-09")));
        assert_eq!(Period::nth(0), None);
        for (day, n) in [
            ("2020-02-10", 1),
            ("2020-08-09", 1),
            ("2020-08-10", 2),
            ("2021-02-09", 2),
            ("2026-11-22", 14),
            ("2026-02-10", 13),
            ("2026-02-09", 12),
        ] {
            assert_eq!(Period::containing(d(day)).unwrap().number, n, "{day}");
        }
        assert_eq!(Period::containing(d("2020-02-09")), None);
        assert_eq!(Period::through(d("2026-11-22")).len(), 14);
        assert!(Period::through(d("2019-12-31")).is_empty());
    }

    #[test]
    fn every_day_is_in_exactly_one_period_and_periods_meet() {
        let mut prev = Period::nth(1).unwrap();
        for n in 2..200 {
            let p = Period::nth(n).unwrap();
            assert_eq!(prev.until.succ(), p.from);
            prev = p;
        }
        let mut day = d("2020-02-10");
        while day < d("2031-01-01") {
            let p = Period::containing(day).unwrap();
            assert!(p.contains(day), "{day}");
            day = day.succ();
        }
    }

    /// Period numbers come from the command line and from URLs: any `u32`
    /// gives a period or `None`, never an overflow. The calendar ends in
    /// 9999, so the last period is the one that ends in it.
    #[test]
    fn no_period_number_overflows() {
        let last = Period::nth(15_959).unwrap();
        assert_eq!((last.from, last.until), (d("9999-02-10"), d("9999-08-09")));
        for n in [
            0,
            15_960,
            357_913_942, // 6 × (n - 1) no longer fits an i32
            400_000_000,
            u32::try_from(i32::MAX).unwrap(),
            u32::MAX - 1,
            u32::MAX,
        ] {
            assert_eq!(Period::nth(n), None, "{n}");
        }
        for n in (1..=u32::MAX).step_by(65_521) {
            assert_eq!(Period::nth(n).is_some(), n <= 15_959, "{n}");
        }
        assert_eq!(Period::containing(d("9999-08-09")), Some(last));
    }

    #[test]
    fn only_periods_that_have_begun_exist() {
        let today = d("2026-12-03");
        let p14 = Period::nth(14).unwrap();
        assert_eq!(Period::nth_as_of(14, today), Ok(p14));
        assert_eq!(
            Period::nth_as_of(1, today),
            Period::nth(1).ok_or(NoPeriod::Zero)
        );
        for n in [15, 9999, 357_913_943, u32::MAX] {
            let refused = Period::nth_as_of(n, today).unwrap_err();
            assert_eq!(refused, NoPeriod::NotBegun { last: p14, today }, "{n}");
            assert_eq!(
                refused.to_string(),
                "it has not begun; the last period is 14 (2026-08-10 to 2027-02-09), the one containing today (2026-12-03)"
            );
        }
        assert_eq!(Period::nth_as_of(0, today), Err(NoPeriod::Zero));
        assert_eq!(Period::containing_as_of(today, today), Ok(p14));
        assert_eq!(
            Period::containing_as_of(d("2020-02-10"), today),
            Period::nth(1).ok_or(NoPeriod::Zero)
        );
        for day in ["2026-12-04", "9999-08-09", "9999-12-31"] {
            assert_eq!(
                Period::containing_as_of(d(day), today),
                Err(NoPeriod::AfterToday { today }),
                "{day}"
            );
        }
        assert_eq!(
            Period::containing_as_of(d("2020-02-09"), today),
            Err(NoPeriod::BeforePassage)
        );
        let wrong_clock = d("2019-01-01");
        assert_eq!(
            Period::nth_as_of(1, wrong_clock),
            Err(NoPeriod::NoneYet { today: wrong_clock })
        );
        assert_eq!(
            Period::containing_as_of(wrong_clock, wrong_clock),
            Err(NoPeriod::NoneYet { today: wrong_clock })
        );
    }

    /// Instants from `TZ=America/New_York date -d "2026-11-02 00:00:00" +%s`.
    #[test]
    fn local_dates_follow_daylight_time() {
        for (utc_s, local) in [
            (1_772_341_199i64, "2026-02-28"), // 2026-03-01 00:00 EST, less a second
            (1_772_341_200, "2026-03-01"),    // 2026-03-01 00:00 EST
            (1_772_953_199, "2026-03-08"),    // 01:59:59 EST, the spring switch
            (1_772_953_200, "2026-03-08"),    // 03:00:00 EDT, a second later
            (1_781_150_399, "2026-06-10"),    // 2026-06-11 00:00 EDT, less a second
            (1_781_150_400, "2026-06-11"),
            (1_793_509_199, "2026-11-01"), // 00:59:59 EDT, before the autumn switch
            (1_793_595_599, "2026-11-01"), // 2026-11-02 00:00 EST, less a second
            (1_793_595_600, "2026-11-02"),
        ] {
            assert_eq!(local_date(utc_s * 1000), d(local), "{utc_s}");
        }
        let p = Period::containing(d("2026-11-22")).unwrap();
        let (from, until) = p.utc_ms();
        // 2026-08-10 00:00 EDT and 2027-02-10 00:00 EST.
        assert_eq!(from, 1_786_334_400_000);
        assert_eq!(until, 1_802_235_600_000);
        assert_eq!(local_date(from), p.from);
        assert_eq!(local_date(from - 1), p.from.pred());
        assert_eq!(local_date(until - 1), p.until);
    }

    /// Wall-clock times in Cambridge to UTC, checked against
    /// `TZ=America/New_York date -d "2026-03-01 09:30" +%s`.
    #[test]
    fn wall_clock_times_become_utc() {
        for (day, minutes, utc_s) in [
            ("2026-03-01", 9 * 60 + 30, 1_772_375_400i64),
            ("2026-06-11", 0, 1_781_150_400),
            ("2026-03-08", 3 * 60, 1_772_953_200),
            ("2026-11-01", 60 + 30, 1_793_511_000), // the first 01:30 (EDT)
            ("2026-11-01", 3 * 60, 1_793_520_000),
        ] {
            assert_eq!(
                local_to_utc_ms(d(day), minutes),
                utc_s * 1000,
                "{day} +{minutes}"
            );
        }
    }
}
