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

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};

use crate::diagnostic::{Code, Ctxt, Diagnostic};
use crate::source::{ColumnCursor, SourceFile, Span};

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
    #[cfg(test)]
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

/// A collection being read.
struct Frame {
    /// Where it starts (for a block mapping, set at its first key).
    span: Option<Span>,
    /// Where the parser placed its start, for a block mapping without keys.
    opened: Span,
    /// Byte offset of its `{` or `[`, for a flow collection.
    flow: Option<usize>,
    anchor: usize,
    tag: Option<Tag>,
    body: Body,
}

enum Body {
    Seq(Vec<Node>),
    Map {
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        /// Scalar keys read so far, with where they were written.
        seen: HashMap<KeyId, Span>,
    },
}

/// A scalar key, compared as YAML compares them (by resolved value).
#[derive(Debug, PartialEq, Eq, Hash)]
enum KeyId {
    Null,
    Bool(bool),
    Int(i64),
    Float(u64),
    Str(String),
}

impl KeyId {
    fn of(node: &Node) -> Option<Self> {
        Some(match &node.kind {
            NodeKind::Null => KeyId::Null,
            NodeKind::Bool(b) => KeyId::Bool(*b),
            NodeKind::Int(n) => KeyId::Int(*n),
            NodeKind::Float(f) => KeyId::Float(f.to_bits()),
            NodeKind::Str(s) => KeyId::Str(s.clone()),
            NodeKind::Seq(_) | NodeKind::Map(_) => return None,
        })
    }
}

/// Builds the tree from parser events.
struct Builder<'a> {
    file: &'a Arc<SourceFile>,
    cursor: ColumnCursor<'a>,
    stack: Vec<Frame>,
    /// Completed anchored nodes, with their size.
    anchors: HashMap<usize, (Node, usize)>,
    /// Nodes built so far, copies included.
    nodes: usize,
    errors: Vec<Diagnostic>,
}

/// Why building stopped early.
struct Stop;

impl<'a> Builder<'a> {
    fn new(file: &'a Arc<SourceFile>) -> Self {
        Self {
            file,
            cursor: ColumnCursor::new(file),
            stack: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
            errors: Vec::new(),
        }
    }

