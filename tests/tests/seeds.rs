//! The bundled spec checked against the two source documents: every field they name is in the
//! model with the flags they give, and the error table is theirs.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use wecard_codegen::Model;
use wecard_tests::{bundled_spec, data, keys_marked_needs_grant, strip_line_comments};

fn model() -> Model {
    wecard_codegen::load(bundled_spec()).unwrap_or_else(|d| panic!("{d}"))
}

/// The field table of seed 000 (新增用户), in order, without `access_token`.
const CREATE_TABLE: [&str; 28] = [
    "card_number",
    "name",
    "gender",
    "head_image",
    "grade",
    "college",
    "profession",
    "class",
    "identity_type",
    "identity_title",
    "card_type",
    "id_card",
    "country",
    "telephone",
    "organization",
    "campus",
    "employer",
    "dorm_number",
    "remark",
    "email",
    "expire_at",
    "qq",
    "nation",
    "origin_place",
    "graduated_school",
    "address",
    "school_period",
    "register_year",
];

/// The error table of seed 001.
const ERROR_TABLE: [(i64, &str); 10] = [
    (40001, "app_key或app_secret不合法"),
    (40002, "access_token过期"),
    (40003, "wxcode不合法"),
    (40005, "access_token无效"),
    (40006, "ocode不存在"),
    (40007, "电子卡号不存在"),
    (40008, "权限不足"),
    (40009, "参数缺失"),
    (40010, "参数错误"),
    (40018, "该主体没有开启应用"),
];

#[test]
fn bundled_spec_has_all_thirteen_endpoints() {
    let model = model();
    assert_eq!(model.endpoints().len(), 13);
    assert_eq!(model.error_codes().len(), 10);
}

#[test]
fn create_user_has_every_seed_field_and_nothing_else() {
    let model = model();
    let request = model
        .endpoint("create_user")
        .expect("create_user")
        .request();
    let example: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&data("seed_create_user_request.json")).expect("seed 000 example");
    let mut expected: Vec<&str> = CREATE_TABLE.to_vec();
    for key in example.keys() {
        if !expected.contains(&key.as_str()) {
            expected.push(key);
        }
    }
    assert_eq!(
        expected.len(),
        32,
        "28 table fields and 4 example-only fields"
    );
    let actual: Vec<&str> = request.fields().iter().map(|f| f.wire_name()).collect();
    let mut sorted_expected = expected.clone();
    sorted_expected.sort_unstable();
    let mut sorted_actual = actual.clone();
    sorted_actual.sort_unstable();
    assert_eq!(sorted_actual, sorted_expected);
    // The table's order is kept for the table's fields.
    let table_order: Vec<&str> = actual
        .iter()
        .copied()
        .filter(|f| CREATE_TABLE.contains(f))
        .collect();
    assert_eq!(table_order, CREATE_TABLE);
    let required: Vec<&str> = request
        .fields()
        .iter()
        .filter(|f| f.required())
        .map(|f| f.wire_name())
        .collect();
    assert_eq!(
        required,
        [
            "card_number",
            "name",
            "identity_type",
            "identity_title",
            "organization"
        ]
    );
    assert!(request.fields().iter().all(|f| !f.needs_grant()));
}

#[test]
fn member_record_has_every_search_reply_field_with_its_grant_flag() {
    let model = model();
    let reply = data("seed_search_users_response.jsonc");
    let seed: Vec<(String, bool)> = keys_marked_needs_grant(&reply)
        .into_iter()
        .filter(|(key, _)| !["errcode", "errmsg", "userlist"].contains(&key.as_str()))
        .collect();
    assert_eq!(seed.len(), 34);
    let member = model.record("Member").expect("Member record");
    let actual: Vec<(String, bool)> = member
        .fields()
        .iter()
        .map(|f| (f.wire_name().to_string(), f.needs_grant()))
        .collect();
    // Seed 001's fields in its order, then the ones get-user-info adds.
    assert_eq!(actual[..seed.len()], seed[..]);
    assert_eq!(
        actual[seed.len()..],
        [
            ("updated_at".to_string(), false),
            ("ocode".to_string(), false)
        ]
    );
    assert_eq!(
        member.field("start_at").and_then(|f| f.since()),
        Some("2019-10-18")
    );
    assert_eq!(
        member.field("role").and_then(|f| f.since()),
        Some("2020-05-08")
    );
    // The example is valid JSON once its comments are stripped.
    let _: serde_json::Value = serde_json::from_str(&strip_line_comments(&reply)).expect("json");
    let search = model.endpoint("search_users").expect("search_users");
    let userlist = search.response().field("userlist").expect("userlist");
    assert_eq!(userlist.ty().spec_name(), "list<Member>");
}

#[test]
fn error_table_is_the_seeds() {
    let model = model();
    let table: Vec<(i64, &str)> = model
        .error_codes()
        .iter()
        .map(|e| (e.code(), e.description()))
        .collect();
    assert_eq!(table, ERROR_TABLE);
    let refresh: Vec<i64> = model
        .error_codes()
        .iter()
        .filter(|e| e.handling() == wecard_codegen::spec::Handling::RefreshToken)
        .map(|e| e.code())
        .collect();
    assert_eq!(refresh, [40002, 40005]);
}

#[test]
fn changelog_is_the_seeds() {
    let model = model();
    let dates: Vec<&str> = model.changelog().iter().map(|c| c.date()).collect();
    assert_eq!(dates, ["2019-10-18", "2020-05-08"]);
}
