//! The `build.rs` front door, in the style of prost-build's `Config`.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), wecard_codegen::BuildError> {
//!     wecard_codegen::Builder::new("../spec/wecard.yaml").generate()?;
//!     Ok(())
//! }
//! ```
//!
//! and in the crate:
//!
//! ```ignore
//! /// The WeCard API, generated from the spec.
//! pub mod wecard {
//!     include!(concat!(env!("OUT_DIR"), "/wecard.rs"));
//! }
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use crate::emit::rust::{EmitError, Options};
use crate::output::{Written, write_if_changed};
use crate::{Diagnostics, Model};

/// Generates the Rust module from a spec, for `build.rs` or any program.
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    output: Output,
    visibility: Option<String>,
    derives: Vec<String>,
    strict_rules: bool,
    client: bool,
    events: bool,
    runtime_path: Option<String>,
    embed_runtime: bool,
    cargo_directives: bool,
}

#[derive(Debug, Clone)]
enum Output {
    /// `$OUT_DIR/<file name>`.
    OutDir(String),
    /// An explicit path.
    File(PathBuf),
}

/// Why generation failed. Its `Display` (and `Debug`, so that `fn main() -> Result<…>` in a
/// build script shows it readably) is the rendered diagnostics or the I/O problem.
pub enum BuildError {
    /// The spec has problems; every one is here.
    Spec(Diagnostics),
    /// A builder option is not valid Rust.
    Option(EmitError),
    /// The output could not be written.
    Write {
        /// Where.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// No output file was set and `OUT_DIR` is not set (not running under cargo).
    NoOutDir,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Spec(diagnostics) => write!(f, "{}", diagnostics.render(false)),
            BuildError::Option(error) => write!(f, "error: {error}"),
            BuildError::Write { path, source } => write!(f, "error: cannot write {}: {source}", path.display()),
            BuildError::NoOutDir => f.write_str(
                "error: OUT_DIR is not set: call `Builder::output_file` when not running from a build script",
            ),
        }
    }
}

impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Shown by `fn main() -> Result<(), BuildError>`: the rendered text, not a struct dump.
        write!(f, "\n{self}")
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Spec(diagnostics) => Some(diagnostics),
            BuildError::Option(error) => Some(error),
            BuildError::Write { source, .. } => Some(source),
            BuildError::NoOutDir => None,
        }
    }
}