    fn text(&self) -> &'a str {
        self.file.text()
    }

    fn error(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file, Code::Yaml, message).at(span)
    }

    /// Reads every event; returns the root node (if the document has one).
    fn run(&mut self) -> Option<Node> {
        let mut parser = Parser::new_from_str(self.file.text());
        let mut root = None;
        let mut documents = 0;
        loop {
            let (event, marker) = match parser.next_token() {
                Ok(next) => next,
                Err(error) => {
                    let diagnostic = self.scan_error(&error);
                    self.errors.push(diagnostic);
                    return None;
                }
            };
            let step = match event {
                Event::StreamEnd => return root,
                Event::DocumentStart => {
                    documents += 1;
                    if documents > 1 {
                        let diagnostic = self.second_document(&marker);
                        self.errors.push(diagnostic);
                        return None;
                    }
                    Ok(None)
                }
                Event::Scalar(value, style, anchor, tag) => {
                    self.scalar(&value, style, anchor, tag.as_ref(), &marker)
                }
                Event::Alias(id) => self.alias(id, &marker),
                Event::SequenceStart(anchor, tag) => {
                    self.open(anchor, tag, &marker, Body::Seq(Vec::new()))
                }
                Event::MappingStart(anchor, tag) => self.open(
                    anchor,
                    tag,
                    &marker,
                    Body::Map {
                        entries: Vec::new(),
                        key: None,
                        seen: HashMap::new(),
                    },
                ),
                Event::SequenceEnd | Event::MappingEnd => self.close(&marker),
                Event::StreamStart | Event::DocumentEnd | Event::Nothing => Ok(None),
            };
            match step {
                Ok(Some(node)) => root = Some(node),
                Ok(None) => {}
                Err(Stop) => return None,
            }
        }
    }

    /// The line, column and byte offset of a parser marker. (Its line and column are used: its
    /// character index drifts after some block scalars.)
    fn locate(&mut self, marker: &Marker) -> (u32, u32, usize) {
        let mut line = u32::try_from(marker.line()).unwrap_or(u32::MAX).max(1);
        let mut column = u32::try_from(marker.col())
            .unwrap_or(u32::MAX)
            .saturating_add(1);
        if self.file.line_text(line).is_none() {
            // The parser counts a line break it imagines at the end of the file: the end of
            // the file is the end of its last line.
            (line, column) = self.file.position_of(self.file.text().len());
        }
        let byte = self.cursor.byte_of(line, column);
        (line, column, byte)
    }

    /// The rest of line `line` from byte `at` (found without scanning the line, which may be
    /// megabytes long).
    fn rest_of_line(&self, line: u32, at: usize) -> &'a str {
        let file: &'a SourceFile = self.file;
        let end = match (file.line_start(line), file.line_text(line)) {
            (Some(start), Some(text)) => start + text.len(),
            _ => file.text().len(),
        };
        file.text().get(at..end).unwrap_or("")
    }

    /// Counts `count` more nodes against [`MAX_NODES`].
    fn count(&mut self, count: usize, span: Span) -> Result<(), Stop> {
        self.nodes = self.nodes.saturating_add(count);
        if self.nodes <= MAX_NODES {
            return Ok(());
        }
        let diagnostic = self
            .error(
                span,
                format!(
                    "the YAML holds more than {MAX_NODES} nodes once its aliases are expanded (an alias bomb?)"
                ),
            )
            .label("the limit is reached here")
            .help("a spec has a few thousand nodes: write the repeated part out, or use fewer `*alias` references");
        self.errors.push(diagnostic);
        Err(Stop)
    }

    fn scalar(
        &mut self,
        value: &str,
        style: TScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        marker: &Marker,
    ) -> Result<Option<Node>, Stop> {
        let (line, column, byte) = self.locate(marker);
        let rest = self.rest_of_line(line, byte);
        let len = match style {
            TScalarStyle::Plain if rest.starts_with(value) => value.len(),
            TScalarStyle::SingleQuoted => quoted_len(rest, '\'').unwrap_or(rest.trim_end().len()),
            TScalarStyle::DoubleQuoted => quoted_len(rest, '"').unwrap_or(rest.trim_end().len()),
            _ => rest.trim_end().len(),
        };
        let mut span = SourceFile::span(line, column, len);
        let plain = style == TScalarStyle::Plain;
        if plain && value.is_empty() && tag.is_none() {
            // Nothing was written: the parser points at the next token; the key this value
            // belongs to is the better place.
            span = match self.stack.last() {
                Some(Frame {
                    body: Body::Map { key: Some(key), .. },
                    ..
                }) => key.span,
                _ => SourceFile::span(line, column, 0),
            };
        }
        self.count(1, span)?;
        let kind = match tag.map(core_tag) {
            None if plain => resolve_plain(value),
            None | Some(Some("str")) => Ok(NodeKind::Str(value.to_string())),
            Some(Some(name @ ("null" | "bool" | "int" | "float"))) => resolve_plain(value)
                .and_then(|kind| {
                    if kind_name(&kind) == name {
                        Ok(kind)
                    } else {
                        Err(format!("`{value}` is not {}", a_kind(name)))
                    }
                }),
            Some(Some(name)) => Err(format!("the tag `!!{name}` cannot mark a scalar")),
            Some(None) => Err(unknown_tag(tag)),
        };
        let kind = kind.unwrap_or_else(|problem| {
            let diagnostic = self
                .error(span, format!("invalid YAML: {problem}"))
                .help(scalar_help(tag.is_some()));
            self.errors.push(diagnostic);
            NodeKind::Str(value.to_string())
        });
        let node = Node { span, kind };
        if anchor != 0 {
            self.remember(anchor, &node)?;
        }
        Ok(self.attach(node))
    }

    fn alias(&mut self, id: usize, marker: &Marker) -> Result<Option<Node>, Stop> {
        let (line, column, byte) = self.locate(marker);
        let rest = self.rest_of_line(line, byte);
        let len = rest
            .char_indices()
            .skip(1)
            .find(|(_, c)| c.is_whitespace() || matches!(c, ',' | '[' | ']' | '{' | '}'))
            .map_or(rest.len(), |(at, _)| at);
        let span = SourceFile::span(line, column, len);
        let Some((node, size)) = self.anchors.get(&id) else {
            let diagnostic = self
                .error(
                    span,
                    format!(
                        "invalid YAML: `{}` refers to a node that contains it",
                        &rest[..len]
                    ),
                )
                .label("a node cannot include itself")
                .help("an alias repeats a node written before it, never one it is part of");
            self.errors.push(diagnostic);
            return Err(Stop);
        };
        let (mut node, size) = (node.clone(), *size);
        self.count(size, span)?;
        node.span = span;
        Ok(self.attach(node))
    }

    fn open(
        &mut self,
        anchor: usize,
        tag: Option<Tag>,
        marker: &Marker,
        body: Body,
    ) -> Result<Option<Node>, Stop> {
        let (line, column, byte) = self.locate(marker);
        let bracket = self.text().get(byte..).and_then(|rest| rest.chars().next());
        let span = SourceFile::span(line, column, 1);
        if self.stack.len() >= MAX_DEPTH {
            let diagnostic = self.too_deep(span);
            self.errors.push(diagnostic);
            return Err(Stop);
        }
        self.count(1, span)?;
        let (span, flow) = match (&body, bracket) {
            (Body::Seq(_), Some('[')) | (Body::Map { .. }, Some('{')) => (Some(span), Some(byte)),
            // A block sequence starts at its first `-`.
            (Body::Seq(_), _) => (Some(span), None),
            // The parser places a block mapping at the `:` after its first key: the mapping
            // really starts at that key.
            (Body::Map { .. }, _) => (None, None),
        };
        self.stack.push(Frame {
            span,
            opened: SourceFile::span(line, column, 1),
            flow,
            anchor,
            tag,
            body,
        });
        Ok(None)
    }

    fn close(&mut self, marker: &Marker) -> Result<Option<Node>, Stop> {
        let Some(frame) = self.stack.pop() else {
            return Ok(None);
        };
        let mut span = frame.span.unwrap_or(frame.opened);
        if let Some(start) = frame.flow {
            let (line, _, end) = self.locate(marker);
            // A flow collection written on one line covers it, through its closing bracket.
            if line == span.line && end >= start {
                let closing = self.text().get(end..).and_then(|r| r.chars().next());
                let width = closing.map_or(0, char::len_utf8);
                span.len = u32::try_from(end + width - start).unwrap_or(u32::MAX);
            }
        }
        let (kind, name) = match frame.body {
            Body::Seq(items) => (NodeKind::Seq(items), "seq"),
            Body::Map { entries, .. } => (NodeKind::Map(entries), "map"),
        };
        if let Some(tag) = &frame.tag {
            match core_tag(tag) {
                Some(core) if core == name => {}
                Some(core) => {
                    let diagnostic = self
                        .error(
                            span,
                            format!(
                                "invalid YAML: the tag `!!{core}` cannot mark a {}",
                                if name == "seq" { "list" } else { "mapping" }
                            ),
                        )
                        .help(scalar_help(true));
                    self.errors.push(diagnostic);
                }
                None => {
                    let diagnostic = self
                        .error(span, format!("invalid YAML: {}", unknown_tag(Some(tag))))
                        .help(scalar_help(true));
                    self.errors.push(diagnostic);
                }
            }
        }
        let node = Node { span, kind };
        if frame.anchor != 0 {
            self.remember(frame.anchor, &node)?;
        }
        Ok(self.attach(node))
    }

    /// Keeps a copy of an anchored node for its aliases.
    fn remember(&mut self, anchor: usize, node: &Node) -> Result<(), Stop> {
        let size = node.size();
        self.count(size, node.span)?;
        self.anchors.insert(anchor, (node.clone(), size));
        Ok(())
    }

    /// Adds a finished node to the collection being read; returns it when it is the root.
    fn attach(&mut self, node: Node) -> Option<Node> {
        let Some(frame) = self.stack.last_mut() else {
            return Some(node);
        };
        match &mut frame.body {
            Body::Seq(items) => items.push(node),
            Body::Map { entries, key, seen } => match key.take() {
                None => {
                    if frame.span.is_none() {
                        frame.span = Some(node.span);
                    }
                    *key = Some(node);
                }
                Some(k) => {
                    if let Some(id) = KeyId::of(&k) {
                        if let Some(first) = seen.get(&id) {
                            let shown = describe_key(&k);
                            let diagnostic = Diagnostic::error(
                                self.file,
                                Code::Yaml,
                                format!("the key `{shown}` appears twice in this mapping"),
                            )
                            .at(k.span)
                            .label("given again here")
                            .note_at(*first, "first given here")
                            .help("each key may appear once; remove one");
                            self.errors.push(diagnostic);
                            return None;
                        }
                        seen.insert(id, k.span);
                    }
                    entries.push((k, node));
                }
            },
        }
        None
    }

    fn second_document(&mut self, marker: &Marker) -> Diagnostic {
        let (line, _, _) = self.locate(marker);
        let text = self.file.line_text(line).unwrap_or("");
        let len = if text.starts_with("---") {
            3
        } else {
            text.split_whitespace().next().map_or(0, str::len)
        };
        self.error(
            SourceFile::span(line, 1, len),
            "the spec holds more than one YAML document",
        )
        .label("a second document starts here")
        .help("a spec is one document: remove this `---`, and what follows it if it is not part of the spec")
    }

    fn too_deep(&self, span: Span) -> Diagnostic {
        self.error(
            span,
            format!("the YAML nests more than {MAX_DEPTH} levels deep"),
        )
        .label("too deep")
        .help("a spec never nests more than a few levels; look for runaway `[`, `{` or indentation")
    }

    /// Explains a parser error from what the parser had read and the text around it.
    fn scan_error(&mut self, error: &ScanError) -> Diagnostic {
        let (line, column, byte) = self.locate(error.marker());
        let reason = error.info();
        // A tab in the indentation, on the line the parser stopped at or the one after it
        // (where a plain scalar it was reading would have gone on).
        for number in [line, line.saturating_add(1)] {
            let Some(text) = self.file.line_text(number) else {
                continue;
            };
            let indent = text.len() - text.trim_start_matches([' ', '\t']).len();
            let indentation = &text[..indent];
            if let Some(at) = indentation.find('\t')
                && indent < text.len()
            {
                let tabs =
                    indentation[at..].len() - indentation[at..].trim_start_matches('\t').len();
                let column =
                    u32::try_from(indentation[..at].chars().count() + 1).unwrap_or(u32::MAX);
                return self
                    .error(
                        SourceFile::span(number, column, tabs),
                        "invalid YAML: a tab character in the indentation",
                    )
                    .label("a tab")
                    .help("indent with spaces: YAML does not allow tabs in indentation");
            }
        }
        // The parser reads ahead of the events it gives, and has a nesting limit of its own: an
        // error where the brackets opened since the last collection we saw start (and not yet
        // closed) take the nesting past ours is that.
        // (From just after the innermost open bracket, which the stack already counts.)
        let from = self
            .stack
            .iter()
            .rev()
            .find_map(|frame| frame.flow)
            .map_or(0, |bracket| bracket + 1);
        let mut depth = self.stack.len();
        let past_limit = self.text().get(from..byte).and_then(|between| {
            between.bytes().enumerate().find_map(|(at, b)| {
                match b {
                    b'[' | b'{' => depth += 1,
                    b']' | b'}' => depth = depth.saturating_sub(1),
                    _ => {}
                }
                (depth > MAX_DEPTH).then_some(from + at)
            })
        });
        if let Some(at) = past_limit {
            let (line, column) = self.file.position_of(at);
            return self.too_deep(SourceFile::span(line, column, 1));
        }
        // A flow collection opened on an earlier line and still open.
        let open = self
            .stack
            .iter()
            .rev()
            .find(|frame| frame.flow.is_some())
            .and_then(|frame| frame.span.map(|span| (span, &frame.body)));
        if let Some((opened, body)) = open
            && opened.line < line
        {
            let (what, open, close) = match body {
                Body::Seq(_) => ("list", '[', ']'),
                Body::Map { .. } => ("mapping", '{', '}'),
            };
            let stop = SourceFile::span(line, column, self.token_len_at(line, byte));
            return self
                .error(
                    SourceFile::span(opened.line, opened.column, 1),
                    format!("invalid YAML: this `{open}` is never closed"),
                )
                .label(format!("this {what} is not closed"))
                .note_at(stop, format!("the parser expected `,` or `{close}` here"))
                .help(format!(
                    "close the {what} with `{close}` (a `{open} … {close}` written on one line must end on it), or write it as indented lines"
                ));
        }
        let span = SourceFile::span(line, column, self.token_len_at(line, byte));
        let diagnostic = self.error(span, format!("invalid YAML: {reason}"));
        if self
            .text()
            .get(byte..)
            .is_some_and(|rest| rest.starts_with(':'))
        {
            let help = over_indented(self.file, line).unwrap_or_else(|| {
                "a `: ` cannot appear here: check the indentation, or quote a value that contains `: `".to_string()
            });
            diagnostic.label("`:` not allowed here").help(help)
        } else {
            diagnostic.help(
                "fix the YAML syntax; indentation must use spaces, and `:` must be followed by a space",
            )
        }
    }

    /// Length of the word at byte `at` (up to a space or the end of the line), at least one
    /// character when there is one.
    fn token_len_at(&self, line: u32, at: usize) -> usize {
        let rest = self.rest_of_line(line, at);
        match rest.chars().next() {
            None => 0,
            Some(first) => rest
                .char_indices()
                .skip(1)
                .find(|(_, c)| c.is_whitespace())
                .map_or(rest.len(), |(end, _)| end)
                .max(first.len_utf8()),
        }
    }
}

