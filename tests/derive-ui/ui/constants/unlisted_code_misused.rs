//! `allow_unlisted_code(...)` names only coded fields that have a constant on the struct.

use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(
    crate = wecard_derive_ui::wecard,
    identity_type = "学生",
    identity_title = "本科生",
    organization = "信息学院",
    allow_unlisted_code(card_type, identity_title)
)]
struct Student {
    card_number: String,
    name: String,
}

#[derive(WecardUser)]
#[wecard(
    crate = wecard_derive_ui::wecard,
    identity_type = "学生",
    identity_title = "本科生",
    organization = "信息学院",
    allow_unlisted_code
)]
struct Teacher {
    card_number: String,
    name: String,
}

fn main() {}
