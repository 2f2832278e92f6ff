//! `#[derive(WecardUser)]` at run time: a school's own struct becomes a validated create request
//! with the JSON the API expects, invalid values are reported with both field names, and a
//! member from a real search reply converts back (or says which 需申请 field it lacks).

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use generated_example::wecard::{
    self, DateTime, FromMemberError, Gender, IdentityClass, Member, SearchUsersResponse,
    ValidationLevel, WecardUser,
};
use serde_json::json;
use wecard_macros::WecardUser;

/// The school's own coding of sex, converted with `#[wecard(with = sex)]`: sent as the text the
/// create request takes, read from the `Gender` code of a member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sex {
    Female,
    Male,
}

mod sex {
    use super::Sex;
    use generated_example::wecard::Gender;

    pub fn to_wecard(sex: &Sex) -> String {
        match sex {
            Sex::Female => "女".into(),
            Sex::Male => "男".into(),
        }
    }

    pub fn from_wecard(wire: &Gender) -> Result<Sex, String> {
        match wire {
            Gender::Female => Ok(Sex::Female),
            Gender::Male => Ok(Sex::Male),
            other => Err(format!(
                "gender code {} is neither male nor female",
                other.code()
            )),
        }
    }
}

/// A student as a school keeps one.
#[derive(Debug, Clone, PartialEq, WecardUser)]
#[wecard(
    crate = generated_example::wecard,
    identity_type = "学生",
    identity_title = "本科生"
)]
struct Student {
    #[wecard(card_number)]
    student_id: String,
    name: String,
    #[wecard(with = sex)]
    gender: Option<Sex>,
    /// A path of names when sent; org ids when read back, so not read.
    #[wecard(write_only)]
    organization: String,
    grade: Option<String>,
    college: Option<String>,
    #[wecard(rename = "class")]
    class_name: Option<String>,
    email: Option<String>,
    telephone: Option<String>,
    /// Only the create request has it: read back as `None`. A `u16` widens into the `int`.
    register_year: Option<u16>,
    expire_at: Option<DateTime>,
    #[wecard(skip)]
    notes: Vec<String>,
}

fn student() -> Student {
    Student {
        student_id: "2024001".into(),
        name: "张三".into(),
        gender: Some(Sex::Male),
        organization: "信息学院/软件工程/2024级".into(),
        grade: Some("2024".into()),
        college: Some("信息科学与技术学院".into()),
        class_name: Some("软件1班".into()),
        email: Some("zhangsan@example.edu.cn".into()),
        telephone: None,
        register_year: Some(2024),
        expire_at: DateTime::new(2028, 7, 1, 0, 0, 0),
        notes: vec!["班长".into()],
    }
}

/// A member of the seed search reply (seed 001), with `edit` applied to its JSON first.
fn seed_member(edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>)) -> Member {
    let text =
        wecard_tests::strip_line_comments(&wecard_tests::data("seed_search_users_response.jsonc"));
    let mut reply: serde_json::Value = serde_json::from_str(&text).expect("seed reply is JSON");
    let member = reply["userlist"][0].as_object_mut().expect("a member");
    edit(member);
    let reply: SearchUsersResponse = serde_json::from_value(reply).expect("the reply reads");
    reply.userlist.expect("userlist").remove(0)
}

#[test]
fn a_student_becomes_a_valid_create_request_with_the_expected_json() {
    let request = student().to_create_request().expect("valid");
    assert!(request.validate_with(ValidationLevel::Strict).is_ok());
    assert_eq!(
        serde_json::to_value(&request).expect("serializes"),
        json!({
            "card_number": "2024001",
            "name": "张三",
            "gender": "男",
            "grade": "2024",
            "college": "信息科学与技术学院",
            "class": "软件1班",
            "identity_type": "学生",
            "identity_title": "本科生",
            "organization": "信息学院/软件工程/2024级",
            "email": "zhangsan@example.edu.cn",
            "expire_at": "2028-07-01 00:00:00",
            "register_year": "2024",
        })
    );
}

