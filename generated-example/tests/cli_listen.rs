//! `wecard-example listen` and `sandbox --push-url` as a user runs them: the receiver prints
//! its URL, then one JSON line per event (a repeated delivery once), refuses bad pushes with a
//! non-zero code and keeps running, and exits 0 on Ctrl-C. Pinned.

// A test fails by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use generated_example::wecard::client::{Client, ClientConfig};
use generated_example::wecard::{CreateUserRequest, Event, Member, Organization};
use wecard_runtime::events::{Cipher, Encoding, PushBody};

const BIN: &str = env!("CARGO_BIN_EXE_wecard-example");
const KEY: &str = "listen-key-00016";
const SECRET: &str = "listen-secret-never-printed";

/// Starts the program with only the given WECARD_* variables, stdout and stderr piped.
fn spawn(args: &[&str], env: &[(&str, &str)]) -> Child {
    let mut command = Command::new(BIN);
    command.args(args);
    for name in [
        "WECARD_BASE_URL",
        "WECARD_APP_KEY",
        "WECARD_APP_SECRET",
        "WECARD_OCODE",
    ] {
        command.env_remove(name);
    }
    command
        .envs(env.iter().copied())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the program starts")
}

/// Reads stdout lines on a thread, so a test can wait for them with a time limit.
fn lines(stdout: ChildStdout) -> mpsc::Receiver<String> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

fn next(lines: &mpsc::Receiver<String>) -> String {
    lines
        .recv_timeout(Duration::from_secs(20))
        .expect("a line within 20 s")
}

/// Ctrl-C, then the exit code and what stderr held.
fn interrupt(mut child: Child) -> (Option<i32>, String) {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
    let code = child.wait().expect("the program ends").code();
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    (code, stderr)
}

fn org() -> Event {
    Event::AddOrg(
        serde_json::from_value::<Organization>(serde_json::json!({
            "id": 7, "name": "一年级", "parent_id": 0,
        }))
        .unwrap(),
    )
}

fn user() -> Event {
    Event::AddUser(
        serde_json::from_value::<Member>(serde_json::json!({
            "card_number": "1604030126", "name": "evan1", "identity_type": "2",
        }))
        .unwrap(),
    )
}

fn sealed(key: &str, encoding: Encoding, event: &Event) -> String {
    let cipher = Cipher::new(KEY, SECRET).unwrap().with_encoding(encoding);
    let mut body = PushBody::seal(&cipher, KEY, "listen-school", event).unwrap();
    body.app_key = key.to_string();
    serde_json::to_string(&body).unwrap()
}

#[test]
fn listen_prints_each_event_once_refuses_bad_pushes_and_keeps_running() {
    let mut child = spawn(
        &["listen", "--port", "0"],
        &[("WECARD_APP_KEY", KEY), ("WECARD_APP_SECRET", SECRET)],
    );
    let stdout = lines(child.stdout.take().unwrap());
    let url = next(&stdout);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let mut wrong_data: PushBody =
        serde_json::from_str(&sealed(KEY, Encoding::Hex, &org())).unwrap();
    wrong_data.raw_data = "00ff".to_string();
    let unknown = Event::Unknown {
        code: "addCanteen".to_string(),
        data: serde_json::json!({"id": 3}),
    };
    let deliveries = [
        ("an org, in hex", sealed(KEY, Encoding::Hex, &org())),
        (
            "the same delivery again",
            sealed(KEY, Encoding::Hex, &org()),
        ),
        ("not JSON", "<xml/>".to_string()),
        (
            "another app's",
            sealed("another-app-0016", Encoding::Hex, &org()),
        ),
        ("undecryptable", serde_json::to_string(&wrong_data).unwrap()),
        (
            "a member, in base64",
            sealed(KEY, Encoding::Base64, &user()),
        ),
        ("an unknown event", sealed(KEY, Encoding::Hex, &unknown)),
    ];
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let http = reqwest::Client::new();
    let mut replies = String::new();
    for (what, body) in deliveries {
        let reply = runtime.block_on(async {
            http.post(format!("{url}/any/path"))
                .body(body)
                .send()
                .await
                .expect("the receiver answers")
                .text()
                .await
                .expect("a body")
        });
        replies.push_str(&format!("{what}: {reply}\n"));
        assert!(
            child.try_wait().unwrap().is_none(),
            "still running after {what}"
        );
    }
    let printed = [next(&stdout), next(&stdout), next(&stdout)].join("\n");
    let (code, stderr) = interrupt(child);
    assert!(
        stdout.recv_timeout(Duration::from_secs(5)).is_err(),
        "nothing more printed"
    );
    let port = url.trim_start_matches("http://127.0.0.1:");
    let transcript = format!(
        "exit: {code:?}\n--- replies\n{replies}--- stdout\n[URL]\n{printed}\n--- stderr\n{stderr}"
    )
    .replace(port, "[PORT]");
    assert!(!transcript.contains(SECRET));
    insta::assert_snapshot!("listen", transcript);
}

#[test]
fn listen_refuses_a_key_that_cannot_be_an_aes_key() {
    let child = spawn(
        &["listen", "--app-key", "short"],
        &[("WECARD_APP_SECRET", SECRET)],
    );
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("must be exactly 16 bytes"), "{stderr}");
    assert!(!stderr.contains(SECRET));
    let child = spawn(&["listen"], &[("WECARD_APP_KEY", KEY)]);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("without an app secret"));
}

#[test]
fn the_sandbox_pushes_to_listen_with_the_demo_credentials() {
    let mut listener = spawn(&["listen", "--port", "0"], &[]);
    let events = lines(listener.stdout.take().unwrap());
    let url = next(&events);
    let mut sandbox = spawn(&["sandbox", "--empty", "--push-url", &url], &[]);
    let sandbox_lines = lines(sandbox.stdout.take().unwrap());
    let base_url = next(&sandbox_lines);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = Client::new(
        ClientConfig::new("demo-app-key-001", "demo-app-secret-0001", "demo-school")
            .base_url(base_url),
    );
    let request: CreateUserRequest = serde_json::from_value(serde_json::json!({
        "card_number": "20240001",
        "name": "张三",
        "identity_type": "学生",
        "identity_title": "本科生",
        "organization": "信息学院",
    }))
    .unwrap();
    runtime
        .block_on(client.create_user(&request))
        .expect("created");
    let first: serde_json::Value = serde_json::from_str(&next(&events)).unwrap();
    let second: serde_json::Value = serde_json::from_str(&next(&events)).unwrap();
    assert_eq!(first["event"], "addOrg");
    assert_eq!(first["data"]["name"], "信息学院");
    assert_eq!(second["event"], "addUser");
    assert_eq!(second["school_code"], "demo-school");
    assert_eq!(second["data"]["card_number"], "20240001");
    let (code, stderr) = interrupt(sandbox);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("every change is pushed to {url}")),
        "{stderr}"
    );
    let (code, stderr) = interrupt(listener);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("using the sandbox's demo app"), "{stderr}");
}
