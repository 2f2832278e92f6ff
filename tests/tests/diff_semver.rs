//! The semver verdicts of `wecard-codegen diff` are checked by compiling, not asserted: user
//! code written against the module generated from a pair's old spec (struct literals,
//! `..Default::default()`, exhaustive matches on enums and `ErrorCode`, field reads) is compiled
//! against the module generated from its new spec. A pair judged minor or patch must compile;
//! a pair judged major must not. Every pair is checked in one `cargo check` of one crate.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/consumer.rs"]
mod consumer;

use std::path::{Path, PathBuf};

use wecard_codegen::diff::{Semver, Side, compare};
use wecard_codegen::emit::rust::{Options, generate};
use wecard_tests::workspace_root;

/// The pairs compiled, by corpus directory, each with code of its own for what only its old
/// spec has.
const PAIRS: &[(&str, &str)] = &[
    ("01_endpoint_added", ""),
    (
        "02_endpoint_removed",
        "pub fn delete() -> api::DeleteUserRequest { api::DeleteUserRequest { card_number: \"1\".into() } }",
    ),
    ("04_path_changed", ""),
    ("05_method_changed", ""),
    ("06_token_moved_to_body", ""),
    ("08_envelope_dropped", ""),
    ("10_paging_limit_changed", ""),
    ("11_request_field_added_optional", ""),
    ("12_request_field_added_required", ""),
    ("14_reply_field_added", ""),
    ("16_record_field_added", ""),
    ("17_request_field_made_required", ""),
    ("18_request_field_made_optional", ""),
    ("21_reply_field_type_changed", ""),
    ("22_field_wire_renamed", ""),
    ("23_field_rust_renamed", ""),
    ("24_reply_field_nullable", ""),
    ("25_request_field_sent_as_string", ""),
    ("26_field_made_secret", ""),
    ("27_field_needs_grant", ""),
    ("28_rule_tightened", ""),
    ("29_rule_loosened", ""),
    ("33_field_order_changed", ""),
    ("34_enum_value_added", ""),
    ("36_enum_value_renamed", ""),
    ("38_enum_added", ""),
    (
        "39_enum_removed",
        "pub fn status(status: api::Status) -> i64 { status.code() }",
    ),
    ("40_record_added", ""),
    (
        "41_record_removed",
        "pub fn org() -> api::Org { api::Org { org_id: \"1\".into(), unknown_fields: Default::default() } }",
    ),
    ("42_error_code_added", ""),
    ("44_error_code_renamed", ""),
    ("45_error_handling_changed", ""),
    ("46_descriptions_only", ""),
    ("47_examples_only", ""),
    ("50_default_lost", ""),
    ("51_base_url_changed", ""),
    ("54_envelope_field_added", ""),
    ("55_envelope_field_made_required", ""),
];

/// How users use the old module: every item a typical caller names.
const USER_CODE: &str = r#"
pub fn literal() -> api::CreateUserRequest {
    api::CreateUserRequest { name: "张三".into(), age: Some(20) }
}

pub fn defaulted() -> api::CreateUserRequest {
    api::CreateUserRequest { name: "张三".into(), ..Default::default() }
}

pub fn reply(reply: &api::CreateUserResponse) -> Option<&String> {
    reply.user_id.as_ref()
}

pub fn gender(gender: api::Gender) -> i64 {
    match gender {
        api::Gender::Male => 1,
        api::Gender::Female => 2,
        api::Gender::Unknown(code) => code,
    }
}

pub fn error(code: api::ErrorCode) -> bool {
    match code {
        api::ErrorCode::InvalidCredential => true,
        api::ErrorCode::Unknown(_) => false,
    }
}

pub fn member(member: &api::Member) -> (&str, Option<api::Gender>, Option<&Vec<i64>>) {
    (&member.card_number, member.gender, member.role.as_ref())
}

pub fn search() -> api::SearchMembersRequest {
    api::SearchMembersRequest { page: 1, page_size: 10 }
}

pub fn total(reply: &api::SearchMembersResponse) -> Option<i64> {
    reply.total
}

pub fn mock_reply() -> api::CreateUserResponse {
    api::CreateUserResponse {
        errcode: 0,
        errmsg: None,
        user_id: Some("u1".into()),
        unknown_fields: Default::default(),
    }
}

pub fn mock_member() -> api::Member {
    api::Member {
        card_number: "2020001".into(),
        gender: Some(api::Gender::Male),
        email: None,
        role: None,
        unknown_fields: Default::default(),
    }
}
"#;

fn corpus(name: &str) -> PathBuf {
    workspace_root()
        .join("wecard-codegen/tests/diff_corpus")
        .join(name)
}

fn read(dir: &Path, which: &str) -> String {
    std::fs::read_to_string(dir.join(format!("{which}.yaml"))).expect("readable")
}

fn module(name: &str, text: &str) -> String {
    let side = Side::from_text(name, text).unwrap_or_else(|d| panic!("{d}"));
    generate(side.model(), &Options::default()).expect("generates")
}

fn user(api: &str, extra: &str) -> String {
    format!("#![allow(dead_code)]\nuse crate::{api} as api;\n{USER_CODE}\n{extra}\n")
}

#[test]
fn semver_verdicts_hold_when_user_code_is_compiled() {
    assert!(PAIRS.len() >= 8);
    let mut files = Vec::new();
    let mut lib = String::from("#![allow(dead_code)]\n");
    let mut verdicts = Vec::new();
    for (index, (pair, extra)) in PAIRS.iter().enumerate() {
        let dir = corpus(pair);
        let (old, new) = (read(&dir, "old"), read(&dir, "new"));
        let report = compare(
            &Side::from_text("old.yaml", &old).unwrap(),
            &Side::from_text("new.yaml", &new).unwrap(),
        );
        verdicts.push((*pair, report.bump(), index));
        for (side, text) in [("old", &old), ("new", &new)] {
            let api = format!("p{index}_{side}_api");
            let user_module = format!("p{index}_{side}_user");
            files.push((format!("{api}.rs"), module(&format!("{side}.yaml"), text)));
            files.push((format!("{user_module}.rs"), user(&api, extra)));
            lib.push_str(&format!("pub mod {api};\npub mod {user_module};\n"));
        }
    }
    files.push(("lib.rs".to_string(), lib));
    let output = consumer::check_files(&files);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let failed = |file: &str| {
        stderr
            .lines()
            .any(|line| line.contains(&format!("src/{file}.rs:")) && line.contains("error"))
    };
    let mut majors = 0;
    for (pair, verdict, index) in &verdicts {
        for module in ["old_api", "new_api", "old_user"] {
            assert!(
                !failed(&format!("p{index}_{module}")),
                "{pair}: {module} must compile:\n{stderr}"
            );
        }
        let broke = failed(&format!("p{index}_new_user"));
        match verdict {
            Semver::Major => {
                majors += 1;
                assert!(
                    broke,
                    "{pair} is judged major, but the old user code still compiles"
                );
            }
            Semver::Minor | Semver::Patch => assert!(
                !broke,
                "{pair} is judged {}, but the old user code no longer compiles:\n{stderr}",
                verdict.as_str()
            ),
        }
    }
    assert!(
        majors > 0 && majors < verdicts.len(),
        "both outcomes are exercised"
    );
    assert_eq!(
        output.status.success(),
        majors == 0,
        "cargo's verdict agrees:\n{stderr}"
    );
}
