//! The source documents' own examples, loaded into the generated types.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use generated_example::wecard::{
    BatchDeleteUsersRequest, BatchDeleteUsersResponse, CreateUserRequest, ErrorCode, ErrorHandling,
    Gender, IdentityClass, ListIdentityTypesResponse, Member, RuleParams, SearchUsersResponse,
    ValidationLevel,
};
use serde_json::{Value, json};
use wecard_tests::{data, strip_line_comments};

fn seed_request() -> Value {
    serde_json::from_str(&data("seed_create_user_request.json")).expect("seed 000 example is JSON")
}

#[test]
fn seed_000_request_round_trips_and_validates() {
    let seed = seed_request();
    let request: CreateUserRequest = serde_json::from_value(seed.clone()).expect("deserializes");
    assert_eq!(request.card_number, "123456789");
    assert_eq!(request.register_year, Some(2022));
    request
        .validate()
        .expect("the seed's own example passes default validation");
    // Wire normalizations the spec declares: none. The example already writes `card_type` and
    // `register_year` as strings, which is the form the spec sends.
    let normalizations: &[(&str, Value)] = &[];
    let mut expected = seed;
    for (field, value) in normalizations {
        expected[*field] = value.clone();
    }
    assert_eq!(
        serde_json::to_value(&request).expect("serializes"),
        expected
    );
}

#[test]
fn seed_000_request_fails_strict_validation_on_its_masked_placeholders() {
    let request: CreateUserRequest = serde_json::from_value(seed_request()).expect("deserializes");
    let errors = request
        .validate_with(ValidationLevel::Strict)
        .expect_err("masked phone and id card");
    let fields: Vec<&str> = errors.errors().iter().map(|e| e.field).collect();
    assert!(fields.contains(&"telephone"), "{errors}");
    assert!(fields.contains(&"id_card"), "{errors}");
    assert!(
        errors
            .errors()
            .iter()
            .all(|e| e.level == ValidationLevel::Strict)
    );
}

#[test]
fn seed_001_reply_fills_every_member_field() {
    let text = strip_line_comments(&data("seed_search_users_response.jsonc"));
    let reply: SearchUsersResponse = serde_json::from_str(&text).expect("deserializes");
    assert_eq!(reply.errcode, 0);
    let users = reply.userlist.expect("userlist");
    assert_eq!(users.len(), 1);
    let member = &users[0];
    assert!(
        member.unknown_fields.is_empty(),
        "every field is described: {:?}",
        member.unknown_fields
    );
    let as_json = serde_json::to_value(member).expect("serializes");
    let object = as_json.as_object().expect("object");
    // Fields from sources other than seed 001 (get-user-info) stay absent; every other one is
    // filled, and writing the member back gives the seed's member: nothing lost.
    let elsewhere = ["updated_at", "ocode"];
    for field in Member::FIELDS {
        let present = object.get(*field).is_some_and(|v| !v.is_null());
        assert_eq!(
            present,
            !elsewhere.contains(field),
            "`{field}` is not as seed 001 has it"
        );
    }
    let seed: Value = serde_json::from_str(&text).expect("json");
    assert_eq!(as_json, seed["userlist"][0]);
    assert_eq!(member.identity_type, Some(IdentityClass::Other));
    assert_eq!(member.gender, Some(Gender::from_code(1)));
    assert_eq!(member.organization.as_deref(), Some(&[2, 222, 496][..]));
    assert_eq!(
        member.expire_at.map(|d| d.to_string()).as_deref(),
        Some("2019-12-31 12:00:00")
    );
}

