//! `wecard-codegen diff` on a corpus of spec pairs, one kind of change each
//! (`tests/diff_corpus/NN_name/{old,new}.yaml`): the human report and the JSON objects of each
//! pair are pinned by a snapshot; the kinds the pair is named for are checked to be found, and
//! every report is symmetric (what one direction adds, the other removes).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

use std::path::{Path, PathBuf};

use wecard_codegen::diff::{Kind, RenderOptions, Side, compare};

fn corpus() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff_corpus");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)
        .expect("the corpus exists")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn side(dir: &Path, which: &str) -> Side {
    let text = std::fs::read_to_string(dir.join(format!("{which}.yaml"))).expect("readable");
    Side::from_text(format!("{which}.yaml"), &text)
        .unwrap_or_else(|d| panic!("{}/{which}.yaml is invalid:\n{d}", dir.display()))
}

#[test]
fn the_corpus_has_at_least_forty_pairs() {
    assert!(corpus().len() >= 40, "{} pairs", corpus().len());
}

#[test]
fn each_pair_is_pinned_by_its_report() {
    for dir in corpus() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let (old, new) = (side(&dir, "old"), side(&dir, "new"));
        let report = compare(&old, &new);
        let options = RenderOptions::default();
        let mut text = report.render(&options);
        text.push_str("\n--- json ---\n");
        for object in report.to_json(&options) {
            text.push_str(&serde_json::to_string_pretty(&object).unwrap());
            text.push('\n');
        }
        text.push_str(&serde_json::to_string_pretty(&report.summary_json(&options)).unwrap());
        insta::assert_snapshot!(format!("diff__{name}"), text);
        if name.ends_with("identical") {
            assert!(report.is_empty(), "{name}");
        } else {
            assert!(
                report.changes().iter().any(|c| !c.kind().is_discipline()),
                "{name}: nothing found"
            );
        }
    }
}

/// The kind a pair is named for, by a word in its name.
#[test]
fn each_pair_finds_the_kind_it_is_named_for() {
    let expected: &[(&str, Kind)] = &[
        ("endpoint_added", Kind::EndpointAdded),
        ("endpoint_removed", Kind::EndpointRemoved),
        ("endpoint_renamed", Kind::EndpointRenamed),
        ("path_changed", Kind::PathChanged),
        ("method_changed", Kind::MethodChanged),
        ("token_moved", Kind::TokenMoved),
        ("token_dropped", Kind::TokenMoved),
        ("envelope_dropped", Kind::EnvelopeChanged),
        ("paging", Kind::PagingChanged),
        ("field_added", Kind::FieldAdded),
        ("field_removed", Kind::FieldRemoved),
        ("made_required", Kind::FieldMadeRequired),
        ("made_optional", Kind::FieldMadeOptional),
        ("type_changed", Kind::FieldTypeChanged),
        ("wire_renamed", Kind::FieldWireRenamed),
        ("rust_renamed", Kind::FieldRustRenamed),
        ("nullable", Kind::FieldNullableChanged),
        ("sent_as_string", Kind::FieldWireFormChanged),
        ("secret", Kind::FieldFlagChanged),
        ("needs_grant", Kind::FieldFlagChanged),
        ("rule_tightened", Kind::RuleTightened),
        ("rule_loosened", Kind::RuleLoosened),
        ("rule_added", Kind::RuleTightened),
        ("rule_removed", Kind::RuleLoosened),
        ("order_changed", Kind::FieldOrderChanged),
        ("enum_value_added", Kind::EnumValueAdded),
        ("enum_value_removed", Kind::EnumValueRemoved),
        ("enum_value_renamed", Kind::EnumValueRenamed),
        ("repr_changed", Kind::EnumReprChanged),
        ("enum_added", Kind::EnumAdded),
        ("enum_removed", Kind::EnumRemoved),
        ("record_added", Kind::RecordAdded),
        ("record_removed", Kind::RecordRemoved),
        ("error_code_added", Kind::ErrorCodeAdded),
        ("error_code_removed", Kind::ErrorCodeRemoved),
        ("error_code_renamed", Kind::ErrorCodeRenamed),
        ("handling_changed", Kind::ErrorHandlingChanged),
        ("descriptions_only", Kind::DocsChanged),
        ("examples_only", Kind::DocsChanged),
        ("default_lost", Kind::DefaultChanged),
        ("base_url", Kind::ApiChanged),
        ("token_param", Kind::ApiChanged),
    ];
    for dir in corpus() {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let report = compare(&side(&dir, "old"), &side(&dir, "new"));
        for (word, kind) in expected {
            if name.contains(word) {
                assert!(
                    report.changes().iter().any(|c| c.kind() == *kind),
                    "{name}: no {}",
                    kind.as_str()
                );
            }
        }
    }
}