/// How a non-string key is shown in a message.
fn describe_key(node: &Node) -> String {
    match &node.kind {
        NodeKind::Null => "null".into(),
        NodeKind::Bool(b) => b.to_string(),
        NodeKind::Int(n) => n.to_string(),
        NodeKind::Float(f) => f.to_string(),
        NodeKind::Str(s) => s.clone(),
        NodeKind::Seq(_) | NodeKind::Map(_) => "…".into(),
    }
}

/// The core-schema name of a tag (`str` for `!!str`, or `!` the non-specific tag); `None` for
/// any other tag.
fn core_tag(tag: &Tag) -> Option<&str> {
    const CORE: &str = "tag:yaml.org,2002:";
    if tag.handle.is_empty() && tag.suffix == "!" {
        return Some("str");
    }
    let full = if tag.handle == CORE {
        tag.suffix.as_str()
    } else {
        tag.suffix
            .strip_prefix(CORE)
            .filter(|_| tag.handle.is_empty())?
    };
    ["str", "null", "bool", "int", "float", "seq", "map"]
        .into_iter()
        .find(|name| *name == full)
}

fn unknown_tag(tag: Option<&Tag>) -> String {
    match tag {
        Some(tag) => format!(
            "the tag `{}{}` is not used in specs",
            tag.handle, tag.suffix
        ),
        None => "unknown tag".into(),
    }
}

