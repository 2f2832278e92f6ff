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
use crate::source::{FlowScan, SourceFile, Span};

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

/// A key written twice in one mapping (which serde_yaml refuses).
#[derive(Debug, Clone)]
struct DuplicateKey {
    mapping: NodePath,
    name: String,
    first: Span,
    again: Span,
}

/// Position of every node reachable without following an alias.
#[derive(Debug, Default)]
pub(crate) struct PositionIndex {
    nodes: HashMap<NodePath, NodePos>,
    /// The keys of each mapping, in the order they were written.
    keys: HashMap<NodePath, Vec<Span>>,
    /// Keys written twice, in document order.
    duplicates: Vec<DuplicateKey>,
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

    /// Where the `n`th key (0-based, in written order) of the mapping at `path` was written; for
    /// keys no path can name (numbers, lists).
    pub(crate) fn nth_key_span(&self, path: &[Seg], n: usize) -> Option<Span> {
        self.keys.get(path)?.get(n).copied()
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
#[allow(
    clippy::result_large_err,
    reason = "one error per load, wrapped into `Diagnostics` by the caller"
)]
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
    let location = error.location().map(|location| {
        let line = u32::try_from(location.line()).unwrap_or(u32::MAX).max(1);
        let column = u32::try_from(location.column()).unwrap_or(u32::MAX).max(1);
        file.span_at(line, column)
    });
    let diagnostic = if message.contains("recursion limit exceeded") {
        Diagnostic::error(file, Code::Yaml, "the YAML nests too deeply")
            .help("a spec never nests more than a few levels; look for runaway `[` or indentation")
    } else if message.contains("repetition limit exceeded") {
        Diagnostic::error(
            file,
            Code::Yaml,
            "the YAML expands too many aliases (an alias bomb?)",
        )
        .help("write the repeated part out, or use fewer `*alias` references")
    } else if message.contains("more than one document") {
        let diagnostic = Diagnostic::error(
            file,
            Code::Yaml,
            "the spec holds more than one YAML document",
        )
        .help("a spec is one document: remove this `---`, and what follows it if it is not part of the spec");
        match second_document(file) {
            Some(span) => {
                return diagnostic.at(span).label("a second document starts here");
            }
            None => diagnostic,
        }
    } else if let Some(diagnostic) = duplicate_key(file, message) {
        return diagnostic;
    } else if let Some(diagnostic) = unclosed_flow(file, message, location) {
        return diagnostic;
    } else {
        let diagnostic = Diagnostic::error(file, Code::Yaml, format!("invalid YAML: {message}"));
        if message.contains("tab character") {
            diagnostic
                .label("a tab")
                .help("indent with spaces: YAML does not allow tabs in indentation")
        } else if message.contains("mapping values are not allowed") {
            let help = location
                .and_then(|span| over_indented(file, span.line))
                .unwrap_or_else(|| {
                    "a `: ` cannot appear here: check the indentation, or quote a value that contains `: `".to_string()
                });
            diagnostic.label("`:` not allowed here").help(help)
        } else {
            diagnostic.help(
                "fix the YAML syntax; indentation must use spaces, and `:` must be followed by a space",
            )
        }
    };
    match location {
        Some(span) => diagnostic.at(span),
        None => diagnostic,
    }
}

/// Where the second document of a file starts: its `---` (or, after a `...`, its first line).
fn second_document(file: &SourceFile) -> Option<Span> {
    let mut started = false;
    let mut ended = false;
    for (at, line) in file.text().lines().enumerate() {
        let number = u32::try_from(at + 1).ok()?;
        let is_marker = |marker: &str| {
            line.strip_prefix(marker)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t']))
        };
        let trimmed = line.trim_start();
        if is_marker("---") {
            if started {
                return Some(file.span_at(number, 1));
            }
            started = true;
        } else if is_marker("...") {
            ended = true;
        } else if !(trimmed.is_empty() || trimmed.starts_with('#') || line.starts_with('%')) {
            if ended {
                return Some(file.span_at(number, 1));
            }
            started = true;
        }
    }
    None
}

/// serde_yaml's "PATH: duplicate entry with key …", reported at the key's second occurrence.
fn duplicate_key(file: &Arc<SourceFile>, message: &str) -> Option<Diagnostic> {
    let at = message.find("duplicate entry")?;
    let path = message[..at].trim_end().trim_end_matches(':');
    let index = index_positions(file);
    let mentioned = |name: &str| {
        message.ends_with(&format!("with key {name:?}"))
            || message.ends_with(&format!("with key {name}"))
            || message.ends_with(&format!("with key `{name}`"))
    };
    let found = index
        .duplicates
        .iter()
        .find(|d| serde_path(&d.mapping) == path && mentioned(&d.name))
        .or_else(|| index.duplicates.iter().find(|d| mentioned(&d.name)))
        .or_else(|| {
            index
                .duplicates
                .iter()
                .find(|d| serde_path(&d.mapping) == path)
        })?;
    Some(
        Diagnostic::error(
            file,
            Code::Yaml,
            format!("the key `{}` appears twice in this mapping", found.name),
        )
        .at(found.again)
        .label("given again here")
        .note_at(found.first, "first given here")
        .help("each key may appear once; remove one"),
    )
}

