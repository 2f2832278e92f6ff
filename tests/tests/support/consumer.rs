//! Scratch crates outside the workspace that hold generated modules and are built (with clippy,
//! or documented) in the workspace's own target directory, so the dependency builds are shared.

// Each test binary uses some of these helpers.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use wecard_tests::{consumer_manifest, path_dependency, workspace_root};

/// A scratch crate on disk, removed when dropped.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    /// Writes a crate of `edition` named `name` with the runtime (and the client's HTTP stack and
    /// the push events' crypto crates, for an embedded runtime) and the workspace's lock file, holding `files` (paths under the crate root, and text).
    pub fn new(name: &str, edition: &str, files: &[(&str, String)]) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("src")).expect("src");
        let dependencies = format!(
            "{}tokio = {{ version = \"1\", features = [\"sync\"] }}\n\
             reqwest = {{ version = \"0.12\", default-features = false, features = [\"json\", \"rustls-tls\"] }}\n\
             aes = \"0.8\"\ncbc = \"0.1\"\nhex = \"0.4\"\nbase64 = \"0.22\"\n",
            path_dependency(
                "wecard-runtime",
                "wecard-codegen/runtime",
                "features = [\"client\", \"events\"]"
            )
        );
        std::fs::write(
            root.join("Cargo.toml"),
            consumer_manifest(name, edition, &dependencies, ""),
        )
        .expect("manifest");
        // The workspace's lock file pins the same versions, so nothing new is resolved.
        std::fs::copy(workspace_root().join("Cargo.lock"), root.join("Cargo.lock")).expect("lock");
        for (path, text) in files {
            std::fs::write(root.join(path), text).expect("file");
        }
        Self { dir }
    }

    /// The crate's root directory.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Runs `cargo SUBCOMMAND ARGS` in the crate, offline, in the workspace's target directory,
    /// with the environment variables `env`.
    pub fn cargo(&self, subcommand: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO"));
        command
            .args([subcommand, "--offline"])
            .args(args)
            .current_dir(self.root())
            .env("CARGO_TARGET_DIR", workspace_root().join("target"))
            .env_remove("RUSTFLAGS")
            .env_remove("RUSTDOCFLAGS");
        for (key, value) in env {
            command.env(key, value);
        }
        command.output().expect("cargo runs")
    }

    /// `cargo clippy --all-targets -- -D warnings`, which builds the crate too.
    pub fn clippy(&self) -> Output {
        self.cargo(
            "clippy",
            &["--quiet", "--all-targets", "--", "-D", "warnings"],
            &[],
        )
    }
}

/// Writes a library crate of `edition` holding each `(name, code)` as module `name` under
/// `#![deny(warnings, missing_docs)]`, with the runtime (and the client's HTTP stack and the push events' crypto crates), and runs
/// `cargo clippy -- -D warnings` on it, which builds it too.
pub fn clippy_modules(edition: &str, modules: &[(&str, String)]) -> Output {
    library(edition, modules).clippy()
}

/// The library crate of [`clippy_modules`], not yet built.
pub fn library(edition: &str, modules: &[(&str, String)]) -> Scratch {
    let mut lib = String::from(
        "//! A fresh crate holding generated code.\n#![deny(warnings, missing_docs)]\n",
    );
    let mut files = Vec::new();
    for (name, code) in modules {
        files.push((format!("src/{name}.rs"), code.clone()));
        lib.push_str(&format!(
            "\n/// The generated WeCard API ({name}).\npub mod {name};\n"
        ));
    }
    files.push(("src/lib.rs".to_string(), lib));
    let files: Vec<(&str, String)> = files.iter().map(|(p, t)| (p.as_str(), t.clone())).collect();
    Scratch::new("generated-consumer", edition, &files)
}

/// Fails the test with cargo's output unless it succeeded.
pub fn assert_success(output: &Output, what: &str) {
    assert!(
        output.status.success(),
        "{what} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Writes a crate whose `src/` holds `files` (`lib.rs` among them) with the runtime as its only
/// dependency beside serde, and runs `cargo check --message-format short` on it: for code that
/// is expected not to compile, whose errors are read from the output.
#[allow(dead_code, reason = "each test binary uses some of the helpers")]
pub fn check_files(files: &[(String, String)]) -> Output {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    std::fs::create_dir_all(root.join("src")).expect("src");
    let dependencies = path_dependency("wecard-runtime", "wecard-codegen/runtime", "");
    std::fs::write(
        root.join("Cargo.toml"),
        consumer_manifest("semver-consumer", "2024", &dependencies, ""),
    )
    .expect("manifest");
    std::fs::copy(workspace_root().join("Cargo.lock"), root.join("Cargo.lock")).expect("lock");
    for (name, code) in files {
        std::fs::write(root.join("src").join(name), code).expect("code");
    }
    Command::new(env!("CARGO"))
        .args(["check", "--offline", "--message-format", "short"])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", workspace_root().join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs")
}
