//! The `wecard-codegen check` command as a user runs it: exit codes, output formats, and hostile
//! input rejected quickly with a clear error.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_wecard-codegen");

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> (Output, Duration) {
    let started = Instant::now();
    let output = Command::new(BIN)
        .args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    (output, started.elapsed())
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn bundled_spec_checks_clean_with_counts() {
    let (output, _) = run(&["check"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stdout.contains("13 endpoints"), "{stdout}");
    assert!(stdout.contains("10 error codes"), "{stdout}");
}

/// The bundled spec with `required:` misspelled once, at a known place.
fn misspelled_copy(dir: &Path) -> (PathBuf, usize, usize) {
    let text = std::fs::read_to_string(workspace().join("spec/wecard.yaml")).expect("spec");
    let (line_index, line) = text
        .lines()
        .enumerate()
        .find(|(_, line)| line.trim_start() == "required: true")
        .expect("the spec has a required field");
    let column = line.len() - line.trim_start().len() + 1;
    let broken = text.replacen(line, &line.replace("required", "requird"), 1);
    let path = dir.join("misspelled.yaml");
    std::fs::write(&path, broken).expect("write");
    (path, line_index + 1, column)
}

#[test]
fn misspelled_key_reports_place_source_and_suggestion() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, line, column) = misspelled_copy(dir.path());
    let path_text = path.display().to_string();
    let (output, _) = run(&["check", &path_text]);
    assert_eq!(output.status.code(), Some(1));
    let text = stderr(&output);
    let head = format!("{path_text}:{line}:{column}: error: unknown key `requird`");
    assert!(text.starts_with(&head), "{text}");
    assert!(
        text.contains(&format!("{line} |")) && text.contains("requird: true"),
        "{text}"
    );
    assert!(text.contains("^^^^^^^"), "{text}");
    assert!(text.contains("help: did you mean `required`?"), "{text}");
    assert!(text.contains("1 error found"), "{text}");

    let (output, _) = run(&["check", &path_text, "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    let diagnostic = &lines[0];
    assert_eq!(diagnostic["path"], path_text.as_str());
    assert_eq!(diagnostic["line"], line);
    assert_eq!(diagnostic["column"], column);
    assert_eq!(diagnostic["code"], "unknown-key");
    assert_eq!(diagnostic["help"], "did you mean `required`?");
    assert!(
        diagnostic["message"]
            .as_str()
            .is_some_and(|m| m.contains("requird"))
    );
}

#[test]
fn several_specs_are_all_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (broken, _, _) = misspelled_copy(dir.path());
    let broken = broken.display().to_string();
    let (output, _) = run(&["check", "spec/wecard.yaml", &broken]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stdout).contains("spec/wecard.yaml: ok"));
    assert!(stderr(&output).contains("requird"));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["check", "--format", "xml"]).0.status.code(), Some(2));
    assert_eq!(run(&["chekc"]).0.status.code(), Some(2));
    assert_eq!(run(&[]).0.status.code(), Some(2));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (path, _, _) = misspelled_copy(dir.path());
    let path = path.display().to_string();
    let (plain, _) = run(&["check", &path]);
    assert!(
        !stderr(&plain).contains('\u{1b}'),
        "piped output has no escape codes"
    );
    let (coloured, _) = run(&["check", &path, "--color", "always"]);
    assert!(stderr(&coloured).contains('\u{1b}'));
}

/// Hostile input: rejected with exit 1, a diagnostic of the expected kind, in bounded time.
fn assert_rejected(path: &Path, code: &str) {
    let path_text = path.display().to_string();
    let (output, elapsed) = run(&["check", &path_text, "--format", "json"]);
    assert!(
        elapsed < Duration::from_secs(5),
        "{path_text} took {elapsed:?}"
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let first: serde_json::Value =
        serde_json::from_str(stdout.lines().next().unwrap_or("{}")).expect("json");
    assert_eq!(first["code"], code, "{stdout}");
    assert!(first["message"].as_str().is_some_and(|m| !m.is_empty()));
    // The human rendering is clear too, and never a panic.
    let (output, _) = run(&["check", &path_text]);
    let text = stderr(&output);
    assert!(
        text.starts_with(&path_text) && text.contains(": error: "),
        "{text}"
    );
    assert!(!text.contains("panicked"), "{text}");
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

#[test]
fn alias_bomb_is_rejected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let (prev, next) = (pair[0], pair[1]);
        bomb.push_str(&format!("{next}: &{next} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
    }
    assert_rejected(&write(dir.path(), "bomb.yaml", bomb.as_bytes()), "yaml");
}

#[test]
fn deep_nesting_is_rejected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let flow = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_rejected(&write(dir.path(), "flow.yaml", flow.as_bytes()), "yaml");
    let block = format!("{}x\n", "- ".repeat(10_000));
    assert_rejected(&write(dir.path(), "block.yaml", block.as_bytes()), "yaml");
    let mappings = format!("{}1{}", "{a: ".repeat(10_000), "}".repeat(10_000));
    assert_rejected(&write(dir.path(), "maps.yaml", mappings.as_bytes()), "yaml");
}

#[test]
fn fifty_megabytes_is_rejected_unread() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("huge.yaml");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(50 * 1024 * 1024).expect("sparse file");
    assert_rejected(&path, "too-large");
}

