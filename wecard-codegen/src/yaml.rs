//! All YAML handling lives here: reading a spec file within limits, parsing it into
//! [`serde_yaml::Value`]s, and indexing the position of every node so that later stages can point
//! at `file:line:col`.
//!
//! serde_yaml gives values but no positions; yaml-rust2's event parser gives positions. The index
//! is keyed by the path from the root (`endpoints[3].request.fields[0].name`), which both parsers
//! agree on, and is built only after serde_yaml has accepted the document, so its depth and alias
//! limits protect the indexer too.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use yaml_rust2::parser::{Event, Parser};

use crate::diagnostic::{Code, Ctxt, Diagnostic};
use crate::source::{SourceFile, Span};

/// Largest spec file accepted. The bundled spec is ~60 KiB; this leaves room for specs 100 times
/// larger while refusing obviously hostile input before reading it.
pub const MAX_SPEC_BYTES: u64 = 16 * 1024 * 1024;

/// One step from a node to its child.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// A path from the document root.
pub(crate) type NodePath = Vec<Seg>;

/// Where a node (and, for mapping values, its key) was written.
#[derive(Debug, Clone, Copy)]
struct NodePos {
    key: Option<Span>,
    value: Span,
}

/// Position of every node reachable without following an alias.
#[derive(Debug, Default)]
pub(crate) struct PositionIndex {
    nodes: HashMap<NodePath, NodePos>,
}

impl PositionIndex {
    /// Where the value at `path` was written, or its nearest indexed ancestor (a node inside an
    /// alias has no position of its own).
    pub(crate) fn value_span(&self, path: &[Seg]) -> Span {
        let mut path = path;
        loop {
            if let Some(pos) = self.nodes.get(path) {
                return pos.value;
            }
            match path.split_last() {
                Some((_, parent)) => path = parent,
                None => {
                    return Span {
                        line: 1,
                        column: 1,
                        len: 0,
                    };
                }
            }
        }
    }

    /// Where the key of the mapping entry at `path` was written (falls back to the value).
    pub(crate) fn key_span(&self, path: &[Seg]) -> Span {
        match self.nodes.get(path).and_then(|pos| pos.key) {
            Some(span) => span,
            None => self.value_span(path),
        }
    }
}

/// A parsed spec document.
#[derive(Debug)]
pub(crate) struct Document {
    pub(crate) root: serde_yaml::Value,
    pub(crate) index: PositionIndex,
}

