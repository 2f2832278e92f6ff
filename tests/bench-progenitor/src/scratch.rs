//! Crates outside the workspace that hold one generator's output, so that it can be compiled as
//! its users compile it.
//!
//! Each crate lives at a fixed place under the workspace's target directory
//! (`target/generated-crates/NAME`) and builds into that target directory with the workspace's
//! profiles: the dependencies (the runtime and its HTTP stack for ours, `progenitor-client`
//! and its HTTP stack for progenitor's) are built once and shared by every later run. The
//! workspace's `Cargo.lock` is copied in, and it pins everything either crate needs (this
//! package depends on `progenitor-client` for that reason), so nothing is resolved anew and
//! no run touches the network.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::Error;

/// Whose generated code a crate holds, and therefore what it depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generator {
    /// Ours: the runtime crate with its `client` feature, serde and serde_json.
    Ours,
    /// progenitor's: `progenitor-client`, reqwest, serde, serde_json and regress (for
    /// patterns).
    Progenitor,
}

impl Generator {
    fn name(self) -> &'static str {
        match self {
            Self::Ours => "ours",
            Self::Progenitor => "progenitor",
        }
    }

    fn dependencies(self) -> String {
        match self {
            Self::Ours => {
                let runtime = workspace_root().join("wecard-codegen/runtime");
                let runtime = runtime.canonicalize().unwrap_or(runtime);
                format!(
                    "wecard-runtime = {{ path = {:?}, features = [\"client\"] }}\n",
                    runtime.display().to_string()
                )
            }
            // The versions progenitor 0.15's output is written against (progenitor-client
            // 0.15 is on reqwest 0.13); the lock file picks the exact ones.
            Self::Progenitor => "progenitor-client = \"0.15\"\n\
                 reqwest = { version = \"0.13\", default-features = false, features = [\"json\", \"query\"] }\n\
                 regress = \"0.12\"\n"
                .to_owned(),
        }
    }
}

/// The workspace's root directory.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The target directory the crates build into: the workspace's own (`CARGO_TARGET_DIR` when
/// set), where the shared dependencies stay built between runs.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
}

/// A crate whose `src/generated.rs` holds one generator's output, as module `generated`.
#[derive(Debug, Clone)]
pub struct GeneratedCrate {
    generator: Generator,
    root: PathBuf,
}

impl GeneratedCrate {
    /// Writes the crate for `generator` holding `code` (replacing what an earlier run left).
    ///
    /// # Errors
    ///
    /// When a file cannot be written.
    pub fn write(generator: Generator, code: &str) -> Result<Self, Error> {
        let name = generator.name();
        let root = target_dir().join("generated-crates").join(name);
        let crate_name = format!("generated-{name}");
        let manifest = format!(
            "[package]\nname = \"{crate_name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n{}\n\
             # Its own workspace: not a member of the one around the target directory.\n[workspace]\n\n\
             # The workspace's profiles, so that the dependencies built for it are reused.\n\
             [profile.dev]\ndebug = \"line-tables-only\"\n\n\
             [profile.dev.package.\"*\"]\ndebug = false\nopt-level = 2\n",
            generator.dependencies()
        );
        let lib = format!(
            "//! {name}'s generated code for the WeCard API, compiled as a user's crate would.\n\
             #![allow(warnings)]\n\npub mod generated;\n"
        );
        write(&root.join("Cargo.toml"), &manifest)?;
        write(&root.join("src/lib.rs"), &lib)?;
        write(&root.join("src/generated.rs"), code)?;
        let lock = workspace_root().join("Cargo.lock");
        std::fs::copy(&lock, root.join("Cargo.lock"))
            .map_err(|error| format!("cannot copy {}: {error}", lock.display()))?;
        Ok(Self { generator, root })
    }

    /// Whose code it holds.
    pub fn generator(&self) -> Generator {
        self.generator
    }

    /// The generated file.
    pub fn source(&self) -> PathBuf {
        self.root.join("src/generated.rs")
    }

    /// Marks the generated file as changed (its modification time is now), so that the next
    /// build compiles the crate again, and only it.
    ///
    /// # Errors
    ///
    /// When the file cannot be opened.
    pub fn touch(&self) -> Result<(), Error> {
        let path = self.source();
        std::fs::File::options()
            .append(true)
            .open(&path)
            .and_then(|file| file.set_modified(std::time::SystemTime::now()))
            .map_err(|error| format!("cannot touch {}: {error}", path.display()))
    }

    /// A `cargo SUBCOMMAND ARGS` for the crate, offline, into the shared target directory,
    /// without incremental compilation (a changed spec changes the whole file: nothing of an
    /// earlier compilation would be reused).
    pub fn cargo(&self, subcommand: &str, args: &[&str]) -> Command {
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command
            .arg(subcommand)
            .arg("--offline")
            .args(args)
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", target_dir())
            .env("CARGO_INCREMENTAL", "0")
            .env_remove("RUSTFLAGS");
        command
    }

    /// Runs `cargo SUBCOMMAND ARGS` and returns its output when it succeeded.
    ///
    /// # Errors
    ///
    /// When cargo cannot run or fails: its output is in the message.
    pub fn run(&self, subcommand: &str, args: &[&str]) -> Result<Output, Error> {
        let output = self
            .cargo(subcommand, args)
            .output()
            .map_err(|error| format!("cannot run cargo: {error}"))?;
        if output.status.success() {
            Ok(output)
        } else {
            Err(format!(
                "`cargo {subcommand}` on {}'s generated crate failed:\n{}",
                self.generator.name(),
                String::from_utf8_lossy(&output.stderr)
            ))
        }
    }
}

fn write(path: &Path, text: &str) -> Result<(), Error> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|error| format!("cannot create {}: {error}", parent.display()))?;
    }
    std::fs::write(path, text).map_err(|error| format!("cannot write {}: {error}", path.display()))
}

/// Lines of code in Rust source: lines that hold something besides whitespace and comments
/// (doc comments count as comments).
pub fn code_lines(source: &str) -> usize {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_lines_skip_blanks_and_comments() {
        let source = "//! crate doc\n\n/// item doc\npub struct A;\n  // note\n  fn f() {}\n";
        assert_eq!(code_lines(source), 2);
    }
}
