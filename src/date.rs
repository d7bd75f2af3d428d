//! Publication dates: a calendar day, read from the input only when the caller gives one.
//!
//! A wire editor does not call two articles published a month apart the same event, however
//! many names they share. lintas never needs a date (the analysis reads none from metadata),
//! but a caller who has one can give it ([`Corpus::set_published`](crate::Corpus::set_published),
//! [`Document::with_published`](crate::Document::with_published), `dedup --date-field`), and
//! then a pair published more than
//! [`CorpusBuilder::max_days_apart`](crate::CorpusBuilder::max_days_apart) days apart is not
//! reported.

use crate::{Error, Result};
use std::fmt;
use std::str::FromStr;

/// A calendar day (proleptic Gregorian, years 1 to 9999), as the publisher wrote it: a
/// timestamp's time of day and offset are not read, so `2026-02-09T23:30:00-05:00` is
/// 9 February.
///
/// ```
/// use lintas::Date;
/// let a: Date = "2026-02-09".parse()?;
/// let b = Date::parse("2026-03-01T08:00:00Z")?;
/// assert_eq!(a.days_between(b), 20);
/// assert_eq!(b.to_string(), "2026-03-01");
/// assert_eq!(Date::from_ymd(2026, 2, 9), Some(a));
/// assert!(Date::parse("2026-02-30").is_err());
/// # Ok::<(), lintas::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Days since 1970-01-01 (negative before).
    days: i32,
}

impl Date {
    /// The day `year-month-day`; `None` when there is no such day or the year is outside
    /// 1..=9999.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let len = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if day > len {
            return None;
        }
        // Days from civil (H. Hinnant's algorithm): years start in March, so the leap day
        // is the last of its year.
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400) as u32;
        let mp = (month + 9) % 12;
        let doy = (153 * mp + 2) / 5 + day - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Date {
            days: era * 146_097 + doe as i32 - 719_468,
        })
    }

    /// The day `days` after 1970-01-01 (before it when negative); `None` outside the years
    /// 1..=9999.
    pub fn from_days_since_epoch(days: i32) -> Option<Date> {
        let d = Date { days };
        (Date::MIN..=Date::MAX).contains(&d).then_some(d)
    }

    /// The first day this type holds, 0001-01-01.
    pub const MIN: Date = Date { days: -719_162 };
    /// The last day this type holds, 9999-12-31.
    pub const MAX: Date = Date { days: 2_932_896 };

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i32 {
        self.days
    }

    /// How many days apart two days are, whichever comes first.
    pub fn days_between(self, other: Date) -> u32 {
        self.days.abs_diff(other.days)
    }

    /// `(year, month, day)`.
    pub fn ymd(self) -> (i32, u32, u32) {
        // Civil from days (H. Hinnant's algorithm), the inverse of `from_ymd`.
        let z = self.days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097) as u32;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe as i32 + era * 400 + i32::from(month <= 2);
        (year, month, day)
    }

    /// Reads `YYYY-MM-DD`, alone or opening an ISO 8601 / RFC 3339 timestamp
    /// (`2026-02-09T14:05:00+07:00`, `2026-02-09 14:05`): the date as written, whatever
    /// follows a `T` or a space after it. Surrounding whitespace is ignored.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] (`published`) for anything else: another layout, a day
    /// that does not exist, a year outside 1..=9999.
    pub fn parse(s: &str) -> Result<Date> {
        let bad = |reason| Error::InvalidParameter {
            name: "published",
            value: format!("{s:?}"),
            reason,
        };
        let t = s.trim();
        let b = t.as_bytes();
        let layout = "a date as YYYY-MM-DD, alone or opening a timestamp";
        if b.len() < 10
            || b[4] != b'-'
            || b[7] != b'-'
            || (b.len() > 10 && b[10] != b'T' && b[10] != b't' && b[10] != b' ')
        {
            return Err(bad(layout));
        }
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            b[r].iter().try_fold(0u32, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        };
        let (Some(y), Some(m), Some(d)) = (digits(0..4), digits(5..7), digits(8..10)) else {
            return Err(bad(layout));
        };
        Date::from_ymd(y as i32, m, d).ok_or_else(|| bad("no such day (years 1 to 9999)"))
    }
}

