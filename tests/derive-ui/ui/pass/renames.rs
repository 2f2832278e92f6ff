//! Same-name fields map implicitly; `#[wecard(name)]` and `rename = "…"` map other names.

use wecard_derive_ui::wecard::WecardUser as _;
use wecard_macros::WecardUser;

#[derive(WecardUser)]
#[wecard(crate = wecard_derive_ui::wecard)]
struct Student {
    #[wecard(card_number)]
    student_id: String,
    name: String,
    #[wecard(identity_type)]
    kind: String,
    #[wecard(rename = "identity_title")]
    title: String,
    #[wecard(write_only)]
    organization: String,
    #[wecard(class)]
    class_name: Option<String>,
    #[wecard(skip)]
    internal_id: u64,
}

fn main() {
    let student = Student {
        student_id: "2024001".into(),
        name: "张三".into(),
        kind: "学生".into(),
        title: "本科生".into(),
        organization: "信息学院/软件工程".into(),
        class_name: Some("软件1班".into()),
        internal_id: 7,
    };
    let request = student.to_create_request().expect("valid");
    assert_eq!(request.card_number, "2024001");
    assert_eq!(request.identity_title, "本科生");
    assert_eq!(request.class.as_deref(), Some("软件1班"));
    assert_eq!(Student::struct_field("class"), Some("class_name"));
    assert_eq!(student.internal_id, 7);
}
