//! `wecard-codegen diff` as a user runs it: exit codes 0, 1 and 2, `--allow-breaking`,
//! `--strict`, `--format json`, and the `git:REV:PATH` form read from a real repository.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_wecard-codegen");

fn corpus(pair: &str) -> (String, String) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/diff_corpus")
        .join(pair);
    let path = |which: &str| dir.join(which).display().to_string();
    (path("old.yaml"), path("new.yaml"))
}

fn run(args: &[&str], dir: Option<&Path>) -> Output {
    let mut command = Command::new(BIN);
    command.args(args).env("NO_COLOR", "1");
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    command.output().expect("the binary runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn nothing_breaking_exits_zero() {
    let (old, new) = corpus("46_descriptions_only");
    let output = run(&["diff", &old, &new], None);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output));
    assert!(
        text(&output).contains("proposed version bump"),
        "{}",
        text(&output)
    );
}

#[test]
fn breaking_exits_one_unless_allowed() {
    let (old, new) = corpus("12_request_field_added_required");
    let output = run(&["diff", &old, &new], None);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    assert!(
        text(&output).contains("new.yaml:79:17: error: required field `email`"),
        "{}",
        text(&output)
    );
    let allowed = run(&["diff", "--allow-breaking", &old, &new], None);
    assert_eq!(allowed.status.code(), Some(0), "{}", text(&allowed));
    assert!(text(&allowed).contains(": warning: required field `email`"));
}

#[test]
fn strict_makes_changelog_findings_errors() {
    let (old, new) = corpus("29_rule_loosened");
    let lax = run(&["diff", &old, &new], None);
    assert_eq!(lax.status.code(), Some(0), "{}", text(&lax));
    assert!(text(&lax).contains(
        "warning: no new changelog entry names the wire change to endpoint `create_user`"
    ));
    let strict = run(&["diff", "--strict", &old, &new], None);
    assert_eq!(strict.status.code(), Some(1), "{}", text(&strict));
}

#[test]
fn json_prints_one_object_per_change_then_a_summary() {
    let (old, new) = corpus("34_enum_value_added");
    let output = run(&["diff", "--format", "json", &old, &new], None);
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON object"))
        .collect();
    let first = &lines[0];
    assert_eq!(first["kind"], "enum-value-added");
    assert_eq!(first["wire"], "safe");
    assert_eq!(first["semver"], "major");
    assert!(first["new"]["line"].is_u64() && first["old"]["line"].is_u64());
    assert_eq!(lines.last().unwrap()["kind"], "summary");
    assert_eq!(lines.last().unwrap()["bump"], "major");
}

#[test]
fn an_invalid_spec_or_a_bad_argument_exits_two() {
    let (old, _) = corpus("01_endpoint_added");
    let broken = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus/01_unknown_key_did_you_mean.yaml");
    let output = run(&["diff", &old, &broken.display().to_string()], None);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output));
    assert!(text(&output).contains("unknown key"), "{}", text(&output));
    let missing = run(&["diff", &old, "/nonexistent/spec.yaml"], None);
    assert_eq!(missing.status.code(), Some(2));
    let usage = run(&["diff", &old], None);
    assert_eq!(usage.status.code(), Some(2));
    let bad_git = run(&["diff", "git:nope", &old], None);
    assert_eq!(bad_git.status.code(), Some(2));
    assert!(
        text(&bad_git).contains("git:REV:PATH"),
        "{}",
        text(&bad_git)
    );
}

#[test]
fn help_lists_the_exit_codes() {
    let output = run(&["diff", "--help"], None);
    let help = text(&output);
    assert!(
        help.contains("Exit codes:") && help.contains("--allow-breaking"),
        "{help}"
    );
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=t", "-c", "user.email=t@example.invalid"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(status.status.success(), "git {args:?}: {}", text(&status));
}

#[test]
fn git_revisions_are_read_with_git_show() {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo: PathBuf = dir.path().to_path_buf();
    let (old, new) = corpus("17_request_field_made_required");
    git(&repo, &["init", "-q"]);
    std::fs::create_dir_all(repo.join("spec")).unwrap();
    std::fs::copy(&old, repo.join("spec/api.yaml")).unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "old"]);
    std::fs::copy(&new, repo.join("spec/api.yaml")).unwrap();
    let output = run(
        &["diff", "git:HEAD:spec/api.yaml", "spec/api.yaml"],
        Some(&repo),
    );
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let report = text(&output);
    assert!(
        report.contains("spec/api.yaml:") && report.contains("became required"),
        "{report}"
    );
    assert!(report.contains("::: git:HEAD:spec/api.yaml:"), "{report}");
    let same = run(
        &["diff", "git:HEAD:spec/api.yaml", "git:HEAD:spec/api.yaml"],
        Some(&repo),
    );
    assert_eq!(same.status.code(), Some(0), "{}", text(&same));
    assert!(text(&same).contains("no changes"));
    let missing = run(
        &["diff", "git:HEAD:spec/nope.yaml", "spec/api.yaml"],
        Some(&repo),
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        text(&missing).contains("git show HEAD:spec/nope.yaml"),
        "{}",
        text(&missing)
    );
}
