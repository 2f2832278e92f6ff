//! A required field's constant is empty: every instance would be refused.

use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(
    crate = wecard_derive_ui::wecard,
    identity_type = "学生",
    identity_title = "",
    organization = "信息学院"
)]
struct Student {
    card_number: String,
    name: String,
}

fn main() {}