#[test]
fn invalid_utf8_is_rejected_with_its_place() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        dir.path(),
        "latin1.yaml",
        b"wecard_spec: 1\napi:\n  name: caf\xe9\n",
    );
    assert_rejected(&path, "not-utf8");
    let (output, _) = run(&["check", &path.display().to_string()]);
    assert!(
        stderr(&output).starts_with(&format!("{}:3:12: error:", path.display())),
        "{}",
        stderr(&output)
    );
}

#[test]
fn empty_and_comment_only_files_are_rejected() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_rejected(&write(dir.path(), "empty.yaml", b""), "empty");
    assert_rejected(
        &write(dir.path(), "comments.yaml", b"# nothing here\n"),
        "empty",
    );
}

#[test]
fn documents_that_are_not_mappings_are_rejected() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_rejected(&write(dir.path(), "list.yaml", b"- a\n- b\n"), "wrong-type");
    assert_rejected(
        &write(dir.path(), "scalar.yaml", b"just words\n"),
        "wrong-type",
    );
    assert_rejected(&write(dir.path(), "two.yaml", b"a: 1\n---\nb: 2\n"), "yaml");
}

#[test]
fn missing_paths_and_directories_are_rejected() {
    let dir = tempfile::tempdir().expect("tempdir");
    assert_rejected(&dir.path().join("nope.yaml"), "io");
    assert_rejected(dir.path(), "io");
}

#[test]
fn generate_and_docs_check_fresh_and_stale_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = dir.path().join("spec.yaml");
    std::fs::copy(workspace().join("spec/wecard.yaml"), &spec).expect("copy");
    let spec = spec.display().to_string();
    let rust = dir.path().join("out/wecard.rs").display().to_string();
    let docs = dir.path().join("docs").display().to_string();

    let (output, _) = run(&["generate", &spec, "-o", &rust]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        std::fs::read_to_string(&rust)
            .expect("written")
            .starts_with("// @generated")
    );
    let (output, _) = run(&["docs", &spec, "-o", &docs]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    // Fresh: both checks pass, and regenerating touches nothing.
    assert_eq!(
        run(&["generate", &spec, "-o", &rust, "--check"])
            .0
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        run(&["docs", &spec, "-o", &docs, "--check"])
            .0
            .status
            .code(),
        Some(0)
    );
    let (output, _) = run(&["generate", &spec, "-o", &rust]);
    assert!(stderr(&output).contains("unchanged"), "{}", stderr(&output));

    // Stale after the spec changes: exit 1 with a summary naming the file.
    let text = std::fs::read_to_string(&spec).expect("spec");
    std::fs::write(
        &spec,
        text.replacen("summary: 新增用户", "summary: 新增或更新用户", 1),
    )
    .expect("edit");
    let (output, _) = run(&["generate", &spec, "-o", &rust, "--check"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("wecard.rs: stale (first difference at line"),
        "{}",
        stderr(&output)
    );
    let (output, _) = run(&["docs", &spec, "-o", &docs, "--check"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("stale"), "{}", stderr(&output));

    // An invalid spec: the diagnostics, exit 1, nothing written.
    std::fs::write(&spec, text.replacen("required: true", "requird: true", 1)).expect("break");
    let before = std::fs::read_to_string(&rust).expect("rust");
    let (output, _) = run(&["generate", &spec, "-o", &rust]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("did you mean `required`?"));
    assert_eq!(std::fs::read_to_string(&rust).expect("rust"), before);

    // A bad derive is a usage error.
    assert_eq!(
        run(&["generate", &spec, "-o", &rust, "--derive", "not a path"])
            .0
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn docs_check_fails_on_a_left_behind_page_and_docs_removes_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let spec = workspace().join("spec/wecard.yaml").display().to_string();
    let docs = dir.path().join("docs");
    let docs_arg = docs.display().to_string();
    let (output, _) = run(&["docs", &spec, "-o", &docs_arg]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));

    // The page of an endpoint since renamed (it carries the generated header), and a page of
    // someone's own (it does not).
    let left_behind = docs.join("endpoints/create_member.md");
    let generated = std::fs::read_to_string(docs.join("endpoints/create_user.md")).expect("page");
    std::fs::write(&left_behind, &generated).expect("write");
    let own = docs.join("endpoints/notes.md");
    std::fs::write(&own, "# Our notes\n").expect("write");

    let (output, _) = run(&["docs", &spec, "-o", &docs_arg, "--check"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let message = stderr(&output);
    assert!(
        message.contains("create_member.md: stale (a generated page this spec no longer produces"),
        "{message}"
    );
    assert!(!message.contains("notes.md"), "{message}");
    assert!(left_behind.exists(), "--check writes and removes nothing");

    let (output, _) = run(&["docs", &spec, "-o", &docs_arg]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("removed ") && stderr(&output).contains("create_member.md"),
        "{}",
        stderr(&output)
    );
    assert!(!left_behind.exists(), "the stale page is removed");
    assert!(
        own.exists(),
        "a page without the generated header is left alone"
    );
    let (output, _) = run(&["docs", &spec, "-o", &docs_arg, "--check"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}