fn scalar_help(tagged: bool) -> &'static str {
    if tagged {
        "specs need no YAML tags: remove it, and quote a value that must be a string"
    } else {
        "quote the value if it is text"
    }
}

fn kind_name(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Null => "null",
        NodeKind::Bool(_) => "bool",
        NodeKind::Int(_) => "int",
        NodeKind::Float(_) => "float",
        NodeKind::Str(_) => "str",
        NodeKind::Seq(_) => "seq",
        NodeKind::Map(_) => "map",
    }
}

fn a_kind(name: &str) -> &'static str {
    match name {
        "null" => "null",
        "bool" => "a boolean",
        "int" => "an integer",
        _ => "a number",
    }
}

/// Resolves a plain scalar with the YAML 1.2 core schema (see the module documentation).
fn resolve_plain(text: &str) -> Result<NodeKind, String> {
    Ok(match text {
        "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
        "true" | "True" | "TRUE" => NodeKind::Bool(true),
        "false" | "False" | "FALSE" => NodeKind::Bool(false),
        ".nan" | ".NaN" | ".NAN" => NodeKind::Float(f64::NAN),
        _ => {
            let (negative, unsigned) = match text.as_bytes().first() {
                Some(b'-') => (true, &text[1..]),
                Some(b'+') => (false, &text[1..]),
                _ => (false, text),
            };
            let all = |digits: &str, ok: fn(&u8) -> bool| {
                !digits.is_empty() && digits.as_bytes().iter().all(ok)
            };
            if all(unsigned, u8::is_ascii_digit) {
                return text
                    .parse::<i64>()
                    .map(NodeKind::Int)
                    .map_err(|_| format!("the integer `{text}` does not fit in 64 bits"));
            }
            let radix = |prefix: &str, radix: u32, ok: fn(&u8) -> bool| {
                text.strip_prefix(prefix)
                    .filter(|digits| all(digits, ok))
                    .map(|digits| {
                        i64::from_str_radix(digits, radix)
                            .map(NodeKind::Int)
                            .map_err(|_| format!("the integer `{text}` does not fit in 64 bits"))
                    })
            };
            if let Some(int) = radix("0o", 8, |b| (b'0'..=b'7').contains(b))
                .or_else(|| radix("0x", 16, u8::is_ascii_hexdigit))
            {
                return int;
            }
            if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
                return Ok(NodeKind::Float(if negative {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                }));
            }
            match is_core_float(unsigned).then(|| text.parse::<f64>()) {
                Some(Ok(float)) => NodeKind::Float(float),
                _ => NodeKind::Str(text.to_string()),
            }
        }
    })
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_core_float(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut at = digits(0);
    let whole = at;
    if bytes.get(at) == Some(&b'.') {
        let fraction = digits(at + 1);
        if whole == 0 && fraction == 0 {
            return false;
        }
        at += 1 + fraction;
    } else if whole == 0 {
        return false;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'-' | b'+')) {
            at += 1;
        }
        let exponent = digits(at);
        if exponent == 0 {
            return false;
        }
        at += exponent;
    }
    at == bytes.len()
}

