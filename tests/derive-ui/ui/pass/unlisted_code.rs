//! `allow_unlisted_code(card_type)`: a code the spec's open `CardType` does not list is sent as
//! written, because the user says WeCard accepts it.

use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(
    crate = wecard_derive_ui::wecard,
    identity_type = "学生",
    identity_title = "本科生",
    organization = "信息学院",
    card_type = 2,
    allow_unlisted_code(card_type)
)]
struct Student {
    card_number: String,
    name: String,
}

fn main() {
    use wecard_derive_ui::wecard::{CardType, WecardUser as _};
    let student = Student { card_number: "1".into(), name: "张三".into() };
    let request = student.to_create_request().expect("an unlisted code of an open enum is valid");
    assert_eq!(request.card_type, Some(CardType::Unknown(2)));
    let json = serde_json::to_value(&request).expect("serializes");
    assert_eq!(json["card_type"], "2");
}
