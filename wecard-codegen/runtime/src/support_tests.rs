//! Tests of the support code emitted into every generated module.

use super::__private::*;
use super::*;

#[test]
fn datetimes_read_leniently_and_write_padded() {
    let parsed = DateTime::parse("2020-11-1 0:00:00").expect("lenient");
    assert_eq!(parsed.to_string(), "2020-11-01 00:00:00");
    assert_eq!(DateTime::new(2024, 2, 30, 0, 0, 0), None);
    let json: DateTime = serde_json::from_str("\"2019-12-31 12:00:00\"").expect("json");
    assert_eq!(
        serde_json::to_string(&json).expect("ser"),
        "\"2019-12-31 12:00:00\""
    );
    assert!(serde_json::from_str::<DateTime>("\"2019-12-31\"").is_err());
}

#[derive(Debug, PartialEq, serde::Deserialize, serde::Serialize)]
struct Sample {
    #[serde(
        deserialize_with = "lenient::one::<_, i64, i64>",
        serialize_with = "as_string::one::<_, i64>"
    )]
    year: i64,
    #[serde(
        default,
        deserialize_with = "lenient::option::<_, LenientString, String>",
        skip_serializing_if = "Option::is_none"
    )]
    grade: Option<String>,
    #[serde(
        default,
        deserialize_with = "lenient::option_list::<_, i64, i64>",
        skip_serializing_if = "Option::is_none"
    )]
    ids: Option<Vec<i64>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    note: Option<Nullable<String>>,
}

#[test]
fn lenient_in_exact_out() {
    let a: Sample =
        serde_json::from_str(r#"{"year":"2022","grade":2016,"ids":["1",2],"note":null}"#)
            .expect("lenient");
    let b: Sample =
        serde_json::from_str(r#"{"year":2022,"grade":"2016","ids":[1,2]}"#).expect("exact");
    assert_eq!(a.year, 2022);
    assert_eq!(a.grade.as_deref(), Some("2016"));
    assert_eq!(a.ids, Some(vec![1, 2]));
    assert_eq!(a.note, Some(Nullable::Null));
    assert_eq!(b.note, None);
    assert_eq!(
        serde_json::to_string(&b).expect("ser"),
        r#"{"year":"2022","grade":"2016","ids":[1,2]}"#
    );
    assert!(serde_json::from_str::<Sample>(r#"{"year":"20x2"}"#).is_err());
    assert!(serde_json::from_str::<Sample>(r#"{"year":true}"#).is_err());
}

#[test]
fn validation_messages_name_the_rule_in_both_languages() {
    let error = ValidationError {
        field: "card_number",
        index: None,
        rule: "length",
        level: ValidationLevel::Default,
        params: RuleParams::Length {
            min: None,
            max: Some(32),
            actual: 40,
        },
    };
    assert_eq!(
        error.to_string(),
        "card_number: must be at most 32 characters long, not 40 (长度须不超过32个字符,实际为40)"
    );
    let mut errors = ValidationErrors::new();
    assert!(errors.clone().into_result().is_ok());
    errors.push(error);
    assert_eq!(errors.len(), 1);
    assert!(errors.into_result().is_err());
}

#[test]
fn rule_checks_reach_every_item_and_skip_what_is_absent() {
    use super::__private::check::{Dfa, Kind, Rule, check, items};

    fn broken(
        run: impl Fn(&mut ValidationErrors),
    ) -> Vec<(&'static str, Option<usize>, &'static str, ValidationLevel)> {
        let mut errors = ValidationErrors::new();
        run(&mut errors);
        errors
            .errors()
            .iter()
            .map(|e| (e.field, e.index, e.rule, e.level))
            .collect()
    }
    let level = ValidationLevel::Default;
    let length = Rule::new("name", Kind::Length(Some(2), Some(3)));
    // A list is checked item by item, each error at its index.
    let names = vec!["ab".to_owned(), "a".to_owned(), "abcd".to_owned()];
    assert_eq!(
        broken(|errors| check(&names, &length, level, errors)),
        vec![
            ("name", Some(1), "length", level),
            ("name", Some(2), "length", level),
        ]
    );
    // Absent and null values break nothing; present ones are checked.
    let absent: Option<Nullable<String>> = None;
    let null: Option<Nullable<String>> = Some(Nullable::Null);
    let short = Some(Nullable::Value("a".to_owned()));
    assert!(broken(|errors| check(&absent, &length, level, errors)).is_empty());
    assert!(broken(|errors| check(&null, &length, level, errors)).is_empty());
    assert_eq!(
        broken(|errors| check(&short, &length, level, errors)).len(),
        1
    );
    // Integers: range, and the allowed values that are integers.
    let range = Rule::new("page", Kind::Range(Some(1), None));
    assert_eq!(
        broken(|errors| check(&0i64, &range, level, errors)).len(),
        1
    );
    assert!(broken(|errors| check(&1i64, &range, level, errors)).is_empty());
    let one_of = Rule::new("type", Kind::OneOf(&["1", "2", "x"]));
    assert!(broken(|errors| check(&2i64, &one_of, level, errors)).is_empty());
    assert_eq!(
        broken(|errors| check(&3i64, &one_of, level, errors)),
        vec![("type", None, "one_of", level)]
    );
    assert!(broken(|errors| check("x", &one_of, level, errors)).is_empty());
    // A strict rule is checked only at the strict level, and reported as strict.
    let strict = Rule::strict("phone", Kind::Format(Format::MobileCn));
    assert!(broken(|errors| check("12", &strict, level, errors)).is_empty());
    assert_eq!(
        broken(|errors| check("12", &strict, ValidationLevel::Strict, errors)),
        vec![("phone", None, "format", ValidationLevel::Strict)]
    );
    // Patterns walk their tables: this one is `a+` (class 1 is `a`).
    let mut classes = [0u8; 256];
    classes[usize::from(b'a')] = 1;
    static NEXT: [u16; 4] = [u16::MAX, 1, u16::MAX, 1];
    let dfa: &'static Dfa = Box::leak(Box::new(Dfa {
        classes,
        next: &NEXT,
        accept: &[false, true],
        class_count: 2,
    }));
    let pattern = Rule::new("code", Kind::Pattern("a+", dfa));
    assert!(broken(|errors| check("aaa", &pattern, level, errors)).is_empty());
    assert_eq!(
        broken(|errors| check("ab", &pattern, level, errors)).len(),
        1
    );
    // `items` counts lists, and nothing when there is none.
    let count = Rule::new("ids", Kind::Items(Some(1), Some(2)));
    let three = Some(vec![1i64, 2, 3]);
    let none: Option<Vec<i64>> = None;
    assert_eq!(
        broken(|errors| items(&three, &count, level, errors)),
        vec![("ids", None, "items", level)]
    );
    assert!(broken(|errors| items(&none, &count, level, errors)).is_empty());
    assert!(broken(|errors| items(&Vec::<i64>::new(), &count, level, errors)).len() == 1);
}
