//! `#[derive(WecardUser)]` checks a struct against the spec of the crate it is used in, the one
//! that crate's `build.rs` generates its module from, with nothing more than the README's
//! `build.rs` and the derive. A scratch crate outside the workspace (built into the workspace's
//! target directory, so the dependency builds are shared) goes through three builds:
//!
//! 1. its spec lacks `nickname` and its struct maps it: a compile error naming `nickname`;
//! 2. the spec gains `nickname` (request and member): the same struct compiles, without anything
//!    in `wecard-macros` being rebuilt by hand, and `nickname` round-trips through
//!    `to_create_request` and `from_member`;
//! 3. the spec loses `email` while the struct still maps it: a compile error naming `email`.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

use wecard_tests::{bundled_spec, consumer_manifest, path_dependency, workspace_root};

const PACKAGE: &str = "wecard-derive-own-spec";

const MAIN: &str = r#"//! Round-trips a student through the crate's own spec.

/// The WeCard API, generated from this crate's spec.
mod wecard {
    include!(concat!(env!("OUT_DIR"), "/wecard.rs"));
}

use wecard::WecardUser as _;
use wecard_macros::WecardUser;

#[derive(Debug, PartialEq, WecardUser)]
#[wecard(identity_type = "学生", identity_title = "本科生", organization = "信息学院")]
struct Student {
    card_number: String,
    name: String,
    nickname: Option<String>,
    email: Option<String>,
}

fn main() {
    let student = Student {
        card_number: "2021001".into(),
        name: "张三".into(),
        nickname: Some("小张".into()),
        email: None,
    };
    let request = student.to_create_request().expect("valid");
    let json = serde_json::to_value(&request).expect("json");
    assert_eq!(json["nickname"], "小张", "{json}");
    let member: wecard::Member = serde_json::from_value(serde_json::json!({
        "card_number": "2021001", "name": "张三", "nickname": "小张"
    }))
    .expect("member");
    let back = Student::from_member(&member).expect("from member");
    assert_eq!(back, student);
    println!("round trip ok");
}
"#;

/// The bundled spec with an optional `nickname` in the create request and the member (or
/// without), and with or without `email`.
fn spec(nickname: bool, email: bool) -> String {
    let mut text = std::fs::read_to_string(bundled_spec()).expect("bundled spec");
    if nickname {
        // Before the member's second field, `name`.
        let member = "      - name: name\n        type: string\n        description: 姓名\n";
        assert!(text.contains(member), "the member's name field moved");
        text = text.replacen(
            member,
            &format!(
                "      - name: nickname\n        type: string\n        description: 昵称\n{member}"
            ),
            1,
        );
        let head = "    request:\n      fields:\n";
        let first = "        - name: card_number\n          type: string\n          required: true\n          description: 学工号\n";
        let request = format!("{head}{first}");
        assert!(
            text.contains(&request),
            "the create request's first field moved"
        );
        text = text.replacen(
            &request,
            &format!("{head}        - name: nickname\n          type: string\n          description: 昵称\n{first}"),
            1,
        );
    }
    if !email {
        for block in [
            "      - name: email\n        type: string\n        needs_grant: true\n        description: 邮箱\n        example: xxxxx@qq.com\n",
            "        - name: email\n          type: string\n          description: 邮箱\n          example: weixiao@tencent.com\n          rules:\n            - format: email\n              level: strict\n              note: >-\n                Strict only: no source states a rule for the address; seed 000's example is a\n                plain address.\n",
        ] {
            assert!(text.contains(block), "an email field moved: {block}");
            text = text.replacen(block, "", 1);
        }
    }
    text
}

fn scratch_crate(root: &Path) {
    std::fs::create_dir_all(root.join("src")).expect("src");
    let dependencies = format!(
        "{}{}",
        path_dependency("wecard-runtime", "wecard-codegen/runtime", ""),
        path_dependency("wecard-macros", "wecard-macros", "")
    );
    let manifest = consumer_manifest(
        PACKAGE,
        "2021",
        &dependencies,
        &path_dependency("wecard-codegen", "wecard-codegen", ""),
    );
    std::fs::write(root.join("Cargo.toml"), manifest).expect("manifest");
    std::fs::copy(workspace_root().join("Cargo.lock"), root.join("Cargo.lock")).expect("lock");
    std::fs::write(
        root.join("build.rs"),
        "fn main() -> Result<(), wecard_codegen::BuildError> {\n    \
         wecard_codegen::Builder::new(\"spec/wecard.yaml\").generate()?;\n    Ok(())\n}\n",
    )
    .expect("build.rs");
    std::fs::write(root.join("src/main.rs"), MAIN).expect("main.rs");
    std::fs::create_dir_all(root.join("spec")).expect("spec dir");
}

fn cargo_run(root: &Path) -> Output {
    Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--offline"])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", workspace_root().join("target"))
        .env_remove("RUSTFLAGS")
        .env_remove("WECARD_USER_FIELDS")
        .output()
        .expect("cargo runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_derive_follows_the_crates_own_spec_across_edits() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    scratch_crate(root);
    let spec_path = root.join("spec/wecard.yaml");

    // 1. No `nickname` in this crate's spec: mapping it is an error that names it.
    std::fs::write(&spec_path, spec(false, true)).expect("spec");
    let output = cargo_run(root);
    let text = stderr(&output);
    assert!(!output.status.success(), "must not compile:\n{text}");
    assert!(
        text.contains("`nickname` is not a WeCard field"),
        "the error names the field:\n{text}"
    );

    // 2. The spec gains `nickname`: the derive follows on the next build, and it round-trips.
    std::fs::write(&spec_path, spec(true, true)).expect("spec");
    let output = cargo_run(root);
    assert!(
        output.status.success(),
        "must build and run:\n{}",
        stderr(&output)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).trim(),
        "round trip ok"
    );

    // 3. The spec loses `email`: the struct that still maps it no longer compiles.
    std::fs::write(&spec_path, spec(true, false)).expect("spec");
    let output = cargo_run(root);
    let text = stderr(&output);
    assert!(!output.status.success(), "must not compile:\n{text}");
    assert!(
        text.contains("`email` is not a WeCard field"),
        "the error names the field:\n{text}"
    );
}
