//! `wecard-example plan` and `apply` as a user runs them, against a sandbox on loopback.

// A test fails by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

use generated_example::sandbox::{self, AppConfig, SandboxConfig, SchoolConfig};

const BIN: &str = env!("CARGO_BIN_EXE_wecard-example");

fn run(args: &[&str], url: &str, dir: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("WECARD_BASE_URL", url)
        .env("WECARD_APP_KEY", "cli-app")
        .env("WECARD_APP_SECRET", "cli-secret")
        .env("WECARD_OCODE", "cli-school")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn plan_then_apply_with_the_guard_and_a_saved_plan() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let config = SandboxConfig::new()
        .school(SchoolConfig::new("cli-school", "学校"))
        .app(AppConfig::new("cli-app", "cli-secret").enable("cli-school"));
    let sandbox = runtime.block_on(sandbox::start(config)).unwrap();
    let url = sandbox.url();
    let tmp = tempfile::tempdir().unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/roster.csv");
    let sample = sample.display().to_string();

    // Everything is a create at first; apply does it and logs it.
    let output = run(&["plan", &sample], &url, tmp.path());
    assert_eq!(output.status.code(), Some(1), "6 rows are invalid");
    assert!(
        stdout(&output).contains("create 230, update 0, unchanged 0, delete 0, invalid rows 6"),
        "{}",
        stdout(&output)
    );
    let output = run(&["apply", &sample], &url, tmp.path());
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stdout(&output).contains("applied: created 230, updated 0, deleted 0, failed 0"));
    let audit = std::fs::read_to_string(tmp.path().join("wecard-audit.jsonl")).unwrap();
    assert_eq!(audit.matches("\"outcome\":\"done\"").count(), 230);
    assert!(!audit.contains("cli-secret"));

    // A roster of five: planned as 225 deletions, refused, then allowed.
    let text = std::fs::read_to_string(&sample).unwrap();
    let five: Vec<&str> = text.lines().take(6).collect();
    let small = tmp.path().join("five.csv");
    std::fs::write(&small, five.join("\n")).unwrap();
    let small = small.display().to_string();
    let plan_json = tmp.path().join("plan.json").display().to_string();
    let output = run(&["plan", &small, "--json", &plan_json], &url, tmp.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let shown = stdout(&output);
    assert!(shown.contains("delete 225"), "{shown}");
    assert!(shown.contains("apply would refuse this plan"), "{shown}");
    let output = run(&["apply", &small], &url, tmp.path());
    assert_eq!(output.status.code(), Some(1));
    let refusal = stderr(&output);
    assert!(
        refusal.contains("refusing to delete 225 members")
            && refusal.contains("--allow-deletes 225")
            && refusal.contains("nothing was changed"),
        "{refusal}"
    );
    assert_eq!(sandbox.users("cli-school").len(), 230);

    // The saved plan is refused once the platform changed.
    let leaver = text.lines().nth(20).unwrap().split(',').next().unwrap();
    let output = run(&["delete", leaver], &url, tmp.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let output = run(
        &["apply", "--plan", &plan_json, "--allow-deletes", "225"],
        &url,
        tmp.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("the platform has changed since this plan was made"),
        "{}",
        stderr(&output)
    );
    assert_eq!(sandbox.users("cli-school").len(), 229);

    // Allowed: done.
    let output = run(
        &["apply", &small, "--allow-deletes", "224"],
        &url,
        tmp.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("deleted 224"),
        "{}",
        stdout(&output)
    );
    assert_eq!(sandbox.users("cli-school").len(), 5);
    drop(sandbox);
}
