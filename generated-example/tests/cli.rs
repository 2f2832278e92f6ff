//! `wecard-example` as a user runs it: what it prints and how it exits, pinned.

// A test fails by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

use generated_example::sandbox::{self, AppConfig, SandboxConfig, SchoolConfig};

const BIN: &str = env!("CARGO_BIN_EXE_wecard-example");

/// Runs the program from the workspace root with the given WECARD_* variables (and no others).
fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."));
    for name in [
        "WECARD_BASE_URL",
        "WECARD_APP_KEY",
        "WECARD_APP_SECRET",
        "WECARD_OCODE",
    ] {
        command.env_remove(name);
    }
    // Each run gets its own embedded-sandbox state unless the caller names one.
    static RUNS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let state = std::env::temp_dir().join(format!(
        "wecard-cli-test-{}-{}.json",
        std::process::id(),
        RUNS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    command.env("WECARD_SANDBOX_STATE", &state);
    command.envs(env.iter().copied());
    let output = command.output().expect("the program runs");
    let _ = std::fs::remove_file(&state);
    output
}

/// Exit code, stdout and stderr, with temporary paths and the sandbox's port made stable.
fn transcript(output: &Output, tmp: Option<&Path>) -> String {
    let mut text = format!(
        "exit: {:?}\n--- stdout\n{}--- stderr\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if let Some(tmp) = tmp {
        text = text.replace(&tmp.display().to_string(), "[TMP]");
    }
    let port = regex_free_port(&text);
    if let Some(port) = port {
        text = text.replace(&port, "[PORT]");
    }
    text
}

/// The port of a `http://127.0.0.1:PORT` in the text, if any.
fn regex_free_port(text: &str) -> Option<String> {
    let start = text.find("127.0.0.1:")? + "127.0.0.1:".len();
    let digits: String = text[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then_some(digits)
}

#[test]
fn validate_prints_exactly_the_sample_rosters_mistakes() {
    let output = run(&["validate", "generated-example/data/roster.csv"], &[]);
    insta::assert_snapshot!("validate_sample", transcript(&output, None));
    let output = run(
        &["validate", "--strict", "generated-example/data/roster.csv"],
        &[],
    );
    insta::assert_snapshot!("validate_sample_strict", transcript(&output, None));
}

#[test]
fn unreadable_rosters_are_refused_with_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("missing.csv");
    let binary = tmp.path().join("photo.csv");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let unknown = tmp.path().join("unknown.csv");
    std::fs::write(&unknown, "学号,姓名,学员类别\n1,张三,本科\n").unwrap();
    let typo = tmp.path().join("typo.csv");
    std::fs::write(&typo, "card_numbr,name\n1,张三\n").unwrap();
    let mut all = String::new();
    for path in [&missing, &binary, &unknown, &typo] {
        let output = run(&["validate", &path.display().to_string()], &[]);
        assert_eq!(output.status.code(), Some(2));
        all.push_str(&transcript(&output, Some(tmp.path())));
    }
    insta::assert_snapshot!("unreadable_rosters", all);
}

#[test]
fn credentials_wrong_or_incomplete_are_refused_without_printing_them() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let config = SandboxConfig::new()
        .school(SchoolConfig::new("cli-school", "学校"))
        .app(AppConfig::new("cli-app", "the-right-secret").enable("cli-school"));
    let sandbox = runtime.block_on(sandbox::start(config)).unwrap();
    let url = sandbox.url();
    let wrong = [
        ("WECARD_BASE_URL", url.as_str()),
        ("WECARD_APP_KEY", "cli-app"),
        ("WECARD_APP_SECRET", "a-wrong-secret"),
        ("WECARD_OCODE", "cli-school"),
    ];
    let output = run(&["sync", "generated-example/data/roster.csv"], &wrong);
    let text = transcript(&output, None);
    assert!(!text.contains("a-wrong-secret"), "{text}");
    insta::assert_snapshot!("wrong_credential", text);
    let output = run(&["search", "张三"], &[("WECARD_APP_KEY", "cli-app")]);
    insta::assert_snapshot!("incomplete_credentials", transcript(&output, None));
    drop(sandbox);
}