#[test]
fn a_covered_change_has_no_changelog_finding() {
    for name in ["field_with_since_and_changelog", "changelog_names_endpoint"] {
        let dir = corpus()
            .into_iter()
            .find(|d| d.to_string_lossy().ends_with(name))
            .expect("the pair exists");
        let report = compare(&side(&dir, "old"), &side(&dir, "new"));
        assert_eq!(report.discipline().count(), 0, "{name}");
    }
}

/// What one direction adds the other removes, and a pair's report is the same size both ways.
#[test]
fn reports_are_symmetric() {
    let opposite = |kind: Kind| match kind {
        Kind::EndpointAdded => Some(Kind::EndpointRemoved),
        Kind::FieldAdded => Some(Kind::FieldRemoved),
        Kind::RecordAdded => Some(Kind::RecordRemoved),
        Kind::EnumAdded => Some(Kind::EnumRemoved),
        Kind::EnumValueAdded => Some(Kind::EnumValueRemoved),
        Kind::ErrorCodeAdded => Some(Kind::ErrorCodeRemoved),
        Kind::FieldMadeRequired => Some(Kind::FieldMadeOptional),
        Kind::RuleTightened => Some(Kind::RuleLoosened),
        _ => None,
    };
    for dir in corpus() {
        let (old, new) = (side(&dir, "old"), side(&dir, "new"));
        let forward = compare(&old, &new);
        let backward = compare(&new, &old);
        let count = |report: &wecard_codegen::diff::Report, kind: Kind| {
            report.changes().iter().filter(|c| c.kind() == kind).count()
        };
        for kind in Kind::ALL {
            if let Some(other) = opposite(*kind) {
                assert_eq!(
                    count(&forward, *kind),
                    count(&backward, other),
                    "{}: {} one way, {} the other",
                    dir.display(),
                    kind.as_str(),
                    other.as_str()
                );
            }
        }
    }
}

/// The bundled spec before its 2020-05-08 change (no `role` field, no changelog entry) against
/// the spec as it is: the new field is found, and the entry and `since` cover it.
#[test]
fn the_bundled_specs_own_history_is_disciplined() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/wecard.yaml");
    let now = std::fs::read_to_string(path).expect("bundled spec");
    let lines: Vec<&str> = now.lines().collect();
    let block = |start: usize| {
        let depth = lines[start].len() - lines[start].trim_start().len();
        let mut end = start + 1;
        while end < lines.len() {
            let line = lines[end];
            let indent = line.len() - line.trim_start().len();
            if line.trim_start().starts_with("- ") && indent <= depth || indent < depth {
                break;
            }
            end += 1;
        }
        start..end
    };
    let entry = lines
        .iter()
        .position(|l| l.trim() == "- date: \"2020-05-08\"")
        .expect("the changelog entry");
    let role = lines
        .iter()
        .position(|l| l.trim() == "- name: role")
        .expect("the role field");
    let (entry, role) = (block(entry), block(role));
    let before: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| !entry.contains(i) && !role.contains(i))
        .map(|(_, l)| *l)
        .collect();
    let old = Side::from_text("old.yaml", &before.join("\n")).unwrap_or_else(|d| panic!("{d}"));
    let new = Side::from_text("new.yaml", &now).unwrap();
    let report = compare(&old, &new);
    let kinds: Vec<Kind> = report.changes().iter().map(|c| c.kind()).collect();
    assert!(kinds.contains(&Kind::FieldAdded), "{kinds:?}");
    assert!(kinds.contains(&Kind::ChangelogAdded), "{kinds:?}");
    assert_eq!(
        report.discipline().count(),
        0,
        "{}",
        report.render(&RenderOptions::default())
    );
    // Without the entry, the same field is a finding; without `since` too, two.
    let no_entry = Side::from_text(
        "new.yaml",
        &lines
            .iter()
            .enumerate()
            .filter(|(i, _)| !entry.contains(i))
            .map(|(_, l)| *l)
            .collect::<Vec<_>>()
            .join("\n")
            .replace("        since: \"2020-05-08\"\n", ""),
    )
    .unwrap_or_else(|d| panic!("{d}"));
    let report = compare(&old, &no_entry);
    let findings: Vec<Kind> = report.discipline().map(|c| c.kind()).collect();
    assert_eq!(
        findings,
        [Kind::ChangelogMissing, Kind::SinceMissing],
        "{findings:?}"
    );
}

/// A field's `since` covers that field only: another wire change to the same endpoint still
/// needs an entry, and the finding points at it.
#[test]
fn since_covers_only_its_own_field() {
    let dir = corpus()
        .into_iter()
        .find(|d| d.to_string_lossy().ends_with("since_covers_only_its_field"))
        .expect("the pair exists");
    let report = compare(&side(&dir, "old"), &side(&dir, "new"));
    let findings: Vec<_> = report.discipline().collect();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].kind(), Kind::ChangelogMissing);
    let type_change = report
        .changes()
        .iter()
        .find(|c| c.kind() == Kind::FieldTypeChanged)
        .expect("the type change");
    assert_eq!(findings[0].new_span(), type_change.new_span());
}