/// TC-87724 types `card_number` Integer, and some apps get no `name` (需申请 for them): a reply
/// with both still reads, member by member, with what is absent left absent.
#[test]
fn a_numeric_card_number_and_a_member_without_a_name_read() {
    let reply: SearchUsersResponse = serde_json::from_value(json!({
        "errcode": 0,
        "errmsg": "success",
        "userlist": [
            {"card_number": 1604030126, "name": "evan1", "identity_type": "2"},
            {"card_number": "20210102001", "identity_type": 3},
        ],
    }))
    .expect("both members read");
    let users = reply.userlist.expect("userlist");
    assert_eq!(users.len(), 2);
    assert_eq!(users[0].card_number, "1604030126");
    assert_eq!(users[0].name.as_deref(), Some("evan1"));
    assert_eq!(users[1].card_number, "20210102001");
    assert_eq!(users[1].name, None);
    assert_eq!(users[1].identity_type, Some(IdentityClass::Staff));
    // Absent stays absent when written back.
    let written = serde_json::to_value(&users[1]).expect("serializes");
    assert!(written.get("name").is_none(), "{written}");
    assert_eq!(
        serde_json::to_value(&users[0]).expect("serializes")["card_number"],
        json!("1604030126")
    );
}

#[test]
fn replies_keep_unknown_fields_and_codes() {
    let reply: SearchUsersResponse = serde_json::from_value(json!({
        "errcode": 0,
        "errmsg": "ok",
        "brand_new": {"x": 1},
        "userlist": [{"card_number": "1", "name": "n", "identity_type": "9", "gender": 7, "future": true}],
    }))
    .expect("a new field or code never breaks deserialization");
    assert_eq!(reply.unknown_fields["brand_new"], json!({"x": 1}));
    let member = &reply.userlist.expect("userlist")[0];
    assert_eq!(member.identity_type, Some(IdentityClass::Unknown(9)));
    assert_eq!(member.gender, Some(Gender::Unknown(7)));
    assert_eq!(member.unknown_fields["future"], json!(true));
    // An app without a grant simply does not get a field: absent, not an error.
    assert_eq!(member.telephone, None);
    assert!(Member::NEEDS_GRANT.contains(&"telephone"));
    assert!(!Member::NEEDS_GRANT.contains(&"card_number"));
}

#[test]
fn every_violation_is_reported_at_its_level() {
    let request: CreateUserRequest = serde_json::from_value(json!({
        "card_number": "x".repeat(40),
        "name": "  ",
        "identity_type": "学生",
        "identity_title": "本科生",
        "organization": "AA//CC",
        "email": "not-an-email",
        "head_image": "xx.png",
    }))
    .expect("deserializes");
    let errors = request.validate().expect_err("invalid");
    let found: Vec<(&str, &str)> = errors.errors().iter().map(|e| (e.field, e.rule)).collect();
    assert_eq!(
        found,
        [
            ("card_number", "length"),
            ("name", "required"),
            ("head_image", "format"),
        ]
    );
    // The organization path and the e-mail address are data-quality (strict) rules: no source
    // states them as the API's requirements.
    let strict = request
        .validate_with(ValidationLevel::Strict)
        .expect_err("invalid");
    let found: Vec<(&str, &str, ValidationLevel)> = strict
        .errors()
        .iter()
        .map(|e| (e.field, e.rule, e.level))
        .collect();
    assert_eq!(
        found[3..],
        [
            ("organization", "format", ValidationLevel::Strict),
            ("email", "format", ValidationLevel::Strict),
        ]
    );
    let first = &errors.errors()[0];
    assert_eq!(
        first.params,
        RuleParams::Length {
            min: None,
            max: Some(32),
            actual: 40
        }
    );
    assert!(first.message_zh().contains("32"));
    assert!(first.message_en().contains("32"));
}

#[test]
fn error_codes_classify_themselves() {
    assert!(ErrorCode::from_code(40002).is_token_error());
    assert!(ErrorCode::from_code(40005).is_token_error());
    assert_eq!(
        ErrorCode::from_code(40001).handling(),
        ErrorHandling::Configuration
    );
    assert!(ErrorCode::from_code(40007).is_not_found());
    assert!(ErrorCode::from_code(40008).is_permission_error());
    assert!(ErrorCode::from_code(40010).is_request_error());
    let unknown = ErrorCode::from_code(49999);
    assert_eq!(unknown, ErrorCode::Unknown(49999));
    assert_eq!(unknown.handling(), ErrorHandling::Unknown);
    assert_eq!(unknown.code(), 49999);
    assert_eq!(unknown.to_string(), "49999 (unknown error code)");
    // 0 is success, never an error: it says so rather than "unknown error code".
    let success = ErrorCode::from_code(0);
    assert_eq!(success.to_string(), "0 (success, not an error)");
    assert_eq!(success.description(), None);
    assert_eq!(success.handling(), ErrorHandling::Unknown);
    assert_eq!(
        ErrorCode::from_code(40002).description(),
        Some("access_token过期")
    );
}

