//! The drift loop end to end: a sandbox sends an extra member field and an unknown error code;
//! `wecard-example sync --verify --report` records both; `wecard_codegen::drift` proposes spec
//! edits (the output `wecard-codegen drift` prints); the edited spec passes `check`; and a client
//! generated from it, built in a scratch crate, records no drift against the same sandbox, while
//! one generated from the spec as it was records both again.

// A test fails by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use generated_example::sandbox::{self, DriftConfig, SandboxConfig};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_wecard-example");
const APP_KEY: &str = "drift-app";
const APP_SECRET: &str = "drift-secret";
const OCODE: &str = "drift-school";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// What the sandbox sends beyond the bundled spec.
fn drift() -> DriftConfig {
    DriftConfig::default()
        .member_field("nickname", json!("小明"))
        .error_code("create_user", 40099)
}

fn config() -> SandboxConfig {
    SandboxConfig::demo(APP_KEY, APP_SECRET, OCODE).drift(drift())
}

const ROSTER: &str = "\
学号,姓名,性别,年级,学院,专业,班级,校区,手机号,邮箱,身份证号,民族,生源地,宿舍号,入学年份,组织架构
20210101001,郭伟,女,2021,信息学院,计算机,计算机211班,南校区,18324111041,s20210101001@stu.example.edu.cn,440305200302052567,满族,广东省,C栋413,2021,信息学院/计算机/计算机211班
20210101002,张平,女,2021,信息学院,计算机,计算机212班,北校区,13949532281,s20210101002@stu.example.edu.cn,310104200303087749,回族,上海市,C栋121,2021,信息学院/计算机/计算机212班
";

/// The scratch program: calls create_user twice (the first meets the unknown error code) and
/// reads the member back, with the module `before` against the first URL and `after` against
/// the second, and prints each client's drift log as JSON.
const MAIN: &str = r#"//! Runs two generated clients against two sandboxes and prints their drift.
#![allow(missing_docs)]

mod before;
mod after;

macro_rules! run {
    ($module:ident, $url:expr) => {{
        use $module::client::{Client, ClientConfig};
        let client = Client::new(ClientConfig::new("drift-app", "drift-secret", "drift-school").base_url($url));
        let request: $module::CreateUserRequest = serde_json::from_value(serde_json::json!({
            "card_number": "20990101001", "name": "李雷", "identity_type": "学生",
            "identity_title": "本科生", "organization": "信息学院/计算机/计算机211班"
        })).expect("a valid request");
        let first = client.create_user(&request).await;
        assert!(first.is_err(), "the sandbox answers the first create_user with an errcode");
        client.create_user(&request).await.expect("the second create_user succeeds");
        let read = $module::GetUsersByCardNumbersRequest { card_numbers: vec!["20990101001".into()] };
        let reply = client.get_users_by_card_numbers(&read).await.expect("the member is read back");
        assert_eq!(reply.userlist.map(|list| list.len()), Some(1));
        serde_json::to_value(client.take_drift()).expect("drift as JSON")
    }};
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let urls: Vec<String> = std::env::args().skip(1).collect();
    let before = run!(before, urls[0].clone());
    let after = run!(after, urls[1].clone());
    println!("{}", serde_json::json!({"before": before, "after": after}));
}
"#;

fn generated(spec_name: &str, text: &str) -> String {
    let model = wecard_codegen::load_str(spec_name, text).expect("the spec loads");
    wecard_codegen::Builder::new(spec_name)
        .client(true)
        .generate_for(&model)
        .expect("the spec generates")
}

fn dependency(name: &str, relative: &str, extra: &str) -> String {
    let path = workspace().join(relative).canonicalize().unwrap();
    format!(
        "{name} = {{ path = {:?}{extra} }}\n",
        path.display().to_string()
    )
}

