//! A constant longer than its field allows.

use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(
    crate = wecard_derive_ui::wecard,
    card_number = "202100100120210010012021001001999",
    identity_type = "学生",
    identity_title = "本科生",
    organization = "信息学院"
)]
struct Student {
    name: String,
}

fn main() {}