#[test]
fn sync_against_the_embedded_sandbox_reports_and_writes_json() {
    let tmp = tempfile::tempdir().unwrap();
    let report_path = tmp.path().join("report.json");
    let output = run(
        &[
            "sync",
            "generated-example/data/roster.csv",
            "--report",
            &report_path.display().to_string(),
        ],
        &[],
    );
    // Six rows are invalid, so the exit code is 1 though every valid row was synced.
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("local sandbox at http://127.0.0.1:"),
        "{stderr}"
    );
    assert!(stderr.contains("progress: 230/230 rows done"), "{stderr}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report_path).unwrap()).unwrap();
    assert_eq!(report["rows"], 236);
    assert_eq!(report["upserted"], 230);
    assert_eq!(report["skipped_invalid"].as_array().unwrap().len(), 6);
    assert_eq!(report["failed"].as_array().unwrap().len(), 0);
    let output = run(
        &["sync", "--dry-run", "generated-example/data/roster.csv"],
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("would upsert 230, skipped 6 as invalid"),
        "{stdout}"
    );
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(run(&["sync"], &[]).status.code(), Some(2));
    assert_eq!(
        run(&["sync", "x.csv", "--concurrency", "0"], &[])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(run(&["frobnicate"], &[]).status.code(), Some(2));
    assert_eq!(
        run(&["changes", "--date", "2024-13-40"], &[]).status.code(),
        Some(2)
    );
}

#[test]
fn sync_exits_0_only_when_every_row_is_valid_and_synced() {
    let tmp = tempfile::tempdir().unwrap();
    let clean = tmp.path().join("clean.csv");
    std::fs::write(
        &clean,
        "学号,姓名,组织架构\n2024001,张三,信息学院/计算机\n2024002,李四,信息学院/计算机\n",
    )
    .unwrap();
    let clean = clean.display().to_string();
    for args in [
        vec!["sync", clean.as_str()],
        vec!["sync", "--dry-run", clean.as_str()],
    ] {
        let output = run(&args, &[]);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
    }
    let invalid = tmp.path().join("invalid.csv");
    std::fs::write(
        &invalid,
        "学号,姓名,组织架构\n2024001,张三,信息学院/计算机\n2024002,,信息学院/计算机\n",
    )
    .unwrap();
    let output = run(&["sync", &invalid.display().to_string()], &[]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn rejects_are_written_back_with_formulas_neutralised() {
    let tmp = tempfile::tempdir().unwrap();
    let roster = tmp.path().join("roster.csv");
    std::fs::write(
        &roster,
        "学号,姓名,组织架构\n=HYPERLINK(\"http://x\"),,学院/系\n2024002,@SUM(A1),学院/系\n",
    )
    .unwrap();
    let rejects = tmp.path().join("rejects.csv");
    let output = run(
        &[
            "validate",
            &roster.display().to_string(),
            "--rejects",
            &rejects.display().to_string(),
        ],
        &[],
    );
    assert_eq!(output.status.code(), Some(1));
    let written = std::fs::read_to_string(&rejects).unwrap();
    let mut lines = written.lines();
    assert_eq!(
        lines.next(),
        Some("\u{feff}学号,姓名,组织架构,行号 line,问题 problems")
    );
    let row = lines.next().unwrap();
    assert!(
        row.starts_with("\"'=HYPERLINK(\"\"http://x\"\")\",,学院/系,2,"),
        "{row}"
    );
    // The second row is valid (a name is data, whatever it looks like), so it is not written.
    assert_eq!(lines.next(), None);
}

/// The first `lines` lines the `sandbox` command writes to stderr; the process is then ended.
fn sandbox_banner(args: &[&str], lines: usize) -> String {
    use std::io::BufRead;
    let mut child = Command::new(BIN)
        .arg("sandbox")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the sandbox starts");
    let stderr = child.stderr.take().unwrap();
    let text: Vec<String> = std::io::BufReader::new(stderr)
        .lines()
        .take(lines)
        .map(Result::unwrap)
        .collect();
    child.kill().unwrap();
    child.wait().unwrap();
    text.join("\n")
}

#[test]
fn the_sandbox_prints_its_demo_credentials_but_never_a_chosen_secret() {
    let text = sandbox_banner(&[], 3);
    assert!(
        text.contains(
            "WECARD_APP_KEY=demo-app-key-001 WECARD_APP_SECRET=demo-app-secret-0001 WECARD_OCODE=demo-school"
        ),
        "{text}"
    );
    let text = sandbox_banner(&["--app-secret", "my-own-secret-value"], 3);
    assert!(!text.contains("my-own-secret-value"), "{text}");
    assert!(text.contains("WECARD_APP_SECRET=…"), "{text}");
}

#[test]
fn exit_codes_follow_one_table_for_every_command() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let config = SandboxConfig::new()
        .school(SchoolConfig::new("exit-school", "学校"))
        .app(AppConfig::new("exit-app", "the-right-secret").enable("exit-school"));
    let sandbox = runtime.block_on(sandbox::start(config)).unwrap();
    let url = sandbox.url();
    let env = |secret: &'static str| {
        [
            ("WECARD_BASE_URL", url.clone()),
            ("WECARD_APP_KEY", "exit-app".to_string()),
            ("WECARD_APP_SECRET", secret.to_string()),
            ("WECARD_OCODE", "exit-school".to_string()),
        ]
    };
    let roster = "generated-example/data/roster.csv";
    let commands: [&[&str]; 7] = [
        &["search", "郭伟"],
        &["get", "20210101001"],
        &["delete", "20210101001"],
        &["changes"],
        &["sync", roster],
        &["plan", roster],
        &["apply", roster],
    ];
    for args in commands {
        // Refused credentials: the program could not run.
        let wrong = env("a-wrong-secret");
        let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let output = run(args, &wrong);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            transcript(&output, None)
        );
        // A base URL that is not one: the same, with a message that says so.
        let bad: Vec<(&str, &str)> = wrong
            .iter()
            .map(|(k, v)| {
                if *k == "WECARD_BASE_URL" {
                    (*k, "not-a-url")
                } else {
                    (*k, *v)
                }
            })
            .collect();
        let output = run(args, &bad);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(
            stderr.contains("WECARD_BASE_URL `not-a-url` is not a URL"),
            "{args:?}: {stderr}"
        );
    }
    // Right credentials: the queries answer (0); the sample roster has invalid rows (1).
    let right = env("the-right-secret");
    let right: Vec<(&str, &str)> = right.iter().map(|(k, v)| (*k, v.as_str())).collect();
    for (args, code) in [
        (&["search", "郭伟"][..], 0),
        (&["changes"][..], 0),
        (&["sync", roster][..], 1),
        (&["plan", roster][..], 1),
        (&["get", "20210101001"][..], 0),
        (&["delete", "no-such-card"][..], 1),
    ] {
        let output = run(args, &right);
        assert_eq!(
            output.status.code(),
            Some(code),
            "{args:?}: {}",
            transcript(&output, None)
        );
    }
    drop(sandbox);
}

