//! The generated Rust, pinned: snapshots for the bundled spec and the fixtures (each also
//! compiled by this crate's build script, see `wecard_tests::generated`), and determinism.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use wecard_codegen::emit::rust::{Options, generate};
use wecard_tests::workspace_root;

/// Generates from a spec given by its path relative to the workspace root, so the header names
/// the same path on every machine.
fn generated(relative: &str, options: &Options) -> String {
    let text = std::fs::read_to_string(workspace_root().join(relative)).expect("spec");
    let model = wecard_codegen::load_str(relative, &text).unwrap_or_else(|d| panic!("{d}"));
    generate(&model, options).expect("generate")
}

#[test]
fn bundled_spec_rust() {
    let code = generated("spec/wecard.yaml", &Options::default());
    // Code spans of spec text stay code spans in rustdoc, as in the Markdown reference, and an
    // example is shown as it travels.
    assert!(code.contains("(`\"gender\": 1`)"), "a code span is kept");
    assert!(
        !code.contains("\\`"),
        "no escaped backtick in the bundled spec's rustdoc"
    );
    assert!(
        code.contains("- Example: `\"2022\"`"),
        "register_year as sent"
    );
    insta::assert_snapshot!("bundled", code);
}

#[test]
fn naming_fixture_rust() {
    insta::assert_snapshot!(
        "naming",
        generated("tests/fixtures/naming.yaml", &Options::default())
    );
}

#[test]
fn docs_attack_fixture_rust() {
    let code = generated(
        "wecard-codegen/tests/fixtures/docs_attack.yaml",
        &Options::default(),
    );
    // No line of spec text may open a code block (a doctest) or end the comment it sits in.
    for line in code
        .lines()
        .filter(|line| line.trim_start().starts_with("///"))
    {
        let text = line.trim_start().trim_start_matches("///");
        assert!(
            !text.trim_start().starts_with("```"),
            "unescaped fence: {line}"
        );
        assert!(!text.starts_with("     "), "indented code block: {line}");
    }
    insta::assert_snapshot!("docs_attack", code);
}

#[test]
fn options_change_only_what_they_say() {
    let plain = generated("spec/wecard.yaml", &Options::default());
    let no_strict = generated(
        "spec/wecard.yaml",
        &Options::default().with_strict_rules(false),
    );
    assert!(plain.contains("Rule::strict(\"telephone\", Kind::Format(Format::MobileCn))"));
    assert!(
        !no_strict.contains("Format::MobileCn"),
        "strict rules left out"
    );
    // The runtime is a crate by default, embedded on request, and reached by a path of choice.
    assert!(plain.contains("use ::wecard_runtime as __wecard_runtime;"));
    assert!(!plain.contains("mod runtime"));
    let embedded = generated(
        "spec/wecard.yaml",
        &Options::default().with_embedded_runtime(true),
    );
    assert!(embedded.contains("use self::runtime as __wecard_runtime;"));
    assert!(embedded.contains("pub mod runtime {"));
    assert!(
        !embedded.contains("pub mod client {"),
        "the client only when asked for"
    );
    // The Event enum comes with the spec's `events:`; its receiver glue only on request.
    assert!(plain.contains("pub enum Event {"));
    assert!(!plain.contains("PushEvent"));
    let events = generated("spec/wecard.yaml", &Options::default().with_events(true));
    assert!(events.contains("impl self::__wecard_runtime::events::PushEvent for Event"));
    assert!(
        !embedded.contains("pub mod events {"),
        "embedded events only on request"
    );
    let embedded_events = generated(
        "spec/wecard.yaml",
        &Options::default()
            .with_events(true)
            .with_embedded_runtime(true),
    );
    assert!(embedded_events.contains("pub mod events {"));
    assert!(!embedded_events.contains("mod axum"));
    let renamed = generated(
        "spec/wecard.yaml",
        &Options::default()
            .with_runtime_path("crate::deps::runtime")
            .expect("a path"),
    );
    assert!(renamed.contains("use crate::deps::runtime as __wecard_runtime;"));
    assert!(Options::default().with_runtime_path("not a path").is_err());
    let derives = Options::default()
        .with_derive("::core::cmp::Eq")
        .expect("a path");
    let with_eq = generated("tests/fixtures/naming.yaml", &derives);
    assert!(with_eq.contains("::core::cmp::Eq"));
    let crate_only = Options::default()
        .with_visibility("pub(crate)")
        .expect("a visibility");
    let hidden = generated("tests/fixtures/naming.yaml", &crate_only);
    assert!(hidden.contains("pub(crate) struct Result"));
    assert!(Options::default().with_visibility("public").is_err());
    assert!(Options::default().with_derive("not a path").is_err());
}