#[test]
fn the_trait_lists_mapped_and_grant_fields() {
    assert_eq!(
        Student::WECARD_FIELDS,
        [
            "card_number",
            "name",
            "gender",
            "organization",
            "grade",
            "college",
            "class",
            "email",
            "telephone",
            "register_year",
            "expire_at",
            "identity_type",
            "identity_title",
        ]
    );
    // organization is 需申请 in a member but write_only here, so it is not read.
    assert_eq!(
        Student::GRANT_FIELDS_READ,
        ["gender", "grade", "college", "class", "email", "telephone"]
    );
    assert_eq!(Student::struct_field("card_number"), Some("student_id"));
    assert_eq!(Student::struct_field("class"), Some("class_name"));
    assert_eq!(Student::struct_field("identity_type"), None);
}

#[test]
fn an_invalid_student_reports_every_problem_with_both_field_names() {
    let student = Student {
        student_id: "x".repeat(40),
        name: "  ".into(),
        organization: "信息学院//软件工程".into(),
        email: Some("not an e-mail".into()),
        telephone: Some("12345".into()),
        ..student()
    };
    let errors = student.to_create_request().expect_err("invalid");
    let found: Vec<(&str, Option<&str>, &str)> = errors
        .iter()
        .map(|e| (e.wecard_field, e.struct_field, e.error.rule))
        .collect();
    assert_eq!(
        found,
        [
            ("card_number", Some("student_id"), "length"),
            ("name", Some("name"), "required"),
        ]
    );
    let text = errors.to_string();
    assert!(
        text.starts_with(
            "field `student_id` (WeCard `card_number`): must be at most 32 characters long, not 40"
        ),
        "{text}"
    );
    // Strict validation adds the data-quality rules: the phone number, the organization path
    // and the e-mail address.
    let strict = student
        .to_create_request_with(ValidationLevel::Strict)
        .expect_err("invalid");
    let found: Vec<(&str, &str, ValidationLevel)> = strict
        .iter()
        .map(|e| (e.wecard_field, e.error.rule, e.error.level))
        .collect();
    assert_eq!(
        found,
        [
            ("card_number", "length", ValidationLevel::Default),
            ("name", "required", ValidationLevel::Default),
            ("telephone", "format", ValidationLevel::Strict),
            ("organization", "format", ValidationLevel::Strict),
            ("email", "format", ValidationLevel::Strict),
        ]
    );
}

#[test]
fn a_constant_that_breaks_a_rule_is_reported_without_a_struct_field() {
    // Default-level rules are checked on constants at compile time; a strict (data-quality)
    // rule is what a constant can still break at run time.
    #[derive(WecardUser)]
    #[wecard(
        crate = generated_example::wecard,
        identity_type = "学生",
        identity_title = "本科生",
        organization = "A/B",
        country = "ZZ"
    )]
    struct Abroad {
        card_number: String,
        name: String,
    }
    let abroad = Abroad {
        card_number: "1".into(),
        name: "王五".into(),
    };
    assert!(abroad.to_create_request().is_ok());
    let errors = abroad
        .to_create_request_with(ValidationLevel::Strict)
        .expect_err("not a country code");
    assert_eq!(errors.len(), 1);
    let error = &errors.errors()[0];
    assert_eq!((error.wecard_field, error.struct_field), ("country", None));
    assert!(
        error
            .to_string()
            .starts_with("constant (WeCard `country`): must be "),
        "{error}"
    );
}

#[test]
fn a_member_from_a_search_reply_converts_back() {
    let member = seed_member(|_| {});
    let student = Student::from_member(&member).expect("converts");
    assert_eq!(
        student,
        Student {
            student_id: "1604030126".into(),
            name: "evan1".into(),
            gender: Some(Sex::Male),
            organization: String::new(),
            grade: Some("2016".into()),
            college: Some("人居环境工程学院".into()),
            class_name: Some("1班".into()),
            email: Some("xxxxx@qq.com".into()),
            telephone: Some("137XXXXXXXX".into()),
            register_year: None,
            expire_at: DateTime::new(2019, 12, 31, 12, 0, 0),
            notes: Vec::new(),
        }
    );
}

