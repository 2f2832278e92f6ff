//! Container-level values fill WeCard fields the struct does not hold, for every instance.

use wecard_derive_ui::wecard::{CardType, WecardUser as _};
use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(
    crate = wecard_derive_ui::wecard,
    identity_type = "学生",
    identity_title = "本科生",
    organization = "信息学院/软件工程",
    card_type = 1,
    register_year = 2024,
    school_period = "本科"
)]
struct Student {
    card_number: String,
    name: String,
}

fn main() {
    let student = Student { card_number: "1".into(), name: "张三".into() };
    let request = student.to_create_request().expect("valid");
    assert_eq!(request.identity_type, "学生");
    assert_eq!(request.card_type, Some(CardType::IdCard));
    assert_eq!(request.register_year, Some(2024));
    assert_eq!(request.school_period.as_deref(), Some("本科"));
    assert_eq!(Student::FIELD_MAP, [("card_number", "card_number"), ("name", "name")]);
    assert_eq!(Student::struct_field("identity_type"), None);
}
