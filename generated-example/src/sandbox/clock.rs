//! The sandbox's clock: the system clock, or a time a test set, moved by a test at will. Token
//! expiry and the update-record journal read it, so a test can expire tokens or pick the day of
//! its journal without waiting.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::calendar::civil_from_days;
use crate::wecard::DateTime;

/// Beijing time (the API's assumed zone) is UTC+8.
const BEIJING_OFFSET_SECONDS: i64 = 8 * 3600;

/// The sandbox's notion of now, in milliseconds since the Unix epoch.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// A time fixed by a test (milliseconds), instead of the system clock.
    fixed: Option<i64>,
    /// Added to the base time (milliseconds).
    offset: i64,
}

impl Clock {
    /// Now, in milliseconds since the Unix epoch.
    pub fn now_millis(&self) -> i64 {
        let base = self.fixed.unwrap_or_else(system_millis);
        base.saturating_add(self.offset)
    }

    /// Now, as a WeCard datetime in Beijing time (`None` only for a clock moved beyond the year
    /// 65535).
    pub fn now(&self) -> Option<DateTime> {
        datetime_from_millis(self.now_millis())
    }

    /// Moves the clock forward.
    pub fn advance(&mut self, by: Duration) {
        let millis = i64::try_from(by.as_millis()).unwrap_or(i64::MAX);
        self.offset = self.offset.saturating_add(millis);
    }

    /// Stops the clock at `at` (Beijing time); [`advance`](Self::advance) still moves it.
    pub fn set(&mut self, at: DateTime) {
        self.fixed = Some(millis_from_datetime(at));
        self.offset = 0;
    }

    /// Follows the system clock again.
    pub fn reset(&mut self) {
        self.fixed = None;
        self.offset = 0;
    }
}

fn system_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
        })
}

/// The Beijing-time datetime of an instant (milliseconds since the Unix epoch); `None` only
/// outside the years 0–65535.
pub fn datetime_from_millis(millis: i64) -> Option<DateTime> {
    let seconds = millis.div_euclid(1000) + BEIJING_OFFSET_SECONDS;
    let days = seconds.div_euclid(86_400);
    let of_day = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let part = |value: i64| u8::try_from(value).ok();
    DateTime::new(
        u16::try_from(year).ok()?,
        month,
        day,
        part(of_day / 3600)?,
        part(of_day % 3600 / 60)?,
        part(of_day % 60)?,
    )
}

/// The instant (milliseconds since the Unix epoch) of a Beijing-time datetime.
pub fn millis_from_datetime(at: DateTime) -> i64 {
    let days = days_from_civil(i64::from(at.year()), at.month(), at.day());
    let seconds = days * 86_400
        + i64::from(at.hour()) * 3600
        + i64::from(at.minute()) * 60
        + i64::from(at.second())
        - BEIJING_OFFSET_SECONDS;
    seconds * 1000
}

/// Midnight (Beijing time) of the day of `at`.
pub fn start_of_day(at: DateTime) -> DateTime {
    DateTime::new(at.year(), at.month(), at.day(), 0, 0, 0).unwrap_or(at)
}

/// 23:59:59 (Beijing time) of the day of `at`.
pub fn end_of_day(at: DateTime) -> DateTime {
    DateTime::new(at.year(), at.month(), at.day(), 23, 59, 59).unwrap_or(at)
}

/// Whether two datetimes fall on the same day.
pub fn same_day(a: DateTime, b: DateTime) -> bool {
    (a.year(), a.month(), a.day()) == (b.year(), b.month(), b.day())
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u8, day: u8) -> i64 {
    let month = i64::from(month);
    let day = i64::from(day);
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_beijing_time() {
        let at = DateTime::parse("2024-02-29 23:59:58").unwrap();
        assert_eq!(datetime_from_millis(millis_from_datetime(at)), Some(at));
        assert_eq!(
            datetime_from_millis(0).unwrap().to_string(),
            "1970-01-01 08:00:00"
        );
    }

    #[test]
    fn a_fixed_clock_advances_only_when_told() {
        let mut clock = Clock::default();
        clock.set(DateTime::parse("2024-05-01 10:00:00").unwrap());
        clock.advance(Duration::from_secs(61));
        assert_eq!(clock.now().unwrap().to_string(), "2024-05-01 10:01:01");
    }
}