#[test]
fn generation_is_deterministic() {
    let first = generated("spec/wecard.yaml", &Options::default());
    for _ in 0..9 {
        assert_eq!(generated("spec/wecard.yaml", &Options::default()), first);
    }
}

#[test]
fn adding_an_endpoint_at_the_end_leaves_every_existing_item_unchanged() {
    let text = std::fs::read_to_string(workspace_root().join("spec/wecard.yaml")).expect("spec");
    let extended = format!(
        "{text}\n  - id: zz_added_last\n    summary: 新接口\n    path: /cgi-bin/added/last\n    token: query\n    \
         request:\n      fields:\n        - name: added\n          type: string\n          description: 新字段\n"
    );
    let base = wecard_codegen::load_str("spec/wecard.yaml", &text).expect("base");
    let plus =
        wecard_codegen::load_str("spec/wecard.yaml", &extended).unwrap_or_else(|d| panic!("{d}"));
    let base = generate(&base, &Options::default()).expect("generate");
    let plus = generate(&plus, &Options::default()).expect("generate");
    let items = |code: &str| -> Vec<String> {
        let file = syn::parse_file(code).expect("generated code parses");
        file.items
            .iter()
            .map(|item| quote::quote!(#item).to_string())
            .collect()
    };
    let (base_items, plus_items) = (items(&base), items(&plus));
    for item in &base_items {
        assert!(
            plus_items.contains(item),
            "an existing item changed:\n{item}"
        );
    }
    let added: Vec<&String> = plus_items
        .iter()
        .filter(|item| !base_items.contains(item))
        .collect();
    assert!(
        added
            .iter()
            .any(|item| item.contains("struct ZzAddedLastRequest"))
    );
    assert!(
        added.iter().all(|item| item.contains("ZzAddedLast")),
        "only the new endpoint's items are new"
    );
}

#[test]
fn patterns_are_matched_by_generated_tables_without_a_regex_crate() {
    use wecard_tests::generated::naming::{GetResultRequest, Option as Code, RuleParams};
    let request = |codes: &[&str]| GetResultRequest {
        r#type: Code::Some,
        super_: None,
        default: None,
        code_list: Some(codes.iter().map(|c| c.to_string()).collect()),
        r#box: None,
    };
    assert!(request(&["AB-12", "学生-7"]).validate().is_ok());
    let errors = request(&["AB-12", "ab-1", "学生-", "XY-9\n"])
        .validate()
        .expect_err("three bad codes");
    let bad: Vec<(Option<usize>, &str)> =
        errors.errors().iter().map(|e| (e.index, e.rule)).collect();
    assert_eq!(
        bad,
        [
            (Some(1), "pattern"),
            (Some(2), "pattern"),
            (Some(3), "pattern")
        ]
    );
    assert!(matches!(
        errors.errors()[0].params,
        RuleParams::Pattern {
            pattern: "([A-Z]{2}|学生)-[0-9]+"
        }
    ));
    let code = generated("tests/fixtures/naming.yaml", &Options::default());
    assert!(
        !code.contains("regex"),
        "generated code needs no regex crate"
    );
}
