//! `wecard-codegen openapi`: JSON or YAML by the file name, the version flag, and `--check`.

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

#[test]
fn writes_json_3_1_by_default_and_yaml_3_0_on_request() {
    let dir = tempfile::tempdir().expect("tempdir");
    let json_path = dir.path().join("wecard.openapi.json");
    let json_text = json_path.display().to_string();
    let output = run(&["openapi", "spec/wecard.yaml", "-o", &json_text]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).expect("JSON");
    assert_eq!(document["openapi"], "3.1.0");
    assert!(document["paths"]["/cgi-bin/user/manage/create"]["post"].is_object());

    let yaml_path = dir.path().join("wecard.openapi.yaml");
    let yaml_text = yaml_path.display().to_string();
    let output = run(&["openapi", "-o", &yaml_text, "--openapi-version", "3.0"]);
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let text = std::fs::read_to_string(&yaml_path).unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "YAML, not JSON"
    );
    let document: serde_json::Value = serde_yaml::from_str(&text).expect("YAML");
    assert_eq!(document["openapi"], "3.0.3");
    let json_document: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).unwrap()).unwrap();
    let names = |document: &serde_json::Value| -> Vec<String> {
        document["components"]["schemas"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect()
    };
    assert_eq!(names(&document), names(&json_document));
}

#[test]
fn check_reports_a_stale_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("api.json");
    let path_text = path.display().to_string();
    assert_eq!(run(&["openapi", "-o", &path_text]).status.code(), Some(0));
    assert_eq!(
        run(&["openapi", "-o", &path_text, "--check"]).status.code(),
        Some(0)
    );
    let stale = run(&[
        "openapi",
        "-o",
        &path_text,
        "--check",
        "--openapi-version",
        "3.0",
    ]);
    assert_eq!(stale.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&stale.stderr).contains("stale"));
}

#[test]
fn unknown_version_is_refused() {
    let output = run(&["openapi", "-o", "/dev/null", "--openapi-version", "2.0"]);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("3.1") && stderr.contains("3.0"), "{stderr}");
}