/// A graduate record that cannot do without its 需申请 fields.
#[derive(Debug, PartialEq, WecardUser)]
#[wecard(crate = generated_example::wecard, identity_title = "校友")]
struct Graduate {
    card_number: String,
    name: String,
    /// The code in a member; its description (校友) when sent.
    #[wecard(identity_type)]
    identity: IdentityClass,
    #[wecard(write_only)]
    organization: String,
    college: String,
    /// Text in the create request, a code in a member: read as the code's description.
    gender: Option<String>,
    /// Read only: the create request has no roles.
    role: Option<Vec<u32>>,
}

#[test]
fn coded_values_are_sent_as_text_and_read_as_codes() {
    let graduate = Graduate {
        card_number: "1".into(),
        name: "李四".into(),
        identity: IdentityClass::Alumnus,
        organization: "校友会".into(),
        college: "建筑学院".into(),
        gender: Some("女".into()),
        role: Some(vec![7]),
    };
    let request = graduate.to_create_request().expect("valid");
    assert_eq!(request.identity_type, "校友");
    assert_eq!(request.gender.as_deref(), Some("女"));
    let member = seed_member(|_| {});
    let read = Graduate::from_member(&member).expect("converts");
    assert_eq!(read.identity, IdentityClass::Other);
    assert_eq!(read.gender.as_deref(), Some("男"));
    assert_eq!(read.role, Some(vec![1, 2]));
    assert_eq!(Graduate::GRANT_FIELDS_READ, ["college", "gender", "role"]);
}

#[test]
fn a_member_without_a_needed_grant_field_says_it_is_needs_grant() {
    let member = seed_member(|member| {
        member.remove("college");
    });
    let error = Graduate::from_member(&member).expect_err("college is missing");
    assert!(matches!(
        error,
        FromMemberError::Missing {
            wecard_field: "college",
            struct_field: "college",
            needs_grant: true,
        }
    ));
    assert!(error.needs_grant());
    assert_eq!(
        error.to_string(),
        "the member has no `college`, which field `college` needs; `college` is 需申请 (sent only to apps granted it): apply for it, or make the field an `Option`"
    );
}

#[test]
fn a_value_that_does_not_fit_names_both_fields() {
    let member = seed_member(|member| {
        member.insert("role".into(), json!([1, -2]));
    });
    let error = Graduate::from_member(&member).expect_err("-2 is no u32");
    assert_eq!(error.wecard_field(), "role");
    assert_eq!(error.struct_field(), "role");
    assert!(!error.needs_grant());
    assert_eq!(
        error.to_string(),
        "the member's `role` does not fit field `role`: -2 is out of range for `u32`"
    );
    let member = seed_member(|member| {
        member.insert("gender".into(), json!(9));
    });
    let error = Graduate::from_member(&member).expect_err("no text for code 9");
    assert_eq!(
        error.to_string(),
        "the member's `gender` does not fit field `gender`: code 9 of `Gender` has no text in the spec (no source shows how a request writes it)"
    );
    let error = Student::from_member(&member).expect_err("the school's own conversion refuses 9");
    assert_eq!(
        error.to_string(),
        "the member's `gender` does not fit field `gender`: gender code 9 is neither male nor female"
    );
    assert!(std::error::Error::source(&error).is_some());
}

#[test]
fn the_generated_module_knows_which_fields_are_mapped_where() {
    // The trait is generated from the spec's `user:` section into the consumer's module.
    fn assert_user<T: wecard::WecardUser>() {}
    assert_user::<Student>();
    assert_user::<Graduate>();
}

