use std::path::Path;

use super::{DriftEntry, DriftKind, propose, read_report, unified_diff};

/// A small spec: a record with a block field list written in the compact style (dashes at the
/// key's column), an enum, an error table, an endpoint with an inline field list.
const SPEC: &str = "\
wecard_spec: 1
enums:
  - name: Gender
    description: 性别
    repr: int
    values:
      - value: 1
        name: male
        description: 男
records:
  - name: Member
    description: 成员
    fields:
    - name: card_number
      type: string
      required: true
      description: 卡号
    - name: note
      type: string
      description: >-
        备注,
        可多行
    note: compact list
error_codes:
  - code: 40001
    name: bad_key
    description: 不合法
    handling: configuration
endpoints:
  - id: ping
    response:
      fields: [{name: ok, type: bool, description: 是否成功}]
";

fn entry(kind: DriftKind, record: Option<&str>, path: &str, value: &str) -> DriftEntry {
    DriftEntry {
        endpoint: "search_users".into(),
        record: record.map(str::to_string),
        path: path.into(),
        kind,
        enum_name: None,
        value: value.into(),
        count: 2,
    }
}

fn edited(entries: &[DriftEntry]) -> super::Proposal {
    propose(Path::new("spec.yaml"), SPEC, entries).unwrap()
}

#[test]
fn an_unknown_field_joins_its_records_fields_at_their_indentation_after_the_last_one() {
    let proposal = edited(&[entry(
        DriftKind::UnknownField,
        Some("Member"),
        "userlist[].nickname",
        "\"小明\"",
    )]);
    let expected = SPEC.replace(
        "        可多行\n",
        "        可多行\n    - name: nickname\n      type: string\n      description: \"nickname\"\n      example: \"小明\"\n      note: \"Not in any source yet: seen 2 times in search_users replies at userlist[].nickname; proposed by wecard-codegen drift. Replace the description with the source's words.\"\n",
    );
    assert_eq!(proposal.edited, expected);
    assert_eq!(
        proposal.edits,
        ["23: record Member: new field `nickname` (string, example \"小明\")"]
    );
    assert!(proposal.skipped.is_empty());
}

#[test]
fn the_field_type_follows_the_value_and_an_untyped_value_gets_no_example() {
    let proposal = edited(&[
        entry(
            DriftKind::UnknownField,
            Some("Member"),
            "a[].roles",
            "[1,2]",
        ),
        entry(
            DriftKind::UnknownField,
            Some("Member"),
            "a[].extra",
            "{\"x\":1}",
        ),
        entry(
            DriftKind::UnknownField,
            Some("Member"),
            "a[].key",
            "\"<redacted>\"",
        ),
    ]);
    assert!(
        proposal
            .edited
            .contains("type: list<int>\n      description: \"roles\"\n      example: [1,2]\n")
    );
    assert!(
        proposal.edited.contains(
            "- name: extra\n      type: string\n      description: \"extra\"\n      note:"
        )
    );
    assert!(proposal.edited.contains("fits no spec type"));
    assert!(proposal.edited.contains("- name: key\n      secret: true\n      type: string\n      description: \"key\"\n      note:"));
}

#[test]
fn an_unknown_code_joins_its_enums_values() {
    let mut code = entry(DriftKind::UnknownCode, None, "userlist[].gender", "7");
    code.enum_name = Some("Gender".into());
    let proposal = edited(&[code]);
    assert!(
        proposal.edited.contains(
            "        description: 男\n      - value: 7\n        name: code_7\n        description: \"7\"\n        note:"
        ),
        "{}",
        proposal.edited
    );
    assert_eq!(proposal.edits, ["10: enum Gender: new code 7"]);
}

#[test]
fn an_unknown_error_code_joins_the_error_table() {
    let proposal = edited(&[entry(DriftKind::UnknownErrorCode, None, "", "40099")]);
    assert!(proposal.edited.contains(
        "    handling: configuration\n  - code: 40099\n    name: error_40099\n    description: \"40099\"\n    handling: request\n    note:"
    ));
}

#[test]
fn a_missing_required_field_loses_its_required_line() {
    let proposal = edited(&[entry(
        DriftKind::MissingField,
        Some("Member"),
        "userlist[].card_number",
        "null",
    )]);
    assert_eq!(proposal.edited, SPEC.replace("      required: true\n", ""));
    assert_eq!(proposal.edits.len(), 1);
}

#[test]
fn what_cannot_be_placed_is_skipped_with_a_reason() {
    let mut unknown_enum = entry(DriftKind::UnknownCode, None, "x", "1");
    unknown_enum.enum_name = Some("Colour".into());
    let proposal = edited(&[
        entry(
            DriftKind::UnknownField,
            Some("Member"),
            "u[].card_number",
            "\"1\"",
        ),
        entry(DriftKind::UnknownField, Some("Nobody"), "u[].x", "1"),
        {
            let mut reply = entry(DriftKind::UnknownField, None, "extra", "1");
            reply.endpoint = "ping".into();
            reply
        },
        unknown_enum,
        entry(DriftKind::UnknownErrorCode, None, "", "40001"),
        entry(DriftKind::MissingField, Some("Member"), "u[].note", "null"),
    ]);
    assert_eq!(proposal.edited, SPEC);
    let reasons: Vec<&str> = proposal.skipped.iter().map(|s| s.reason.as_str()).collect();
    assert_eq!(
        reasons,
        [
            "the spec already has the field `card_number`",
            "the spec has no record `Nobody`",
            "the list at line 32 is written inline (`[…]`): rewrite it as a block list (`- …` lines) to have edits proposed",
            "the spec has no enum `Colour`",
            "the error table already lists 40001",
            "field `note` is not marked required",
        ]
    );
}

#[test]
fn the_same_field_seen_through_two_endpoints_is_added_once() {
    let first = entry(
        DriftKind::UnknownField,
        Some("Member"),
        "userlist[].nickname",
        "\"a\"",
    );
    let mut second = first.clone();
    second.endpoint = "list_org_users".into();
    let proposal = edited(&[first, second]);
    assert_eq!(proposal.edited.matches("- name: nickname").count(), 1);
    assert_eq!(proposal.edits.len(), 1);
}

#[test]
fn reports_are_read_from_an_object_or_a_list_and_refused_clearly() {
    let report = r#"{"rows": 3, "drift": [{"endpoint": "e", "path": "p", "kind": "unknown_field", "value": "1", "count": 1}]}"#;
    assert_eq!(read_report(report).unwrap().len(), 1);
    assert_eq!(read_report(r#"{"rows": 3}"#).unwrap(), Vec::new());
    assert_eq!(read_report("[]").unwrap(), Vec::new());
    assert!(read_report("{").unwrap_err().starts_with("not JSON"));
    assert!(
        read_report(r#"{"drift": [{"kind": "odd"}]}"#)
            .unwrap_err()
            .contains("not a list of drift entries")
    );
    assert!(read_report("3").unwrap_err().contains("neither an object"));
}

#[test]
fn the_diff_is_unified_and_empty_without_changes() {
    assert_eq!(unified_diff("spec.yaml", SPEC, SPEC), "");
    let diff = unified_diff("spec.yaml", "a\nb\n", "a\nc\nb\n");
    assert_eq!(
        diff,
        "--- a/spec.yaml\n+++ b/spec.yaml\n@@ -1,2 +1,3 @@\n a\n+c\n b\n"
    );
}
