//! `#[wecard(with = module)]` converts a type of the school's own both ways.

use wecard_derive_ui::wecard::{DateTime, WecardUser as _};
use wecard_macros::WecardUser;

/// The school's own date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Date {
    year: u16,
    month: u8,
    day: u8,
}

mod end_of_day {
    use super::{Date, DateTime};

    pub fn to_wecard(date: &Date) -> DateTime {
        DateTime::new(date.year, date.month, date.day, 23, 59, 59).expect("a real date")
    }

    pub fn from_wecard(wire: &DateTime) -> Result<Date, std::convert::Infallible> {
        Ok(Date { year: wire.year(), month: wire.month(), day: wire.day() })
    }
}

#[derive(WecardUser)]
#[wecard(
    crate = wecard_derive_ui::wecard,
    identity_type = "学生",
    identity_title = "本科生",
    organization = "信息学院"
)]
struct Student {
    card_number: String,
    name: String,
    #[wecard(with = end_of_day)]
    expire_at: Option<Date>,
    /// Only a member has it: read, never sent.
    #[wecard(start_at, with = end_of_day)]
    valid_from: Option<Date>,
}

fn main() {
    let date = Date { year: 2028, month: 7, day: 1 };
    let student = Student {
        card_number: "1".into(),
        name: "张三".into(),
        expire_at: Some(date),
        valid_from: None,
    };
    let request = student.to_create_request().expect("valid");
    assert_eq!(request.expire_at.map(|t| t.to_string()).as_deref(), Some("2028-07-01 23:59:59"));
    assert_eq!(student.valid_from, None);
}
