//! The semver verdicts of `wecard-codegen diff` are checked by compiling, not asserted: user
//! code written against the module generated from a pair's old spec (struct literals,
//! `..Default::default()`, exhaustive matches on enums and `ErrorCode`, field reads) is compiled
//! against the module generated from its new spec. A pair judged minor or patch must compile;
//! a pair judged major must not. Every pair is checked in one `cargo check` of one crate.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/consumer.rs"]
#[allow(dead_code, reason = "this test uses only some of the helpers")]
mod consumer;

use std::path::{Path, PathBuf};

use wecard_codegen::diff::{Semver, Side, compare};
use wecard_codegen::emit::rust::{Options, generate};
use wecard_tests::workspace_root;

/// The pairs compiled, by corpus directory; all share the same old spec.
const PAIRS: &[&str] = &[
    "01_endpoint_added",
    "06_token_moved_to_body",
    "11_request_field_added_optional",
    "12_request_field_added_required",
    "18_request_field_made_optional",
    "22_field_wire_renamed",
    "23_field_rust_renamed",
    "27_field_needs_grant",
    "28_rule_tightened",
    "34_enum_value_added",
    "38_enum_added",
    "40_record_added",
    "42_error_code_added",
    "45_error_handling_changed",
    "46_descriptions_only",
    "50_default_lost",
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

fn user(api: &str) -> String {
    format!("#![allow(dead_code)]\nuse crate::{api} as api;\n{USER_CODE}")
}

#[test]
fn semver_verdicts_hold_when_user_code_is_compiled() {
    assert!(PAIRS.len() >= 8);
    let base = read(&corpus(PAIRS[0]), "old");
    let mut files = vec![
        ("base_api.rs".to_string(), module("old.yaml", &base)),
        ("base_user.rs".to_string(), user("base_api")),
    ];
    let mut lib = String::from("#![allow(dead_code)]\npub mod base_api;\npub mod base_user;\n");
    let mut verdicts = Vec::new();
    for (index, pair) in PAIRS.iter().enumerate() {
        let dir = corpus(pair);
        assert_eq!(
            read(&dir, "old"),
            base,
            "{pair}: its old spec is the shared one"
        );
        let new = read(&dir, "new");
        let report = compare(
            &Side::from_text("old.yaml", &base).unwrap(),
            &Side::from_text("new.yaml", &new).unwrap(),
        );
        verdicts.push((*pair, report.bump(), format!("p{index}_user.rs")));
        files.push((format!("p{index}_api.rs"), module("new.yaml", &new)));
        files.push((format!("p{index}_user.rs"), user(&format!("p{index}_api"))));
        lib.push_str(&format!("pub mod p{index}_api;\npub mod p{index}_user;\n"));
    }
    files.push(("lib.rs".to_string(), lib));
    let output = consumer::check_files(&files);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let failed = |file: &str| {
        stderr
            .lines()
            .any(|line| line.contains(&format!("src/{file}:")) && line.contains("error"))
    };
    assert!(
        !failed("base_user.rs"),
        "the user code must compile against the old module:\n{stderr}"
    );
    assert!(!failed("base_api.rs"), "{stderr}");
    let mut majors = 0;
    for (pair, verdict, file) in &verdicts {
        assert!(
            !failed(&file.replace("user", "api")),
            "{pair}: generated code fails:\n{stderr}"
        );
        match verdict {
            Semver::Major => {
                majors += 1;
                assert!(
                    failed(file),
                    "{pair} is judged major, but the old user code still compiles:\n{stderr}"
                );
            }
            Semver::Minor | Semver::Patch => assert!(
                !failed(file),
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
