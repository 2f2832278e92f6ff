//! All YAML handling lives here: reading a spec file within limits and parsing it, once, into a
//! tree of [`Node`]s that carries a position on every node.
//!
//! The tree is built from yaml-rust2's event parser (its markers give positions); everything
//! else is ours:
//!
//! - **Scalars** are resolved with the YAML 1.2 core schema: a plain (unquoted) scalar is null
//!   (`~`, `null`, `Null`, `NULL`, or nothing), a boolean (`true`/`True`/`TRUE`,
//!   `false`/`False`/`FALSE`), an integer (`[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`, within 64
//!   bits), a float (`[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`, `.inf`, `-.inf`, `.nan`
//!   in their three spellings), and otherwise a string. Quoted and block scalars are strings. So
//!   `yes`, `on` and `0777`-style YAML 1.1 forms are strings or decimals, as YAML 1.2 says.
//! - **Tags**: the core tags (`!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!seq`, `!!map`)
//!   and the non-specific `!` are honoured; any other tag is an error.
//! - **Aliases** are expanded, counting every node built (parsed or copied) against
//!   [`MAX_NODES`], so an alias bomb is refused before it can exhaust memory.
//! - **Duplicate keys** (equal scalars in one mapping), **a second document** and nesting deeper
//!   than [`MAX_DEPTH`] are refused, each at its place. The depth guard stops the parser at the
//!   first event past the limit, so hostile nesting costs time linear in the depth refused.
//!
//! No diagnostic depends on the wording of the parser's messages: where the parser fails, the
//! explanation comes from the parser's state (open flow collections) and the text itself (tabs,
//! indentation); the parser's own words are only shown.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::{Code, Ctxt, Diagnostic};
use crate::source::{SourceFile, Span};

mod build;
mod explain;
mod scalar;
#[cfg(test)]
mod tests;

use build::Builder;

/// Largest spec file accepted. The bundled spec is ~60 KiB; this leaves room for specs 100 times
/// larger while refusing obviously hostile input before reading it.
pub const MAX_SPEC_BYTES: u64 = 16 * 1024 * 1024;

/// Deepest nesting of collections accepted. A spec nests about eight levels (endpoint, request,
/// field, rule, bounds); examples add a few more.
pub const MAX_DEPTH: usize = 64;

/// Most nodes a spec may have, counting every copy an alias makes. The bundled spec has about
/// 6,000; a million nodes take some tens of MiB.
pub const MAX_NODES: usize = 1_000_000;

/// One YAML node and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// Where the node starts: a scalar's text, a flow collection's bracket, a block mapping's
    /// first key, a block sequence's first `-`.
    pub(crate) span: Span,
    /// What the node is.
    pub(crate) kind: NodeKind,
}

/// What a node is, after core-schema resolution.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum NodeKind {
    /// `~`, `null`, or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A 64-bit integer.
    Int(i64),
    /// A floating-point number (possibly infinite or NaN).
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in written order; keys are distinct.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// The value of key `key` in a mapping.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .find(|(k, _)| matches!(&k.kind, NodeKind::Str(text) if text == key))
                .map(|(_, value)| value),
            _ => None,
        }
    }

    /// How many nodes this one is made of (itself included).
    fn size(&self) -> usize {
        match &self.kind {
            NodeKind::Seq(items) => 1 + items.iter().map(Node::size).sum::<usize>(),
            NodeKind::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|(k, v)| k.size() + v.size())
                    .sum::<usize>()
            }
            _ => 1,
        }
    }
}

/// A parsed spec document.
#[derive(Debug)]
pub(crate) struct Document {
    pub(crate) root: Node,
}

