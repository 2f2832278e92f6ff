//! `build.rs` behaviour, in a temporary copy of a small consumer crate whose build script calls
//! `wecard_codegen::Builder::new("spec.yaml").generate()?`:
//!
//! 1. the first build runs the build script, which names exactly the files it read in
//!    `cargo:rerun-if-changed` (just `spec.yaml`, and nothing that does not exist);
//! 2. a second build with nothing changed does not run it again, and leaves the output alone;
//! 3. touching the spec runs it again, but the output file, whose bytes are the same, keeps its
//!    modification time (it is written only when its bytes change);
//! 4. changing the spec's content runs it again and rewrites the output;
//! 5. an invalid spec fails the build, with the rendered diagnostic in cargo's output.
//!
//! The consumer builds in the workspace's own target directory, with the workspace's profiles
//! (`wecard-codegen`, a member there but not here, is pinned to the member's opt-level so its
//! build-script artifacts are the workspace's own),
//! so that the dependency builds are shared rather than repeated. The steps share one package
//! name and must run in order, so they are one test; stale state from an earlier run is removed
//! first with `cargo clean -p`.
//!
//! Set `WECARD_BUILD_SCRIPT_VERBOSE=1` to see each build's `cargo build -v` output.
//!
//! Other work on `wecard-codegen` may land while this runs. When a build recompiles it, the
//! build script reruns for a reason that has nothing to do with the step, so the step is tried
//! again (a few times at most) rather than reported as a failure.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

use wecard_tests::{consumer_manifest, path_dependency, workspace_root};

/// The consumer's package name: one fixed name, used by this test only.
const PACKAGE: &str = "wecard-build-script-consumer";

/// How many times a step is tried when a concurrent change to `wecard-codegen` gets in its way.
const ATTEMPTS: usize = 3;

/// A consumer crate in a temporary directory, built into the workspace's target directory.
struct Consumer {
    dir: tempfile::TempDir,
    target: PathBuf,
}

/// One `cargo build -v`.
struct Build {
    success: bool,
    stderr: String,
    /// Whether the consumer's build script was executed (not just found fresh).
    script_ran: bool,
    /// Whether `wecard-codegen` itself was (re)compiled.
    codegen_compiled: bool,
}

impl Build {
    #[track_caller]
    fn assert_success(&self, what: &str) {
        assert!(self.success, "{what}: cargo build failed:\n{}", self.stderr);
    }
}