impl FromStr for Date {
    type Err = Error;

    fn from_str(s: &str) -> Result<Date> {
        Date::parse(s)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(Date::from_ymd(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(
            Date::from_ymd(2000, 3, 1).unwrap().days_since_epoch(),
            11_017
        );
        assert_eq!(Date::from_ymd(1969, 12, 31).unwrap().days_since_epoch(), -1);
        assert_eq!(Date::from_ymd(1, 1, 1), Some(Date::MIN));
        assert_eq!(Date::from_ymd(9999, 12, 31), Some(Date::MAX));
        assert_eq!(
            Date::from_ymd(2024, 2, 29).unwrap().to_string(),
            "2024-02-29"
        );
    }

    #[test]
    fn every_day_round_trips() {
        // Every day of the range, through both conversions and the text form.
        let mut prev: Option<Date> = None;
        for y in 1..=9999 {
            for m in 1..=12 {
                for d in 1..=31 {
                    let Some(x) = Date::from_ymd(y, m, d) else {
                        continue;
                    };
                    assert_eq!(x.ymd(), (y, m, d));
                    if let Some(p) = prev {
                        assert_eq!(x.days_since_epoch(), p.days_since_epoch() + 1, "{x}");
                    }
                    prev = Some(x);
                }
            }
        }
        assert_eq!(prev, Some(Date::MAX));
        for s in [
            "0001-01-01",
            "1900-02-28",
            "2000-02-29",
            "2026-12-05",
            "9999-12-31",
        ] {
            assert_eq!(Date::parse(s).unwrap().to_string(), s);
        }
    }

    #[test]
    fn impossible_days_are_none() {
        for (y, m, d) in [
            (2023, 2, 29),
            (1900, 2, 29),
            (2026, 4, 31),
            (2026, 13, 1),
            (2026, 0, 1),
            (2026, 1, 0),
            (0, 1, 1),
            (10_000, 1, 1),
            (-5, 1, 1),
        ] {
            assert_eq!(Date::from_ymd(y, m, d), None, "{y}-{m}-{d}");
        }
        assert_eq!(Date::from_days_since_epoch(0), Date::from_ymd(1970, 1, 1));
        assert_eq!(Date::from_days_since_epoch(i32::MIN), None);
        assert_eq!(Date::from_days_since_epoch(i32::MAX), None);
    }

    #[test]
    fn timestamps_give_the_written_day() {
        for s in [
            "2026-02-09",
            " 2026-02-09 ",
            "2026-02-09T23:30:00-05:00",
            "2026-02-09t01:00Z",
            "2026-02-09 14:05",
            "2026-02-09T",
        ] {
            assert_eq!(
                Date::parse(s).unwrap(),
                Date::from_ymd(2026, 2, 9).unwrap(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn other_layouts_are_errors() {
        for s in [
            "",
            "2026",
            "2026-2-9",
            "09-02-2026",
            "2026/02/09",
            "2026-02-09x",
            "2026-02-3O",
            "+026-02-09",
            "２０２６-02-09",
            "2026-02-30",
            "0000-01-01",
            "2026-02-0\u{e9}",
        ] {
            let e = Date::parse(s).unwrap_err();
            assert!(
                matches!(
                    e,
                    Error::InvalidParameter {
                        name: "published",
                        ..
                    }
                ),
                "{s:?}: {e}"
            );
        }
    }

    #[test]
    fn days_between_is_symmetric() {
        let a = Date::from_ymd(2019, 12, 30).unwrap();
        let b = Date::from_ymd(2020, 1, 2).unwrap();
        assert_eq!(a.days_between(b), 3);
        assert_eq!(b.days_between(a), 3);
        assert_eq!(Date::MIN.days_between(Date::MAX), 3_652_058);
    }
}