#[test]
fn help_names_the_variables_the_embedded_sandbox_and_the_exit_codes() {
    let output = run(&["--help"], &[]);
    let help = String::from_utf8_lossy(&output.stdout);
    for needle in [
        "WECARD_BASE_URL",
        "WECARD_APP_KEY",
        "WECARD_APP_SECRET",
        "WECARD_OCODE",
        "embedded WeCard sandbox",
        "Exit codes",
        "plan",
        "apply",
    ] {
        assert!(help.contains(needle), "{needle}: {help}");
    }
}

#[test]
fn the_embedded_sandbox_keeps_what_was_synced_until_fresh() {
    let tmp = tempfile::tempdir().unwrap();
    let state = tmp.path().join("state.json");
    let state = state.to_str().unwrap();
    let env = [("WECARD_SANDBOX_STATE", state)];
    let output = run(&["sync", "generated-example/data/roster.csv"], &env);
    assert_eq!(output.status.code(), Some(1), "six rows are invalid");
    let output = run(&["search", "郭伟"], &env);
    assert_eq!(output.status.code(), Some(0));
    let found: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(found[0]["card_number"], "20210101001", "{found}");
    let output = run(&["get", "20210101002", "20210101003"], &env);
    let found: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(found.as_array().unwrap().len(), 2, "{found}");
    let output = run(&["changes"], &env);
    let records: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        records.as_array().unwrap().len(),
        230,
        "one addUser per synced row"
    );
    // --fresh starts empty (and leaves the state empty).
    let output = run(&["search", "郭伟", "--fresh"], &env);
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "[]");
    let output = run(&["search", "郭伟"], &env);
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "[]");
}

#[test]
fn a_silent_api_stops_the_sync_early_and_reports_the_rest_as_not_attempted() {
    // An API that issues a token, then never answers another request.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        let mut held = Vec::new();
        for stream in listener.incoming().take(64) {
            let Ok(mut stream) = stream else { continue };
            let mut head = [0u8; 2048];
            let read = stream.read(&mut head).unwrap_or(0);
            if String::from_utf8_lossy(&head[..read]).contains("/oauth2/token") {
                let body = r#"{"access_token":"tok","expires_in":7200}"#;
                let _ = write!(
                    stream,
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
            } else {
                held.push(stream);
            }
        }
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("report.json");
    let started = std::time::Instant::now();
    let output = run(
        &[
            "sync",
            "generated-example/data/roster.csv",
            "--deadline",
            "3",
            "--max-transport-failures",
            "2",
            "--report",
            report.to_str().expect("utf-8 path"),
        ],
        &[
            ("WECARD_BASE_URL", &url),
            ("WECARD_APP_KEY", "key"),
            ("WECARD_APP_SECRET", "secret-value"),
            ("WECARD_OCODE", "1000001"),
        ],
    );
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    // 230 valid rows × 5 attempts × a 10 s timeout, without the limits.
    assert!(elapsed < std::time::Duration::from_secs(60), "{elapsed:?}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).expect("report")).expect("json");
    let failed = report["failed"].as_array().expect("failed rows");
    assert_eq!(failed.len(), 230, "every valid row is accounted for");
    let not_attempted = failed
        .iter()
        .filter(|row| row["not_attempted"] == serde_json::Value::Bool(true))
        .count();
    assert!(not_attempted > 200, "{not_attempted} rows not attempted");
    assert!(stdout.contains("not attempted"), "{stdout}");
    assert!(!stdout.contains("secret-value"));
}

#[test]
fn the_sandboxs_drift_flags_are_checked_before_it_starts() {
    let output = run(
        &["sandbox", "--drift-error-code", "no_such_endpoint=40099"],
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("is not ENDPOINT=CODE with an endpoint of the spec"),
        "{stderr}"
    );
    assert!(stderr.contains("create_user"), "{stderr}");
    let output = run(&["sandbox", "--drift-member-field", "=1"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("is not NAME=JSON"));
}
