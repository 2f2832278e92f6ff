//! `wecard-codegen` turns a YAML description of the Tencent WeCard (腾讯微卡) open API into what
//! a Rust service needs to use it.
//!
//! The flow is `load → check → model → emit`:
//!
//! - [`spec`]: the syntax of a spec file, with a position on every node;
//! - [`check`](crate::load): semantic checks that report *every* problem, each with
//!   `file:line:col`, what is wrong and how to fix it ([`Diagnostics`]);
//! - [`model`]: the checked, resolved, read-only model the emitters and the derive macro read.
//!
//! ```no_run
//! let model = wecard_codegen::load("spec/wecard.yaml")?;
//! println!("{} endpoints", model.endpoints().len());
//! # Ok::<(), wecard_codegen::Diagnostics>(())
//! ```

mod builder;
mod check;
pub mod diagnostic;
pub mod diff;
pub mod drift;
pub mod emit;
pub mod model;
pub mod names;
pub mod output;
pub mod pattern;
pub mod spec;

mod source;
mod yaml;

pub use builder::{BuildError, Builder, USER_FIELDS_ENV};
pub use diagnostic::{Diagnostic, Diagnostics};
pub use model::Model;
pub use source::{SourceFile, Span};
pub use yaml::MAX_SPEC_BYTES;

use std::path::Path;
use std::sync::Arc;

use diagnostic::{Code, Ctxt};

/// Loads, checks and resolves the spec at `path`.
///
/// # Errors
///
/// Every problem found, when there is at least one error: an unreadable or hostile file, invalid
/// YAML, or a spec that breaks the format's rules.
pub fn load(path: impl AsRef<Path>) -> Result<Model, Diagnostics> {
    let path = path.as_ref();
    let file = yaml::read_file(path).map_err(|d| Diagnostics::from(vec![d]))?;
    load_file(file)
}

/// Loads, checks and resolves a spec held in memory; `name` is used in diagnostics.
///
/// # Errors
///
/// As [`load`].
pub fn load_str(name: impl AsRef<Path>, text: &str) -> Result<Model, Diagnostics> {
    let name = name.as_ref();
    if text.len() as u64 > MAX_SPEC_BYTES {
        let file = SourceFile::new(name, "");
        let diagnostic = Diagnostic::error(
            &file,
            Code::TooLarge,
            format!(
                "the spec is larger than {} MiB",
                MAX_SPEC_BYTES / (1024 * 1024)
            ),
        );
        return Err(Diagnostics::from(vec![diagnostic]));
    }
    let file = yaml::decode_text(name, text.as_bytes().to_vec())
        .map_err(|d| Diagnostics::from(vec![d]))?;
    load_file(file)
}

/// Loads a spec given as bytes (which may not be UTF-8); `name` is used in diagnostics.
///
/// # Errors
///
/// As [`load`].
pub fn load_bytes(name: impl AsRef<Path>, bytes: &[u8]) -> Result<Model, Diagnostics> {
    match std::str::from_utf8(bytes) {
        Ok(text) => load_str(name, text),
        Err(_) => {
            let diagnostic = yaml::decode_text(name.as_ref(), bytes.to_vec()).err();
            Err(Diagnostics::from(
                diagnostic.into_iter().collect::<Vec<_>>(),
            ))
        }
    }
}

/// Decodes and checks only, returning the syntax tree: for tools that want what the file says
/// rather than the resolved model.
///
/// # Errors
///
/// As [`load`].
pub fn parse_spec(path: impl AsRef<Path>) -> Result<spec::Spec, Diagnostics> {
    let file = yaml::read_file(path.as_ref()).map_err(|d| Diagnostics::from(vec![d]))?;
    let mut cx = Ctxt::new(file);
    let spec = yaml::parse(&mut cx).and_then(|document| spec::decode_document(&document, &mut cx));
    match spec {
        Some(spec) if !cx.has_errors() => Ok(spec),
        _ => Err(cx.into_diagnostics()),
    }
}

fn load_file(file: Arc<SourceFile>) -> Result<Model, Diagnostics> {
    load_parts(file).map(|(model, _)| model)
}

/// Loads a file that was read into its model, keeping the syntax tree (with its spans) beside
/// it: for tools that report places, such as [`diff`].
pub(crate) fn load_parts(file: Arc<SourceFile>) -> Result<(Model, spec::Spec), Diagnostics> {
    let mut cx = Ctxt::new(file);
    let Some(document) = yaml::parse(&mut cx) else {
        return Err(cx.into_diagnostics());
    };
    let Some(spec) = spec::decode_document(&document, &mut cx) else {
        return Err(cx.into_diagnostics());
    };
    // A decoded spec holds every value it needs; the only problems decoding can still have
    // reported are keys it does not know, which change no value. Checking goes on, so a typo in
    // one key does not hide the problems after it.
    check::check(&spec, &mut cx);
    if cx.has_errors() {
        return Err(cx.into_diagnostics());
    }
    let source_name = cx.file().path().display().to_string();
    let model = model::lower(&spec, &source_name).map_err(|problem| {
        let diagnostic = Diagnostic::error(cx.file(), Code::InvalidValue, format!("internal error while resolving the spec: {problem}"))
            .help("this is a bug in wecard-codegen: the checker let through something it should have reported; please report it with the spec");
        Diagnostics::from(vec![diagnostic])
    })?;
    Ok((model, spec))
}
