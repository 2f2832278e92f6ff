//! No generated module at the default `crate::wecard`: one error, at the derive.

use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(identity_type = "学生", identity_title = "本科生", organization = "信息学院")]
struct Student {
    card_number: String,
    name: String,
}

fn main() {}
