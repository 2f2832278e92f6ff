//! A constant that breaks its field's format: a head image that is neither a URL nor a path.

use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(
    crate = wecard_derive_ui::wecard,
    identity_type = "学生",
    identity_title = "本科生",
    organization = "信息学院/软件1班",
    head_image = "xx.png"
)]
struct Student {
    card_number: String,
    name: String,
}

fn main() {}
