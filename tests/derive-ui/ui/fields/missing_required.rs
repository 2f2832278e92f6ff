use wecard_derive_ui::wecard::WecardUser as _;
use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(crate = wecard_derive_ui::wecard, identity_type = "学生")]
struct Student {
    card_number: String,
    name: String,
}

fn main() {
    // The derive's fallback impl keeps these from adding errors of their own.
    let student = Student { card_number: "1".into(), name: "张三".into() };
    let _ = student.to_create_request();
}
