//! The generated module is `crate::wecard` by default; `crate = path` (or `"path"`) names another.

use wecard_macros::WecardUser;

/// Where a crate that generates the API in its build script would put it.
mod wecard {
    pub use wecard_derive_ui::wecard::*;
}

mod api {
    pub use wecard_derive_ui::wecard::*;
}

#[derive(WecardUser)]
#[wecard(identity_type = "学生", identity_title = "本科生", organization = "信息学院")]
struct Student {
    card_number: String,
    name: String,
}

#[derive(WecardUser)]
#[wecard(crate = "self::api", identity_type = "教职工", identity_title = "讲师")]
struct Teacher {
    card_number: String,
    name: String,
    #[wecard(write_only)]
    organization: String,
}

fn main() {
    use wecard::WecardUser as _;
    let student = Student { card_number: "1".into(), name: "张三".into() };
    assert_eq!(student.to_create_request().expect("valid").organization, "信息学院");
    let teacher = Teacher { card_number: "2".into(), name: "李四".into(), organization: "数学系".into() };
    assert_eq!(teacher.to_create_request().expect("valid").identity_type, "教职工");
    assert_eq!(Teacher::WECARD_FIELDS, ["card_number", "name", "organization", "identity_type", "identity_title"]);
}