/// Reads a spec file, refusing directories, missing files, oversized files and non-UTF-8 text.
pub(crate) fn read_file(path: &Path) -> Result<Arc<SourceFile>, Diagnostic> {
    let unreadable = |code, message: String, help: &str| {
        Diagnostic::error(&SourceFile::new(path, ""), code, message).help(help)
    };
    let metadata = std::fs::metadata(path).map_err(|error| {
        unreadable(
            Code::Io,
            format!("cannot read the spec: {}", describe_io(&error)),
            "check the path; the bundled spec is `spec/wecard.yaml`",
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
            let prefix = String::from_utf8_lossy(&bytes[..valid_up_to]);
            let line = prefix.matches('\n').count() + 1;
            let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let shown = String::from_utf8_lossy(&bytes).into_owned();
            let file = SourceFile::new(path, shown);
            let span = Span {
                line: u32::try_from(line).unwrap_or(u32::MAX),
                column: u32::try_from(column).unwrap_or(u32::MAX),
                len: 1,
            };
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
    let root: serde_yaml::Value = match serde_yaml::from_str(file.text()) {
        Ok(root) => root,
        Err(error) => {
            cx.push(yaml_error(&file, &error));
            return None;
        }
    };
    if root.is_null() {
        let diagnostic = Diagnostic::error(&file, Code::Empty, "the spec is empty")
            .at(Span {
                line: 1,
                column: 1,
                len: 0,
            })
            .help("a spec starts with `wecard_spec: 1`; see spec/README.md");
        cx.push(diagnostic);
        return None;
    }
    let index = index_positions(&file);
    Some(Document { root, index })
}

fn yaml_error(file: &Arc<SourceFile>, error: &serde_yaml::Error) -> Diagnostic {
    let text = error.to_string();
    // serde_yaml appends " at line L column C"; the location is reported separately.
    let message = match text.find(" at line ") {
        Some(at) => &text[..at],
        None => text.as_str(),
    };
    let (message, help) = if message.contains("recursion limit exceeded") {
        (
            "the YAML nests too deeply".to_string(),
            "a spec never nests more than a few levels; look for runaway `[` or indentation",
        )
    } else if message.contains("repetition limit exceeded") {
        (
            "the YAML expands too many aliases (an alias bomb?)".to_string(),
            "write the repeated part out, or use fewer `*alias` references",
        )
    } else if message.contains("more than one document") {
        (
            "the spec holds more than one YAML document".to_string(),
            "remove the extra `---` separators: a spec is one document",
        )
    } else {
        (
            format!("invalid YAML: {message}"),
            "fix the YAML syntax; indentation must use spaces, and `:` must be followed by a space",
        )
    };
    let mut diagnostic = Diagnostic::error(file, Code::Yaml, message).help(help);
    if let Some(location) = error.location() {
        let line = u32::try_from(location.line()).unwrap_or(u32::MAX).max(1);
        let column = u32::try_from(location.column()).unwrap_or(u32::MAX).max(1);
        diagnostic = diagnostic.at(file.span_at(line, column));
    }
    diagnostic
}

enum Frame {
    Mapping {
        path: NodePath,
        key: Option<(String, Span)>,
    },
    Sequence {
        path: NodePath,
        next: usize,
    },
    /// Inside a complex (non-scalar) mapping key, which no path can name.
    SkipKey {
        depth: usize,
    },
}

/// Indexes the position of every node. Iterative, so nesting cannot exhaust the stack; a parse
/// error (which serde_yaml would already have reported) just ends the index early.
fn index_positions(file: &SourceFile) -> PositionIndex {
    let mut index = PositionIndex::default();
    let mut stack: Vec<Frame> = Vec::new();
    let mut parser = Parser::new_from_str(file.text());
    loop {
        let Ok((event, marker)) = parser.next_token() else {
            break;
        };
        let line = u32::try_from(marker.line()).unwrap_or(u32::MAX);
        let column = u32::try_from(marker.col())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        let span = file.span_at(line, column);
        let (is_node, opens) = match &event {
            Event::Scalar(..) | Event::Alias(_) => (true, false),
            Event::MappingStart(..) | Event::SequenceStart(..) => (true, true),
            Event::MappingEnd | Event::SequenceEnd => {
                match stack.last_mut() {
                    Some(Frame::SkipKey { depth }) if *depth > 1 => *depth -= 1,
                    _ => {
                        stack.pop();
                    }
                }
                continue;
            }
            Event::StreamEnd => break,
            _ => continue,
        };
        debug_assert!(is_node);
        let path = match stack.last_mut() {
            None => Some((Vec::new(), None)),
            Some(Frame::SkipKey { depth }) => {
                if opens {
                    *depth += 1;
                }
                continue;
            }
            Some(Frame::Sequence { path, next }) => {
                let mut child = path.clone();
                child.push(Seg::Index(*next));
                *next += 1;
                Some((child, None))
            }
            Some(Frame::Mapping { path, key }) => match key.take() {
                Some((name, key_span)) => {
                    let mut child = path.clone();
                    child.push(Seg::Key(name));
                    Some((child, Some(key_span)))
                }
                None => {
                    let name = match &event {
                        Event::Scalar(text, ..) => text.clone(),
                        _ => "\u{0}complex key".to_string(),
                    };
                    *key = Some((name, span));
                    if opens {
                        stack.push(Frame::SkipKey { depth: 1 });
                    }
                    None
                }
            },
        };
        let Some((path, key)) = path else { continue };
        index
            .nodes
            .insert(path.clone(), NodePos { key, value: span });
        match event {
            Event::MappingStart(..) => stack.push(Frame::Mapping { path, key: None }),
            Event::SequenceStart(..) => stack.push(Frame::Sequence { path, next: 0 }),
            _ => {}
        }
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Document {
        let mut cx = Ctxt::new(SourceFile::new("t.yaml", text));
        match parse(&mut cx) {
            Some(document) => document,
            None => panic!("did not parse: {}", cx.into_diagnostics()),
        }
    }

    fn key(name: &str) -> Seg {
        Seg::Key(name.to_string())
    }

    #[test]
    fn indexes_keys_values_and_sequence_items() {
        let doc = parsed("a: 1\nlist:\n  - name: x\n    requird: true\n  - {name: \"y\"}\n");
        let at = |span: Span| (span.line, span.column, span.len);
        assert_eq!(at(doc.index.value_span(&[key("a")])), (1, 4, 1));
        assert_eq!(at(doc.index.key_span(&[key("a")])), (1, 1, 1));
        let first = [key("list"), Seg::Index(0), key("requird")];
        assert_eq!(at(doc.index.key_span(&first)), (4, 5, 7));
        assert_eq!(at(doc.index.value_span(&first)), (4, 14, 4));
        let second = [key("list"), Seg::Index(1), key("name")];
        assert_eq!(at(doc.index.value_span(&second)), (5, 12, 3));
        // Unknown paths fall back to the nearest ancestor.
        let missing = [key("list"), Seg::Index(1), key("nope")];
        assert_eq!(at(doc.index.value_span(&missing)), (5, 5, 1));
    }

    #[test]
    fn complex_keys_do_not_derail_the_index() {
        let doc = parsed("? [a, b]\n: 1\nc: 2\n");
        assert_eq!(doc.index.value_span(&[key("c")]).line, 3);
    }
}