#[test]
fn borrowed_and_generic_structs_derive_too() {
    /// A row borrowed from a roster file: sent only, so `write_only` throughout.
    #[derive(WecardUser)]
    #[wecard(
        crate = generated_example::wecard,
        identity_type = "学生",
        identity_title = "本科生"
    )]
    struct Row<'a, Y>
    where
        Y: Copy + Default + Into<i64>,
    {
        #[wecard(write_only)]
        card_number: &'a str,
        #[wecard(write_only)]
        name: &'a str,
        #[wecard(write_only)]
        organization: std::borrow::Cow<'a, str>,
        #[wecard(write_only, with = year)]
        register_year: Y,
    }

    mod year {
        pub fn to_wecard<Y: Copy + Into<i64>>(year: &Y) -> i64 {
            (*year).into()
        }
    }

    let row = Row {
        card_number: "2024001",
        name: "张三",
        organization: "信息学院".into(),
        register_year: 2024u16,
    };
    let request = row.to_create_request().expect("valid");
    assert_eq!(
        (request.card_number.as_str(), request.register_year),
        ("2024001", Some(2024))
    );
    let member = seed_member(|_| {});
    let empty = Row::<u16>::from_member(&member).expect("write-only fields are defaulted");
    assert_eq!((empty.card_number, empty.register_year), ("", 0));
}

/// Coded values kept as the spec's own enums: sent as the text the spec gives them, read back as
/// codes.
#[derive(Debug, WecardUser)]
#[wecard(crate = generated_example::wecard, identity_title = "本科生")]
struct Coded {
    card_number: String,
    name: String,
    #[wecard(identity_type)]
    identity: IdentityClass,
    #[wecard(write_only)]
    organization: String,
    gender: Option<Gender>,
}

fn coded(identity: IdentityClass, gender: Option<Gender>) -> Coded {
    Coded {
        card_number: "20210102001".into(),
        name: "王五".into(),
        identity,
        organization: "一年级/一班".into(),
        gender,
    }
}

/// 未知 and 其他 are descriptions, not texts any source shows a request sending: a gender
/// without a text is left out of the request, an identity class without one is refused.
#[test]
fn a_value_without_a_sourced_text_is_not_sent() {
    let request = coded(IdentityClass::Student, Some(Gender::Unspecified))
        .to_create_request()
        .expect("valid");
    assert_eq!(request.gender, None);
    let json = serde_json::to_value(&request).expect("serializes");
    assert!(json.get("gender").is_none(), "{json}");
    assert_eq!(json["identity_type"], json!("学生"));
    for (gender, sent) in [
        (Gender::Male, Some("男")),
        (Gender::Female, Some("女")),
        (Gender::Unknown(9), None),
    ] {
        let request = coded(IdentityClass::Staff, Some(gender))
            .to_create_request()
            .expect("valid");
        assert_eq!(request.gender.as_deref(), sent, "{gender:?}");
        assert_eq!(request.identity_type, "教职工");
    }
    let errors = coded(IdentityClass::Other, None)
        .to_create_request()
        .expect_err("其他 is not sent");
    assert!(
        errors.iter().any(|e| e.wecard_field == "identity_type"),
        "{errors}"
    );
    assert_eq!(Gender::Unspecified.text(), None);
    assert_eq!(IdentityClass::Other.text(), None);
    assert_eq!(Gender::Unspecified.description(), Some("未知"));
}

#[test]
fn coded_values_round_trip_through_a_member() {
    let member = seed_member(|member| {
        member.insert("gender".into(), json!(0));
        member.insert("identity_type".into(), json!("2"));
    });
    let read = Coded::from_member(&member).expect("converts");
    assert_eq!(read.gender, Some(Gender::Unspecified));
    assert_eq!(read.identity, IdentityClass::Student);
    let request = Coded {
        organization: "一年级/一班".into(),
        ..read
    }
    .to_create_request()
    .expect("valid");
    assert_eq!(request.gender, None, "未知 is read, never sent");
    assert_eq!(request.identity_type, "学生");
}
