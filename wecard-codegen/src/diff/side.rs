//! One side of a comparison: a spec read from a file or from git, loaded and checked, with its
//! syntax tree kept for placing changes.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use crate::diagnostic::{Code, Diagnostic, Diagnostics};
use crate::model::Model;
use crate::source::SourceFile;
use crate::spec::Spec;

/// A loaded spec: its text, its syntax tree and its model.
#[derive(Debug, Clone)]
pub struct Side {
    file: Arc<SourceFile>,
    spec: Spec,
    model: Model,
}

impl Side {
    /// Loads `arg`: a path, or `git:REV:PATH` for the file as it is at revision `REV` of the
    /// git repository around the current directory (read with `git show REV:PATH`).
    ///
    /// # Errors
    ///
    /// When the file cannot be read or the spec is invalid: the same diagnostics as `check`.
    pub fn load(arg: &str) -> Result<Side, Diagnostics> {
        match arg.strip_prefix("git:") {
            Some(rest) => {
                let text = git_show(arg, rest)?;
                Side::from_text(arg, &text)
            }
            None => {
                let file = crate::yaml::read_file(Path::new(arg))
                    .map_err(|d| Diagnostics::from(vec![d]))?;
                Side::from_file(file)
            }
        }
    }

    /// Loads a spec held in memory; `name` is used in locations.
    ///
    /// # Errors
    ///
    /// As [`Side::load`].
    pub fn from_text(name: impl AsRef<Path>, text: &str) -> Result<Side, Diagnostics> {
        let name = name.as_ref();
        if text.len() as u64 > crate::MAX_SPEC_BYTES {
            // The same refusal, with the same words, as the ordinary loader.
            return Err(crate::load_str(name, text).err().unwrap_or_default());
        }
        let file = crate::yaml::decode_text(name, text.as_bytes().to_vec())
            .map_err(|d| Diagnostics::from(vec![d]))?;
        Side::from_file(file)
    }

    fn from_file(file: Arc<SourceFile>) -> Result<Side, Diagnostics> {
        let (model, spec) = crate::load_parts(Arc::clone(&file))?;
        Ok(Side { file, spec, model })
    }

    /// The file as read.
    pub fn file(&self) -> &Arc<SourceFile> {
        &self.file
    }

    /// The resolved model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The syntax tree, with a place for every value.
    pub fn spec(&self) -> &Spec {
        &self.spec
    }
}

/// `git show REV:PATH`, run where the user is.
fn git_show(arg: &str, rest: &str) -> Result<String, Diagnostics> {
    let fail = |message: String, help: &str| {
        Diagnostics::from(vec![
            Diagnostic::error(&SourceFile::new(arg, ""), Code::Io, message).help(help),
        ])
    };
    if rest.starts_with('-') {
        return Err(fail(
            format!(
                "`{arg}` names a revision that starts with `-`, which git would read as an option"
            ),
            "name the revision by a branch, a tag or a commit id",
        ));
    }
    let Some((rev, path)) = rest
        .split_once(':')
        .filter(|(r, p)| !r.is_empty() && !p.is_empty())
    else {
        return Err(fail(
            format!("`{arg}` does not name a revision and a path"),
            "write `git:REV:PATH`, such as `git:HEAD:spec/wecard.yaml` or `git:v0.1.0:spec/wecard.yaml`",
        ));
    };
    let output = Command::new("git")
        .arg("show")
        .arg(format!("{rev}:{path}"))
        .output()
        .map_err(|error| {
            fail(
                format!("cannot run `git show {rev}:{path}`: {error}"),
                "install git, or give the old spec as a file",
            )
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(fail(
            format!(
                "`git show {rev}:{path}` failed: {}",
                stderr.lines().next().unwrap_or("no reason given").trim()
            ),
            "run from inside the repository; the path is relative to its root (or `./` for the current directory)",
        ));
    }
    if output.stdout.len() as u64 > crate::MAX_SPEC_BYTES {
        return Err(fail(
            format!(
                "`{rev}:{path}` is larger than {} MiB",
                crate::MAX_SPEC_BYTES / (1024 * 1024)
            ),
            "a spec is far smaller than this; check the revision and path",
        ));
    }
    match String::from_utf8(output.stdout) {
        Ok(text) => Ok(text),
        Err(error) => {
            let file = crate::yaml::decode_text(Path::new(arg), error.into_bytes())
                .err()
                .map(|d| vec![d])
                .unwrap_or_default();
            Err(Diagnostics::from(file))
        }
    }
}
