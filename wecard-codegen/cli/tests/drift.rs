//! `wecard-codegen drift REPORT.json [SPEC]` as a user runs it: the proposed edits as a unified
//! diff, what they are, whether the edited spec checks, and the exit codes.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_wecard-codegen");

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn transcript(output: &Output) -> String {
    format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

const REPORT: &str = "wecard-codegen/cli/tests/drift/report.json";
const SPEC: &str = "tests/corpus/00_valid.yaml";

#[test]
fn drift_prints_the_proposed_edits_as_a_diff_and_exits_1() {
    let spec_before = std::fs::read_to_string(workspace().join(SPEC)).unwrap();
    let output = run(&["drift", REPORT, SPEC]);
    insta::assert_snapshot!("drift_proposal", transcript(&output));
    // Never written.
    assert_eq!(
        std::fs::read_to_string(workspace().join(SPEC)).unwrap(),
        spec_before
    );
}

#[test]
fn the_diff_applies_and_the_result_checks() {
    let output = run(&["drift", REPORT, SPEC]);
    let diff = String::from_utf8(output.stdout).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let spec = tmp.path().join("spec.yaml");
    let text = std::fs::read_to_string(workspace().join(SPEC)).unwrap();
    let edited = apply(&text, &diff);
    std::fs::write(&spec, edited).unwrap();
    let check = run(&["check", spec.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{}", transcript(&check));
    // Run again on the edited spec: every entry is known now (or relaxed), so nothing is left.
    let again = run(&["drift", REPORT, spec.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(0), "{}", transcript(&again));
    assert!(again.stdout.is_empty());
}

/// Applies a unified diff of whole-line hunks to `text` (what `patch` would do, enough for
/// hunks that apply exactly).
fn apply(text: &str, diff: &str) -> String {
    let old: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut next = 0;
    for line in diff.lines().skip(2) {
        if let Some(header) = line.strip_prefix("@@ -") {
            let start: usize = header.split([',', ' ']).next().unwrap().parse().unwrap();
            while next + 1 < start {
                out.push(old[next].to_string());
                next += 1;
            }
        } else if let Some(added) = line.strip_prefix('+') {
            out.push(added.to_string());
        } else if let Some(removed) = line.strip_prefix('-') {
            assert_eq!(old[next], removed);
            next += 1;
        } else {
            let context = line.strip_prefix(' ').unwrap_or(line);
            assert_eq!(old[next], context);
            out.push(context.to_string());
            next += 1;
        }
    }
    out.extend(old[next..].iter().map(|line| line.to_string()));
    out.join("\n") + "\n"
}

#[test]
fn a_report_without_drift_proposes_nothing_and_exits_0() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("report.json");
    std::fs::write(&report, r#"{"rows": 2, "upserted": 2}"#).unwrap();
    let output = run(&["drift", report.to_str().unwrap(), SPEC]);
    assert_eq!(output.status.code(), Some(0), "{}", transcript(&output));
    assert!(output.stdout.is_empty());
}

#[test]
fn unreadable_reports_and_specs_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let report = tmp.path().join("report.json");
    std::fs::write(&report, "{not json").unwrap();
    let output = run(&["drift", report.to_str().unwrap(), SPEC]);
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    assert!(transcript(&output).contains("not JSON"));
    let output = run(&["drift", REPORT, "no/such/spec.yaml"]);
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
    assert!(transcript(&output).contains("cannot read the spec no/such/spec.yaml"));
    let broken = tmp.path().join("broken.yaml");
    std::fs::write(&broken, "a: [1,\n").unwrap();
    let output = run(&["drift", REPORT, broken.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "{}", transcript(&output));
}

#[test]
fn help_lists_the_exit_codes() {
    let output = run(&["drift", "--help"]);
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("Exit codes:"), "{help}");
    assert!(help.contains("1  edits are proposed"), "{help}");
}