impl Builder {
    /// A builder for the spec at `spec` (relative paths are relative to the current directory,
    /// which for a build script is the package's root). Output goes to `$OUT_DIR/wecard.rs`.
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Self {
            spec: spec.into(),
            output: Output::OutDir("wecard.rs".into()),
            visibility: None,
            derives: Vec::new(),
            strict_rules: true,
            client: false,
            events: false,
            runtime_path: None,
            embed_runtime: false,
            cargo_directives: true,
        }
    }

    /// Writes the module to this file instead of `$OUT_DIR/wecard.rs`.
    #[must_use]
    pub fn output_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.output = Output::File(path.into());
        self
    }

    /// Writes the module to `$OUT_DIR/<name>` (default `wecard.rs`).
    #[must_use]
    pub fn out_dir_file_name(mut self, name: impl Into<String>) -> Self {
        self.output = Output::OutDir(name.into());
        self
    }

    /// Visibility of the generated items, as Rust source (default `pub`).
    #[must_use]
    pub fn visibility(mut self, visibility: impl Into<String>) -> Self {
        self.visibility = Some(visibility.into());
        self
    }

    /// Adds a derive to every generated type, as a path (`::std::hash::Hash`). Repeatable.
    ///
    /// A standard trait or serde's `Serialize`/`Deserialize` (however the path is written:
    /// `Hash`, `::core::hash::Hash`) reaches only the types that lack it and can have it: the
    /// enums already derive `Hash` and `Eq`, so `derive("Hash")` adds it to the structs; `Copy`
    /// and `Default` skip types that cannot have them; `PartialOrd`/`Ord` reach the enums only.
    /// Any other derive reaches every type.
    #[must_use]
    pub fn derive(mut self, path: impl Into<String>) -> Self {
        self.derives.push(path.into());
        self
    }

    /// Whether the strict (data-quality) rules are generated (default `true`).
    #[must_use]
    pub fn strict_rules(mut self, on: bool) -> Self {
        self.strict_rules = on;
        self
    }

    /// Whether to generate the async client (default `false`). The client needs `tokio` (with
    /// `sync`) and `reqwest` (with `json` and a TLS feature) in the consuming crate.
    #[must_use]
    pub fn client(mut self, on: bool) -> Self {
        self.client = on;
        self
    }

    /// Whether the generated `Event` enum implements the runtime's `PushEvent` (default `false`),
    /// so that the runtime's `events::Receiver` can decrypt pushes into it. Needs the runtime's
    /// `events` feature (or an embedded runtime, which then carries the AES code and needs `aes`,
    /// `cbc`, `hex` and `base64` in the consuming crate).
    #[must_use]
    pub fn events(mut self, on: bool) -> Self {
        self.events = on;
        self
    }

    /// The path generated code uses for the runtime crate (default `::wecard_runtime`): for a
    /// crate that renames the dependency or re-exports it (`crate::deps::wecard_runtime`).
    #[must_use]
    pub fn runtime_path(mut self, path: impl Into<String>) -> Self {
        self.runtime_path = Some(path.into());
        self
    }

    /// Embeds the runtime into the generated file as a module `runtime` (default `false`), so
    /// that the consuming crate needs no `wecard-runtime` dependency: one self-contained file
    /// that needs only `serde` and `serde_json` (and `tokio` and `reqwest` with the client).
    #[must_use]
    pub fn embed_runtime(mut self, on: bool) -> Self {
        self.embed_runtime = on;
        self
    }

    /// Whether to print `cargo:rerun-if-changed` for the spec (default `true`; turn it off when
    /// not running from a build script).
    #[must_use]
    pub fn cargo_directives(mut self, on: bool) -> Self {
        self.cargo_directives = on;
        self
    }

    fn options(&self) -> Result<Options, BuildError> {
        let mut options = Options::default()
            .with_strict_rules(self.strict_rules)
            .with_client(self.client)
            .with_events(self.events);
        if let Some(visibility) = &self.visibility {
            options = options
                .with_visibility(visibility)
                .map_err(BuildError::Option)?;
        }
        for derive in &self.derives {
            options = options.with_derive(derive).map_err(BuildError::Option)?;
        }
        if let Some(path) = &self.runtime_path {
            options = options
                .with_runtime_path(path)
                .map_err(BuildError::Option)?;
        }
        Ok(options.with_embedded_runtime(self.embed_runtime))
    }

    /// Checks the options alone (visibility, derives, runtime path), without reading the spec.
    ///
    /// # Errors
    ///
    /// The first option that is not valid Rust.
    pub fn check_options(&self) -> Result<(), BuildError> {
        self.options().map(drop)
    }

    /// Loads the spec, telling cargo to rerun when (and only when) it changes.
    fn model(&self) -> Result<Model, BuildError> {
        // Only a file that exists may be named: cargo reruns forever on a missing one.
        if self.cargo_directives && self.spec.is_file() {
            println!("cargo:rerun-if-changed={}", self.spec.display());
        }
        crate::load(&self.spec).map_err(BuildError::Spec)
    }

    /// Generates the module as a string, writing nothing.
    ///
    /// # Errors
    ///
    /// Every problem in the spec, or an invalid option.
    pub fn generate_string(&self) -> Result<String, BuildError> {
        let options = self.options()?;
        let model = self.model()?;
        crate::emit::rust::generate(&model, &options).map_err(BuildError::Option)
    }

    /// Generates the module for a model already loaded (the spec path is not read), with this
    /// builder's options; for tools that load the spec themselves, such as the CLI.
    ///
    /// # Errors
    ///
    /// An invalid option.
    pub fn generate_for(&self, model: &Model) -> Result<String, BuildError> {
        let options = self.options()?;
        crate::emit::rust::generate(model, &options).map_err(BuildError::Option)
    }

    /// Generates the module and writes it, only if its bytes changed. Returns the path written.
    ///
    /// # Errors
    ///
    /// Every problem in the spec, an invalid option, or a file that cannot be written.
    pub fn generate(&self) -> Result<PathBuf, BuildError> {
        let path = self.output_path()?;
        let options = self.options()?;
        let model = self.model()?;
        let code = crate::emit::rust::generate(&model, &options).map_err(BuildError::Option)?;
        write(&path, &code)?;
        if let Some(user) = model.user() {
            self.hand_over_user_fields(&path, &user.field_table())?;
        }
        Ok(path)
    }

    /// Writes the WeCard user's field table beside the module and, from a build script, tells
    /// `#[derive(WecardUser)]` where it is (`WECARD_USER_FIELDS`, set for this crate's
    /// compilation), so the derive checks structs against this crate's own spec.
    fn hand_over_user_fields(&self, module: &Path, table: &str) -> Result<(), BuildError> {
        let path = module.with_extension("user-fields.tsv");
        write(&path, table)?;
        if self.cargo_directives {
            let absolute = std::fs::canonicalize(&path).unwrap_or(path);
            println!("cargo:rustc-env={USER_FIELDS_ENV}={}", absolute.display());
        }
        Ok(())
    }

    fn output_path(&self) -> Result<PathBuf, BuildError> {
        match &self.output {
            Output::File(path) => Ok(path.clone()),
            Output::OutDir(name) => std::env::var_os("OUT_DIR")
                .map(|dir| Path::new(&dir).join(name))
                .ok_or(BuildError::NoOutDir),
        }
    }
}

/// The variable through which a build script tells `#[derive(WecardUser)]` where the field table
/// of the crate's own spec is.
pub const USER_FIELDS_ENV: &str = "WECARD_USER_FIELDS";

/// Writes `contents` to `path` if its bytes changed.
fn write(path: &Path, contents: &str) -> Result<(), BuildError> {
    match write_if_changed(path, contents) {
        Ok(Written::Changed | Written::Unchanged) => Ok(()),
        Err(source) => Err(BuildError::Write {
            path: path.to_path_buf(),
            source,
        }),
    }
}