/// Reads a spec file, refusing directories, missing files, oversized files and non-UTF-8 text.
#[allow(
    clippy::result_large_err,
    reason = "one error per load, wrapped into `Diagnostics` by the caller"
)]
pub(crate) fn read_file(path: &Path) -> Result<Arc<SourceFile>, Diagnostic> {
    let unreadable = |code, message: String, help: &str| {
        Diagnostic::error(&SourceFile::new(path, ""), code, message).help(help)
    };
    let metadata = std::fs::metadata(path).map_err(|error| {
        let help = if path.is_relative() && error.kind() == std::io::ErrorKind::NotFound {
            // Build scripts run in the package's root, which is what a relative path means there.
            let cwd = std::env::current_dir()
                .map(|dir| format!(" (`{}`)", dir.display()))
                .unwrap_or_default();
            format!(
                "a relative path is read from the current directory{cwd}, which for a build \
                 script (`Builder::new`) is the package's root, the folder of its Cargo.toml; \
                 check the path"
            )
        } else {
            "check the path".to_owned()
        };
        unreadable(
            Code::Io,
            format!("cannot read the spec: {}", describe_io(&error)),
            &help,
        )
    })?;
    if metadata.is_dir() {
        return Err(unreadable(
            Code::Io,
            "cannot read the spec: this is a directory".into(),
            "name the YAML file itself, e.g. `spec/wecard.yaml`",
        ));
    }
    if metadata.len() > MAX_SPEC_BYTES {
        return Err(too_large(path, metadata.len()));
    }
    let file = std::fs::File::open(path).map_err(|error| {
        unreadable(
            Code::Io,
            format!("cannot read the spec: {}", describe_io(&error)),
            "check the file's permissions",
        )
    })?;
    let mut bytes = Vec::new();
    // A file can grow between `metadata` and `read` (or be a device): read one byte past the
    // limit at most.
    file.take(MAX_SPEC_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|error| {
            unreadable(
                Code::Io,
                format!("cannot read the spec: {}", describe_io(&error)),
                "check the file's permissions",
            )
        })?;
    if bytes.len() as u64 > MAX_SPEC_BYTES {
        return Err(too_large(path, bytes.len() as u64));
    }
    decode_text(path, bytes)
}

fn too_large(path: &Path, len: u64) -> Diagnostic {
    Diagnostic::error(
        &SourceFile::new(path, ""),
        Code::TooLarge,
        format!(
            "the spec is {:.1} MiB, more than the {} MiB a spec may be",
            len as f64 / (1024.0 * 1024.0),
            MAX_SPEC_BYTES / (1024 * 1024)
        ),
    )
    .help("is this the right file? A spec describing the whole WeCard API is well under 1 MiB")
}

fn describe_io(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "this is a directory".into(),
        _ => error.to_string(),
    }
}

/// Turns bytes into a source file, rejecting invalid UTF-8 with the place of the first bad byte.
#[allow(
    clippy::result_large_err,
    reason = "one error per load, wrapped into `Diagnostics` by the caller"
)]
pub(crate) fn decode_text(path: &Path, bytes: Vec<u8>) -> Result<Arc<SourceFile>, Diagnostic> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..'\u{feff}'.len_utf8());
            }
            Ok(SourceFile::new(path, text))
        }
        Err(error) => {
            let valid_up_to = error.utf8_error().valid_up_to();
            let bytes = error.into_bytes();
            // The bytes before `valid_up_to` are valid, so the lossy text keeps their offsets.
            let shown = String::from_utf8_lossy(&bytes).into_owned();
            let file = SourceFile::new(path, shown);
            let (line, column) = file.position_of(valid_up_to);
            let span = SourceFile::span(line, column, 1);
            Err(Diagnostic::error(
                &file,
                Code::NotUtf8,
                format!("the spec is not valid UTF-8: byte {valid_up_to} is not part of a UTF-8 character"),
            )
            .at(span)
            .label("invalid byte")
            .help("save the file as UTF-8 (the spec keeps Chinese text as written)"))
        }
    }
}

/// Parses the file's text; on failure reports why in `cx` and returns `None`.
pub(crate) fn parse(cx: &mut Ctxt) -> Option<Document> {
    let file = Arc::clone(cx.file());
    let mut builder = Builder::new(&file);
    let root = builder.run();
    let failed = !builder.errors.is_empty();
    for diagnostic in builder.errors {
        cx.push(diagnostic);
    }
    if failed {
        return None;
    }
    match root {
        Some(root) if root.kind != NodeKind::Null => Some(Document { root }),
        _ => {
            let diagnostic = Diagnostic::error(&file, Code::Empty, "the spec is empty")
                .at(SourceFile::span(1, 1, 0))
                .help("a spec starts with `wecard_spec: 1`; see spec/README.md");
            cx.push(diagnostic);
            None
        }
    }
}
