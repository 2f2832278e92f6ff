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