/// Builds and runs the scratch program (in the workspace's target directory, so dependency
/// builds are shared) with a module per spec text, against `urls`.
fn run_scratch(before: &str, after: &str, urls: [&str; 2]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"drift-loop\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n\
         tokio = {{ version = \"1\", features = [\"rt\", \"macros\", \"sync\"] }}\n\
         reqwest = {{ version = \"0.12\", default-features = false, features = [\"json\", \"rustls-tls\"] }}\n{}\n\
         [workspace]\n\n[profile.dev]\ndebug = \"line-tables-only\"\n\n\
         [profile.dev.package.\"*\"]\ndebug = false\nopt-level = 2\n",
        dependency(
            "wecard-runtime",
            "wecard-codegen/runtime",
            ", features = [\"client\"]"
        )
    );
    std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    std::fs::write(root.join("src/main.rs"), MAIN).unwrap();
    std::fs::write(root.join("src/before.rs"), before).unwrap();
    std::fs::write(root.join("src/after.rs"), after).unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--offline", "--"])
        .args(urls)
        .current_dir(root)
        .env("CARGO_TARGET_DIR", workspace().join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "the scratch program failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn kinds(drift: &Value) -> Vec<(String, String)> {
    let mut kinds: Vec<(String, String)> = drift
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| {
            (
                entry["kind"].as_str().unwrap().to_string(),
                entry["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    kinds.sort();
    kinds
}

#[test]
fn drift_seen_in_a_sync_becomes_spec_edits_that_check_and_leave_no_drift() {
    let runtime = tokio::runtime::Runtime::new().unwrap();

    // 1. A sync with --report records the extra member field and the unknown error code.
    let sandbox = runtime.block_on(sandbox::start(config())).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let roster = tmp.path().join("roster.csv");
    std::fs::write(&roster, ROSTER).unwrap();
    let report_path = tmp.path().join("report.json");
    let output = Command::new(BIN)
        .args(["sync", "--verify", "--concurrency", "1", "--report"])
        .arg(&report_path)
        .arg(&roster)
        .env("WECARD_BASE_URL", sandbox.url())
        .env("WECARD_APP_KEY", APP_KEY)
        .env("WECARD_APP_SECRET", APP_SECRET)
        .env("WECARD_OCODE", OCODE)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    // The row that met the unknown error code failed, so the exit code is 1.
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("drift: create_user: unknown_error_code: 40099"),
        "{stdout}"
    );
    let report_text = std::fs::read_to_string(&report_path).unwrap();
    let report: Value = serde_json::from_str(&report_text).unwrap();
    assert_eq!(report["verified"], 1);
    assert_eq!(
        kinds(&report["drift"]),
        [
            ("unknown_error_code".to_string(), String::new()),
            (
                "unknown_field".to_string(),
                "userlist[].nickname".to_string()
            ),
        ]
    );
    assert!(!report_text.contains(APP_SECRET));
    drop(sandbox);

    // 2. The drift becomes proposed edits; applied, they make `check` pass.
    let spec_path = workspace().join("spec/wecard.yaml");
    let spec = std::fs::read_to_string(&spec_path).unwrap();
    let entries = wecard_codegen::drift::read_report(&report_text).unwrap();
    let proposal =
        wecard_codegen::drift::propose(Path::new("spec/wecard.yaml"), &spec, &entries).unwrap();
    assert!(proposal.skipped.is_empty(), "{:?}", proposal.skipped);
    assert_eq!(proposal.edits.len(), 2, "{:?}", proposal.edits);
    let diff = wecard_codegen::drift::unified_diff("spec/wecard.yaml", &spec, &proposal.edited);
    assert!(diff.contains("+      - name: nickname\n"), "{diff}");
    assert!(diff.contains("+        example: \"小明\"\n"), "{diff}");
    assert!(diff.contains("+  - code: 40099\n"), "{diff}");
    let edited = wecard_codegen::load_str("spec/wecard.yaml", &proposal.edited);
    assert!(edited.is_ok(), "{}", edited.unwrap_err().render(false));
    let model = edited.unwrap();
    let member = model
        .records()
        .iter()
        .find(|r| r.name() == "Member")
        .unwrap();
    assert!(member.fields().iter().any(|f| f.wire_name() == "nickname"));
    assert!(model.error_codes().iter().any(|e| e.code() == 40099));

    // 3. Against the same sandbox, a client from the edited spec records nothing; one from the
    //    spec as it was records both again.
    let before = runtime.block_on(sandbox::start(config())).unwrap();
    let after = runtime.block_on(sandbox::start(config())).unwrap();
    let drift = run_scratch(
        &generated("spec/wecard.yaml", &spec),
        &generated("spec/wecard.yaml", &proposal.edited),
        [&before.url(), &after.url()],
    );
    assert_eq!(
        kinds(&drift["before"]),
        [
            ("unknown_error_code".to_string(), String::new()),
            (
                "unknown_field".to_string(),
                "userlist[].nickname".to_string()
            ),
        ]
    );
    assert_eq!(drift["after"], json!([]));
}