/// A path as serde_yaml writes it in messages: `records[0].fields[0]`, or `.` for the root.
fn serde_path(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Seg::Index(index) => {
                if out.is_empty() {
                    out.push('.');
                }
                out.push_str(&format!("[{index}]"));
            }
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// libyaml's "did not find expected ',' or '}'" (or `]`), reported at the bracket left open.
fn unclosed_flow(
    file: &Arc<SourceFile>,
    message: &str,
    location: Option<Span>,
) -> Option<Diagnostic> {
    let (open, close) = if message.contains("did not find expected ',' or '}'") {
        ('{', '}')
    } else if message.contains("did not find expected ',' or ']'") {
        ('[', ']')
    } else {
        return None;
    };
    let what = if open == '{' { "mapping" } else { "list" };
    let help = format!(
        "close the {what} with `{close}` (a `{open} … {close}` written on one line must end on it), or write it as indented lines"
    );
    let diagnostic = Diagnostic::error(
        file,
        Code::Yaml,
        format!("invalid YAML: this `{open}` is never closed"),
    )
    .help(help);
    let Some(stop) = location else {
        return Some(diagnostic);
    };
    let Some(opened) = open_bracket_before(file, stop, open) else {
        // Nothing better than where the parser gave up.
        return Some(
            diagnostic
                .at(stop)
                .label(format!("expected `,` or `{close}` before this")),
        );
    };
    Some(
        diagnostic
            .at(opened)
            .label(format!("this {what} is not closed"))
            .note_at(stop, format!("the parser expected `,` or `{close}` here")),
    )
}

/// The innermost `open` bracket still open just before `stop`.
fn open_bracket_before(file: &SourceFile, stop: Span, open: char) -> Option<Span> {
    let mut scan = FlowScan::default();
    let mut opened: Vec<(u32, usize, char)> = Vec::new();
    for number in 1..=stop.line {
        let line = file.line_text(number)?;
        scan.new_line();
        for (column, (at, c)) in line.char_indices().enumerate() {
            if number == stop.line && column + 1 >= stop.column as usize {
                break;
            }
            let depth = scan.stack.len();
            scan.step(line, at, c);
            if scan.stack.len() > depth {
                opened.push((number, column, c));
            } else if scan.stack.len() < depth {
                opened.pop();
            }
        }
    }
    let (line, column, _) = opened.iter().rev().find(|(_, _, c)| *c == open)?;
    let column = u32::try_from(*column + 1).ok()?;
    Some(file.span_at(*line, column))
}

/// Help for a line that is indented more than the `key: value` line above it, which YAML reads
/// as the rest of that value (where a `: ` is not allowed).
fn over_indented(file: &SourceFile, line: u32) -> Option<String> {
    let indent = |text: &str| text.len() - text.trim_start_matches(' ').len();
    let current = file.line_text(line)?;
    let (above, number) = (1..line).rev().find_map(|number| {
        let text = file.line_text(number)?;
        let trimmed = text.trim();
        (!trimmed.is_empty() && !trimmed.starts_with('#')).then_some((text, number))
    })?;
    let key_start = indent(above) + above.trim_start().strip_prefix("- ").map_or(0, |_| 2);
    let has_value = above
        .split_once(": ")
        .is_some_and(|(_, value)| !value.trim().is_empty());
    if indent(current) <= key_start || !has_value {
        return None;
    }
    let key = above[key_start..].split(':').next().unwrap_or("").trim();
    Some(format!(
        "this line is indented more than `{key}` on line {number}, so YAML reads it as the rest of that value; line it up with `{key}`"
    ))
}

enum Frame {
    Mapping {
        path: NodePath,
        key: Option<(String, Span)>,
        /// Whether the mapping's own position was moved to its first key yet (block mappings;
        /// a flow mapping keeps its `{`).
        placed: bool,
        /// Scalar keys read so far, with where they were written.
        seen: HashMap<String, Span>,
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
    while let Ok((event, marker)) = parser.next_token() {
        let line = u32::try_from(marker.line()).unwrap_or(u32::MAX);
        let column = u32::try_from(marker.col())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        let span = file.span_at(line, column);
        let opens = match &event {
            Event::Scalar(..) | Event::Alias(_) => false,
            Event::MappingStart(..) | Event::SequenceStart(..) => true,
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
            Some(Frame::Mapping {
                path,
                key,
                placed,
                seen,
            }) => match key.take() {
                Some((name, key_span)) => {
                    let mut child = path.clone();
                    child.push(Seg::Key(name));
                    Some((child, Some(key_span)))
                }
                None => {
                    // yaml-rust2 places a block mapping at the `:` after its first key: the
                    // mapping really starts at that key.
                    if !*placed {
                        *placed = true;
                        if let Some(pos) = index.nodes.get_mut(path.as_slice()) {
                            pos.value = span;
                        }
                    }
                    index.keys.entry(path.clone()).or_default().push(span);
                    let name = match &event {
                        Event::Scalar(text, ..) => {
                            if let Some(first) = seen.get(text) {
                                index.duplicates.push(DuplicateKey {
                                    mapping: path.clone(),
                                    name: text.clone(),
                                    first: *first,
                                    again: span,
                                });
                            } else {
                                seen.insert(text.clone(), span);
                            }
                            text.clone()
                        }
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
            Event::MappingStart(..) => {
                let flow = starts_with_char(file, span, '{');
                stack.push(Frame::Mapping {
                    path,
                    key: None,
                    placed: flow,
                    seen: HashMap::new(),
                });
            }
            Event::SequenceStart(..) => stack.push(Frame::Sequence { path, next: 0 }),
            _ => {}
        }
    }
    index
}

/// Whether the text at `span` starts with `c`.
fn starts_with_char(file: &SourceFile, span: Span, c: char) -> bool {
    file.line_text(span.line)
        .and_then(|line| line.chars().nth(span.column.saturating_sub(1) as usize))
        == Some(c)
}

#[cfg(test)]
#[allow(clippy::panic, reason = "tests fail by panicking")]
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
        // Unknown paths fall back to the nearest ancestor (a flow mapping covers its line).
        let missing = [key("list"), Seg::Index(1), key("nope")];
        assert_eq!(at(doc.index.value_span(&missing)), (5, 5, 11));
    }

    #[test]
    fn block_mappings_start_at_their_first_key() {
        let doc = parsed("api:\n  name: x\nlist:\n  - id: a\n    token: b\n  - {id: c}\n");
        let at = |span: Span| (span.line, span.column, span.len);
        assert_eq!(at(doc.index.value_span(&[])), (1, 1, 3));
        assert_eq!(at(doc.index.value_span(&[key("api")])), (2, 3, 4));
        assert_eq!(
            at(doc.index.value_span(&[key("list"), Seg::Index(0)])),
            (4, 5, 2)
        );
        // A flow mapping starts at its `{`.
        assert_eq!(
            at(doc.index.value_span(&[key("list"), Seg::Index(1)])),
            (6, 5, 7)
        );
    }

    #[test]
    fn keys_are_indexed_in_written_order() {
        let doc = parsed("a:\n  x: 1\n  2020: y\n");
        let span = doc.index.nth_key_span(&[key("a")], 1);
        assert_eq!(span.map(|s| (s.line, s.column, s.len)), Some((3, 3, 4)));
        assert_eq!(doc.index.nth_key_span(&[key("a")], 2), None);
    }

    fn yaml_failure(text: &str) -> Diagnostic {
        let mut cx = Ctxt::new(SourceFile::new("t.yaml", text));
        assert!(parse(&mut cx).is_none(), "parsed: {text}");
        let diagnostics = cx.into_diagnostics();
        assert_eq!(diagnostics.len(), 1, "{diagnostics}");
        diagnostics
            .into_iter()
            .next()
            .unwrap_or_else(|| unreachable!())
    }

    fn place(diagnostic: &Diagnostic) -> Option<(u32, u32, u32)> {
        diagnostic.span().map(|s| (s.line, s.column, s.len))
    }

    #[test]
    fn a_duplicate_key_is_reported_where_it_is_repeated() {
        let found = yaml_failure("a: 1\nlist:\n  - x: 1\n    y: 2\n    x: 3\n");
        assert_eq!(found.message(), "the key `x` appears twice in this mapping");
        assert_eq!(place(&found), Some((5, 5, 1)));
        assert_eq!(found.notes().len(), 1);
        let root = yaml_failure("a: 1\nb: 2\na: 3\n");
        assert_eq!(place(&root), Some((3, 1, 1)));
    }

    #[test]
    fn a_second_document_is_reported_at_its_marker() {
        let found = yaml_failure("---\na: 1\n---\nb: 2\n");
        assert_eq!(place(&found), Some((3, 1, 3)));
        let implicit = yaml_failure("# x\na: 1\n---\nb: 2\n");
        assert_eq!(place(&implicit), Some((3, 1, 3)));
    }

    #[test]
    fn an_unclosed_flow_collection_is_reported_where_it_opens() {
        let found = yaml_failure("a:\n  b: { c: 1, d: '{'\n  e: 2\n");
        assert_eq!(found.message(), "invalid YAML: this `{` is never closed");
        assert_eq!(place(&found), Some((2, 6, 1)));
        let list = yaml_failure("a: [1, [2, 3]\nb: 2\n");
        assert_eq!(list.message(), "invalid YAML: this `[` is never closed");
        assert_eq!(place(&list), Some((1, 4, 1)));
    }

    #[test]
    fn complex_keys_do_not_derail_the_index() {
        let doc = parsed("? [a, b]\n: 1\nc: 2\n");
        assert_eq!(doc.index.value_span(&[key("c")]).line, 3);
    }
}
