//! `crate = path` names a module that does not exist: one error, at the attribute's path.

use wecard_macros::WecardUser;

mod api {
    pub use wecard_derive_ui::wecard::*;
}

#[derive(WecardUser)]
#[wecard(crate = self::apí, identity_type = "学生", identity_title = "本科生", organization = "信息学院")]
struct Student {
    card_number: String,
    name: String,
}

#[derive(WecardUser)]
#[wecard(crate = "crate::wecard", identity_type = "教职工", identity_title = "讲师")]
struct Teacher {
    card_number: String,
    name: String,
    #[wecard(write_only)]
    organization: String,
}

fn main() {}