/// Length of the quoted scalar at the start of `rest`, through its closing quote.
fn quoted_len(rest: &str, quote: char) -> Option<usize> {
    let mut escaped = false;
    let mut chars = rest.char_indices().skip(1).peekable();
    while let Some((at, c)) = chars.next() {
        if quote == '"' && c == '\\' && !escaped {
            escaped = true;
            continue;
        }
        if c == quote && !escaped {
            // `''` inside a single-quoted scalar is an escaped quote.
            if quote == '\'' && chars.peek().is_some_and(|(_, next)| *next == '\'') {
                chars.next();
                continue;
            }
            return Some(at + c.len_utf8());
        }
        escaped = false;
    }
    None
}

/// Help for a line that is indented more than the `key: value` line above it, which YAML reads
/// as the rest of that value (where a `: ` is not allowed).
fn over_indented(file: &SourceFile, line: u32) -> Option<String> {
    // Indentation is spaces; counted in bytes, which are characters here.
    let indent = |text: &str| text.len() - text.trim_start_matches(' ').len();
    let current = file.line_text(line)?;
    let (above, number) = (1..line).rev().find_map(|number| {
        let text = file.line_text(number)?;
        let trimmed = text.trim();
        (!trimmed.is_empty() && !trimmed.starts_with('#')).then_some((text, number))
    })?;
    let key_start = indent(above) + above[indent(above)..].strip_prefix("- ").map_or(0, |_| 2);
    let has_value = above
        .split_once(": ")
        .is_some_and(|(_, value)| !value.trim().is_empty());
    if indent(current) <= key_start || !has_value {
        return None;
    }
    let key = above
        .get(key_start..)?
        .split(':')
        .next()
        .unwrap_or("")
        .trim();
    Some(format!(
        "this line is indented more than `{key}` on line {number}, so YAML reads it as the rest of that value; line it up with `{key}`"
    ))
}