impl Consumer {
    fn new() -> Self {
        let root = workspace_root();
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path();
        std::fs::create_dir_all(path.join("src")).expect("src");
        std::fs::write(
            path.join("Cargo.toml"),
            consumer_manifest(
                PACKAGE,
                "2024",
                &path_dependency("wecard-runtime", "wecard-codegen/runtime", ""),
                &path_dependency("wecard-codegen", "wecard-codegen", ""),
            ),
        )
        .expect("manifest");
        // The workspace's lock file pins the same versions, so nothing new is resolved.
        std::fs::copy(root.join("Cargo.lock"), path.join("Cargo.lock")).expect("lock");
        std::fs::write(
            path.join("build.rs"),
            "//! Generates the WeCard module.\n\n\
             fn main() -> Result<(), wecard_codegen::BuildError> {\n    \
             wecard_codegen::Builder::new(\"spec.yaml\").generate()?;\n    Ok(())\n}\n",
        )
        .expect("build.rs");
        std::fs::write(
            path.join("src/lib.rs"),
            "//! A crate generating its WeCard module from `spec.yaml` in `build.rs`.\n\
             #![deny(warnings, missing_docs)]\n\n\
             /// The generated WeCard API.\n\
             pub mod wecard {\n    include!(concat!(env!(\"OUT_DIR\"), \"/wecard.rs\"));\n}\n",
        )
        .expect("lib.rs");
        let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/00_valid.yaml");
        std::fs::copy(&spec, path.join("spec.yaml")).expect("spec");
        Self {
            dir,
            target: root.join("target"),
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn spec(&self) -> PathBuf {
        self.path().join("spec.yaml")
    }

    fn cargo(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO"))
            .args(args)
            .arg("--offline")
            .current_dir(self.path())
            .env("CARGO_TARGET_DIR", &self.target)
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("CARGO_BUILD_TARGET")
            .output()
            .expect("cargo runs")
    }

    /// Removes everything an earlier run left for this package in the shared target directory.
    fn clean(&self) {
        let output = self.cargo(&["clean", "-p", PACKAGE]);
        assert!(
            output.status.success(),
            "cargo clean -p {PACKAGE} failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let leftovers = self.build_dirs();
        assert!(
            leftovers.is_empty(),
            "cargo clean -p {PACKAGE} left {leftovers:?}"
        );
    }

    fn build(&self, step: &str) -> Build {
        let started = Instant::now();
        let output = self.cargo(&["build", "-v"]);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        let build = Build {
            success: output.status.success(),
            script_ran: stderr.lines().any(runs_our_build_script),
            codegen_compiled: stderr
                .lines()
                .any(|line| line.trim_start().starts_with("Compiling wecard-codegen ")),
            stderr,
        };
        eprintln!(
            "{step}: {:.1?}, {}, build script {}{}",
            started.elapsed(),
            if build.success { "ok" } else { "failed" },
            if build.script_ran { "ran" } else { "fresh" },
            if build.codegen_compiled {
                ", wecard-codegen compiled"
            } else {
                ""
            },
        );
        if std::env::var_os("WECARD_BUILD_SCRIPT_VERBOSE").is_some() {
            eprintln!("{}", build.stderr);
        }
        build
    }

    /// `target/debug/build/<PACKAGE>-*`: the build script's compile and run directories.
    fn build_dirs(&self) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(self.target.join("debug/build")) else {
            return Vec::new();
        };
        let prefix = format!("{PACKAGE}-");
        entries
            .map(|entry| entry.expect("read target/debug/build").path())
            .filter(|path| {
                path.file_name()
                    .and_then(|name| name.to_str())
                    .and_then(|name| name.strip_prefix(&prefix))
                    .is_some_and(|hash| hash.chars().all(|c| c.is_ascii_hexdigit()))
            })
            .collect()
    }

    /// The build script's run directory: the one whose `output` file is newest.
    fn run_dir(&self) -> PathBuf {
        self.build_dirs()
            .into_iter()
            .filter_map(|dir| {
                let modified = std::fs::metadata(dir.join("output"))
                    .ok()?
                    .modified()
                    .ok()?;
                Some((modified, dir))
            })
            .max()
            .map(|(_, dir)| dir)
            .unwrap_or_else(|| panic!("no {PACKAGE}-*/output under {}", self.target.display()))
    }
}

/// `Running `…/build/<PACKAGE>-<hash>/build-script-build``: cargo -v executing our build script
/// (compiling it shows a rustc command line instead, and a fresh one shows `Fresh`).
fn runs_our_build_script(line: &str) -> bool {
    let Some(command) = line.trim_start().strip_prefix("Running `") else {
        return false;
    };
    let program = command
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_end_matches('`');
    program.ends_with("/build-script-build") && program.contains(&format!("/build/{PACKAGE}-"))
}

/// The generated file's bytes and modification time.
fn snapshot(path: &Path) -> (Vec<u8>, SystemTime) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let modified = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .expect("mtime");
    (bytes, modified)
}

/// Sets the file's modification time to now, explicitly: a rewrite in quick succession might
/// otherwise keep a time that cargo does not see as newer.
fn touch(path: &Path) {
    let file = std::fs::File::options()
        .write(true)
        .open(path)
        .expect("open to touch");
    file.set_modified(SystemTime::now()).expect("set mtime");
}

/// Replaces the first `from` in the file with `to`, returning the 1-based line and column of
/// the replacement.
fn edit(path: &Path, from: &str, to: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(path).expect("read spec");
    let at = text
        .find(from)
        .unwrap_or_else(|| panic!("`{from}` not in the spec"));
    let line = text[..at].matches('\n').count() + 1;
    let column = text[..at]
        .rfind('\n')
        .map_or(at, |newline| at - newline - 1)
        + 1;
    std::fs::write(path, text.replacen(from, to, 1)).expect("write spec");
    touch(path);
    (line, column)
}

/// The `cargo:rerun-if-changed` paths in the run directory's `output` file.
fn rerun_if_changed(run_dir: &Path) -> Vec<String> {
    let output = std::fs::read_to_string(run_dir.join("output")).expect("build script output");
    output
        .lines()
        .filter_map(|line| {
            line.strip_prefix("cargo:rerun-if-changed=")
                .or_else(|| line.strip_prefix("cargo::rerun-if-changed="))
        })
        .map(str::to_owned)
        .collect()
}

#[test]
fn build_script_reruns_exactly_when_the_spec_changes() {
    let consumer = Consumer::new();
    consumer.clean();

    // 1. First build: the build script runs and names exactly the files it read.
    let first = consumer.build("build 1 (first)");
    first.assert_success("first build");
    assert!(
        first.script_ran,
        "the first build must run the build script (else the detection is broken):\n{}",
        first.stderr
    );
    let run_dir = consumer.run_dir();
    let generated = run_dir.join("out/wecard.rs");
    let reruns = rerun_if_changed(&run_dir);
    assert_eq!(
        reruns,
        ["spec.yaml"],
        "rerun-if-changed must name exactly the spec"
    );
    for path in &reruns {
        assert!(
            consumer.path().join(path).exists(),
            "rerun-if-changed names `{path}`, which does not exist: cargo would rerun forever"
        );
    }
    let (first_bytes, _) = snapshot(&generated);
    assert!(
        first_bytes.starts_with(b"// @generated by wecard-codegen"),
        "{} does not look generated",
        generated.display()
    );

    // 2. Nothing changed: the build script does not run, and the output is left alone.
    for attempt in 1..=ATTEMPTS {
        let before = snapshot(&generated);
        let second = consumer.build(&format!("build 2 (nothing changed), attempt {attempt}"));
        second.assert_success("build with nothing changed");
        if second.codegen_compiled && attempt < ATTEMPTS {
            continue; // wecard-codegen changed under us: the rerun is legitimate; settle and retry.
        }
        assert!(
            !second.script_ran,
            "the build script ran again with nothing changed:\n{}",
            second.stderr
        );
        let after = snapshot(&generated);
        assert!(
            after == before,
            "the output was rewritten with nothing changed (mtime {:?} -> {:?}):\n{}",
            before.1,
            after.1,
            second.stderr
        );
        break;
    }

    // 3. The spec is touched, not changed: the build script runs, the output keeps its mtime.
    for attempt in 1..=ATTEMPTS {
        let before = snapshot(&generated);
        touch(&consumer.spec());
        let third = consumer.build(&format!("build 3 (spec touched), attempt {attempt}"));
        third.assert_success("build after touching the spec");
        if third.codegen_compiled && attempt < ATTEMPTS {
            continue; // A new wecard-codegen may generate other bytes: settle and retry.
        }
        assert!(
            third.script_ran,
            "touching the spec did not run the build script:\n{}",
            third.stderr
        );
        assert_eq!(
            consumer.run_dir(),
            run_dir,
            "the build script's run directory moved"
        );
        let after = snapshot(&generated);
        assert!(
            after.0 == before.0,
            "the same spec generated different bytes:\n{}",
            third.stderr
        );
        assert_eq!(
            after.1, before.1,
            "the output was rewritten although its bytes did not change:\n{}",
            third.stderr
        );
        break;
    }

    // 4. The spec's content changes: the build script runs and rewrites the output.
    let before = snapshot(&generated);
    edit(
        &consumer.spec(),
        "description: 成员\n",
        "description: 会员\n",
    );
    let fourth = consumer.build("build 4 (spec edited)");
    fourth.assert_success("build after editing the spec");
    assert!(
        fourth.script_ran,
        "editing the spec did not run the build script:\n{}",
        fourth.stderr
    );
    assert_eq!(
        consumer.run_dir(),
        run_dir,
        "the build script's run directory moved"
    );
    let after = snapshot(&generated);
    assert!(
        after.0 != before.0,
        "editing the spec did not change the output:\n{}",
        fourth.stderr
    );
    assert!(
        String::from_utf8_lossy(&after.0).contains("会员"),
        "the edited description is not in the output"
    );
    assert_ne!(after.1, before.1, "the changed output kept its old mtime");
    assert_eq!(
        rerun_if_changed(&run_dir),
        ["spec.yaml"],
        "rerun-if-changed must name exactly the spec"
    );

    // 5. An invalid spec fails the build, showing the rendered diagnostic.
    let (line, column) = edit(&consumer.spec(), "required:", "requird:");
    let fifth = consumer.build("build 5 (spec broken)");
    assert!(!fifth.success, "a broken spec built:\n{}", fifth.stderr);
    assert!(
        fifth.script_ran,
        "breaking the spec did not run the build script:\n{}",
        fifth.stderr
    );
    let location = format!("spec.yaml:{line}:{column}: error: unknown key `requird`");
    assert!(
        fifth.stderr.contains(&location),
        "cargo's output lacks `{location}`:\n{}",
        fifth.stderr
    );
    assert!(
        fifth.stderr.contains("did you mean `required`?"),
        "cargo's output lacks the suggestion:\n{}",
        fifth.stderr
    );
}
