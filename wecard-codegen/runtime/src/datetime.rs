//! The API's datetime: `YYYY-MM-DD HH:MM:SS`, no zone.

use std::borrow::Cow;
use std::fmt;

use super::formats;

/// A WeCard datetime: `YYYY-MM-DD HH:MM:SS`, with no time zone (the API assumes Beijing time).
///
/// Reading is lenient (`2020-11-1 0:00:00` is accepted, as one of Tencent's examples writes it);
/// writing is always zero-padded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
}

impl DateTime {
    /// A datetime from its parts, if they name a real date and time.
    pub fn new(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Option<Self> {
        let valid =
            formats::is_real_date(year, month, day) && hour < 24 && minute < 60 && second < 60;
        valid.then_some(Self {
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
    }

    /// Parses `YYYY-MM-DD HH:MM:SS`, accepting one-digit parts after the year.
    pub fn parse(text: &str) -> Option<Self> {
        let (year, month, day, hour, minute, second) = formats::datetime_parts(text, true)?;
        Some(Self {
            year,
            month,
            day,
            hour,
            minute,
            second,
        })
    }

    /// The year.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, 1–31.
    pub fn day(&self) -> u8 {
        self.day
    }

    /// The hour, 0–23.
    pub fn hour(&self) -> u8 {
        self.hour
    }

    /// The minute, 0–59.
    pub fn minute(&self) -> u8 {
        self.minute
    }

    /// The second, 0–59.
    pub fn second(&self) -> u8 {
        self.second
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

impl std::str::FromStr for DateTime {
    type Err = InvalidDateTime;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::parse(text).ok_or(InvalidDateTime)
    }
}

/// The text was not a `YYYY-MM-DD HH:MM:SS` datetime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidDateTime;

impl fmt::Display for InvalidDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("expected a datetime written YYYY-MM-DD HH:MM:SS")
    }
}

impl std::error::Error for InvalidDateTime {}

impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        Self::parse(&text).ok_or_else(|| {
            serde::de::Error::invalid_value(
                serde::de::Unexpected::Str(&text),
                &"a datetime YYYY-MM-DD HH:MM:SS",
            )
        })
    }
}