#[cfg(test)]
#[allow(clippy::panic, reason = "tests fail by panicking")]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Node {
        let mut cx = Ctxt::new(SourceFile::new("t.yaml", text));
        match parse(&mut cx) {
            Some(document) => document.root,
            None => panic!("did not parse: {}", cx.into_diagnostics()),
        }
    }

    fn at(node: Option<&Node>) -> (u32, u32, u32) {
        let span = node.map(|n| n.span).unwrap_or_default();
        (span.line, span.column, span.len)
    }

    fn item(node: Option<&Node>, index: usize) -> Option<&Node> {
        match &node?.kind {
            NodeKind::Seq(items) => items.get(index),
            _ => None,
        }
    }

    fn key_of<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
        match &node.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .find(|(k, _)| matches!(&k.kind, NodeKind::Str(t) if t == key))
                .map(|(k, _)| k),
            _ => None,
        }
    }

    #[test]
    fn nodes_carry_their_place() {
        let root = parsed("a: 1\nlist:\n  - name: x\n    requird: true\n  - {name: \"y\"}\n");
        assert_eq!(at(root.get("a")), (1, 4, 1));
        assert_eq!(at(key_of(&root, "a")), (1, 1, 1));
        let first = item(root.get("list"), 0);
        assert_eq!(at(first.and_then(|f| key_of(f, "requird"))), (4, 5, 7));
        assert_eq!(at(first.and_then(|f| f.get("requird"))), (4, 14, 4));
        let second = item(root.get("list"), 1);
        assert_eq!(at(second.and_then(|s| s.get("name"))), (5, 12, 3));
        // A flow mapping covers its line, through its `}`.
        assert_eq!(at(second), (5, 5, 11));
    }

    #[test]
    fn block_collections_start_at_their_first_key_or_dash() {
        let root = parsed("api:\n  name: x\nlist:\n  - id: a\n    token: b\n  - {id: c}\n");
        assert_eq!(at(Some(&root)), (1, 1, 3));
        assert_eq!(at(root.get("api")), (2, 3, 4));
        assert_eq!(at(root.get("list")), (4, 3, 1));
        assert_eq!(at(item(root.get("list"), 0)), (4, 5, 2));
        assert_eq!(at(item(root.get("list"), 1)), (6, 5, 7));
    }

    #[test]
    fn positions_count_characters_and_editor_lines() {
        let root =
            parsed("名字: \"值 x\" # c\r\nb: 'it''s'\rc: \u{3000}d\u{85}e\u{2028}\nd: [1, 名]\n");
        assert_eq!(at(root.get("名字")), (1, 5, "\"值 x\"".len() as u32));
        assert_eq!(at(root.get("b")), (2, 4, "'it''s'".len() as u32));
        assert_eq!(
            at(root.get("c")),
            (3, 4, "\u{3000}d\u{85}e\u{2028}".len() as u32)
        );
        let d = root.get("d");
        assert_eq!(at(d), (4, 4, "[1, 名]".len() as u32));
        assert_eq!(at(item(d, 1)), (4, 8, "名".len() as u32));
    }

    #[test]
    fn scalars_resolve_with_the_core_schema() {
        let root = parsed(
            "a: ~\nb: True\nc: yes\nd: 0x1F\ne: -12\nf: 1.5e3\ng: .inf\nh: '1'\ni: 0o17\nj: 1_000\nk: !!str 7\nl: .5\nm: 1.\nn: ! 3\n",
        );
        let kind = |key: &str| root.get(key).map(|n| n.kind.clone());
        assert_eq!(kind("a"), Some(NodeKind::Null));
        assert_eq!(kind("b"), Some(NodeKind::Bool(true)));
        assert_eq!(kind("c"), Some(NodeKind::Str("yes".into())));
        assert_eq!(kind("d"), Some(NodeKind::Int(31)));
        assert_eq!(kind("e"), Some(NodeKind::Int(-12)));
        assert_eq!(kind("f"), Some(NodeKind::Float(1500.0)));
        assert_eq!(kind("g"), Some(NodeKind::Float(f64::INFINITY)));
        assert_eq!(kind("h"), Some(NodeKind::Str("1".into())));
        assert_eq!(kind("i"), Some(NodeKind::Int(15)));
        assert_eq!(kind("j"), Some(NodeKind::Str("1_000".into())));
        assert_eq!(kind("k"), Some(NodeKind::Str("7".into())));
        assert_eq!(kind("l"), Some(NodeKind::Float(0.5)));
        assert_eq!(kind("m"), Some(NodeKind::Float(1.0)));
        assert_eq!(kind("n"), Some(NodeKind::Str("3".into())));
    }

    #[test]
    fn aliases_are_expanded_at_their_use() {
        let root = parsed("a: &x {b: 1}\nc: *x\n");
        assert_eq!(
            root.get("c").and_then(|c| c.get("b")).map(|b| &b.kind),
            Some(&NodeKind::Int(1))
        );
        assert_eq!(at(root.get("c")), (2, 4, 2));
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
        // Keys are compared by value: `1` and `0x1` are the same integer.
        let numbers = yaml_failure("1: a\n0x1: b\n");
        assert_eq!(place(&numbers), Some((2, 1, 3)));
    }

    #[test]
    fn a_second_document_is_reported_at_its_marker() {
        let found = yaml_failure("---\na: 1\n---\nb: 2\n");
        assert_eq!(place(&found), Some((3, 1, 3)));
        let implicit = yaml_failure("# x\na: 1\n---\nb: 2\n");
        assert_eq!(place(&implicit), Some((3, 1, 3)));
        let after_end = yaml_failure("a: 1\n...\nb: 2\n");
        assert_eq!(place(&after_end), Some((3, 1, 2)));
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
    fn tabs_and_over_indentation_are_explained() {
        let tab = yaml_failure("a:\n  b: x\n\tc: 1\n");
        assert_eq!(place(&tab), Some((3, 1, 1)));
        assert_eq!(
            tab.help_text(),
            Some("indent with spaces: YAML does not allow tabs in indentation")
        );
        let over = yaml_failure("a:\n  name: x\n    description: y\n");
        assert_eq!(place(&over).map(|p| (p.0, p.1)), Some((3, 16)));
        assert!(
            over.help_text()
                .is_some_and(|h| h.contains("indented more than `name` on line 2")),
            "{over}"
        );
        // An ideographic space is not indentation, and never cuts a character.
        let wide = yaml_failure("a:\n- x: 1\n\u{3000}\u{3000}y: 2: 3\n");
        assert!(wide.span().is_some());
    }

    #[test]
    fn an_error_at_the_end_of_the_file_is_placed_on_its_last_line() {
        // The parser reports this one on a line after the last.
        let found = yaml_failure("a:\n- x\nc");
        assert_eq!(place(&found).map(|p| (p.0, p.1)), Some((3, 2)));
    }

    #[test]
    fn nesting_is_refused_at_the_limit() {
        let deep = format!("a: {}1{}\n", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        let found = yaml_failure(&deep);
        assert!(found.message().contains("nests more than"), "{found}");
        assert_eq!(place(&found), Some((1, 4 + MAX_DEPTH as u32 - 1, 1)));
        let fits = format!("{}1{}\n", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        parsed(&fits);
    }

    #[test]
    fn alias_bombs_and_self_reference_are_refused() {
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..10 {
            let previous = level - 1;
            bomb.push_str(&format!(
                "a{level}: &a{level} [*a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}]\n"
            ));
        }
        let found = yaml_failure(&bomb);
        assert!(found.message().contains("alias bomb"), "{found}");
        let own = yaml_failure("a: &x [1, *x]\n");
        assert!(own.message().contains("contains it"), "{own}");
    }

    #[test]
    fn unknown_tags_and_huge_integers_are_refused() {
        let tag = yaml_failure("a: !foo x\n");
        assert_eq!(place(&tag), Some((1, 9, 1)));
        let big = yaml_failure("a: 99999999999999999999\n");
        assert!(big.message().contains("64 bits"), "{big}");
        assert_eq!(place(&big), Some((1, 4, 20)));
        let wrong = yaml_failure("a: !!int x\n");
        assert!(wrong.message().contains("not an integer"), "{wrong}");
    }
}
