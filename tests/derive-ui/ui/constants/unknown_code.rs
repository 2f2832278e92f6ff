//! A coded value the spec does not list, which would be sent as "99" on every request.

use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(
    crate = wecard_derive_ui::wecard,
    identity_type = "学生",
    identity_title = "本科生",
    organization = "信息学院",
    card_type = 99
)]
struct Student {
    card_number: String,
    name: String,
}

fn main() {}