#[test]
fn credentials_never_show_in_debug() {
    use generated_example::wecard::{GetTokenRequest, GetTokenResponse};
    let request = GetTokenRequest {
        app_key: "key-1".into(),
        app_secret: "s3cr3t-app-secret".into(),
        grant_type: "client_credentials".into(),
        scope: "base".into(),
        ocode: "1000001".into(),
    };
    let shown = format!("{request:?} {request:#?}");
    assert!(!shown.contains("s3cr3t-app-secret"), "{shown}");
    assert!(shown.contains("key-1") && shown.contains("<redacted>"));
    let reply: GetTokenResponse = serde_json::from_value(
        json!({"token_type": "bearer", "access_token": "tok-9f8e7d", "expires_in": 7200}),
    )
    .expect("token reply");
    let shown = format!("{reply:?}");
    assert!(!shown.contains("tok-9f8e7d"), "{shown}");
    assert_eq!(reply.access_token.as_deref(), Some("tok-9f8e7d"));
}

/// TC-87725's reply example: identity-type ids are the school's own (1 is 学生 there), the
/// classifications are seed 001's classes; nothing is lost on the way back.
#[test]
fn tc_87725_identity_types_example_reads() {
    let example = json!({"errcode":0,"errmsg":"ok","list":[
        {"identity_type":0,"name":"其他","classification":1,"classification_name":"其他"},
        {"identity_type":1,"name":"学生","classification":2,"classification_name":"学生"},
        {"identity_type":4,"name":"教职工","classification":3,"classification_name":"教职工"},
        {"identity_type":5,"name":"校友","classification":4,"classification_name":"校友"},
        {"identity_type":6,"name":"本科生","classification":2,"classification_name":"学生"}
    ]});
    let reply: ListIdentityTypesResponse = serde_json::from_value(example.clone()).expect("reads");
    let list = reply.list.as_deref().expect("list");
    let read: Vec<(i64, Option<IdentityClass>)> = list
        .iter()
        .map(|t| (t.identity_type, t.classification))
        .collect();
    assert_eq!(
        read,
        [
            (0, Some(IdentityClass::Other)),
            (1, Some(IdentityClass::Student)),
            (4, Some(IdentityClass::Staff)),
            (5, Some(IdentityClass::Alumnus)),
            (6, Some(IdentityClass::Student)),
        ]
    );
    assert!(list.iter().all(|t| t.unknown_fields.is_empty()));
    assert_eq!(serde_json::to_value(&reply).expect("serializes"), example);
}

/// TC-87728's request and reply examples: a failed deletion is reported in the list while
/// errcode stays 0.
#[test]
fn tc_87728_batch_delete_examples_read() {
    let request: BatchDeleteUsersRequest =
        serde_json::from_value(json!({"card_numbers": ["REAL4411902"]})).expect("reads");
    request.validate().expect("valid");
    let example = json!({"errcode":0,"errmsg":"success","failed_list":[
        {"card_number":"dealtest_1100","reason":"用户不存在"}
    ]});
    let reply: BatchDeleteUsersResponse = serde_json::from_value(example.clone()).expect("reads");
    assert_eq!(reply.errcode, 0);
    let failed = reply.failed_list.as_deref().expect("failed_list");
    assert_eq!(failed[0].card_number, "dealtest_1100");
    assert_eq!(failed[0].reason.as_deref(), Some("用户不存在"));
    assert_eq!(serde_json::to_value(&reply).expect("serializes"), example);
}
