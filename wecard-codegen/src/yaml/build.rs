//! Building the tree from the parser's events: positions, anchors and aliases, duplicate keys,
//! and the depth and size limits.

use std::collections::HashMap;
use std::sync::Arc;

use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use crate::diagnostic::{Code, Diagnostic};
use crate::source::{ColumnCursor, SourceFile, Span};

use super::scalar::{a_kind, core_tag, kind_name, resolve_plain, scalar_help, unknown_tag};
use super::{MAX_DEPTH, MAX_NODES, Node, NodeKind};

/// A collection being read.
pub(super) struct Frame {
    /// Where it starts (for a block mapping, set at its first key).
    pub(super) span: Option<Span>,
    /// Where the parser placed its start, for a block mapping without keys.
    pub(super) opened: Span,
    /// Byte offset of its `{` or `[`, for a flow collection.
    pub(super) flow: Option<usize>,
    pub(super) anchor: usize,
    pub(super) tag: Option<Tag>,
    pub(super) body: Body,
}

pub(super) enum Body {
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
pub(super) enum KeyId {
    Null,
    Bool(bool),
    Int(i64),
    Float(u64),
    Str(String),
}

impl KeyId {
    pub(super) fn of(node: &Node) -> Option<Self> {
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
pub(super) struct Builder<'a> {
    pub(super) file: &'a Arc<SourceFile>,
    pub(super) cursor: ColumnCursor<'a>,
    pub(super) stack: Vec<Frame>,
    /// Completed anchored nodes, with their size.
    pub(super) anchors: HashMap<usize, (Node, usize)>,
    /// Nodes built so far, copies included.
    pub(super) nodes: usize,
    pub(super) errors: Vec<Diagnostic>,
}

/// Why building stopped early.
pub(super) struct Stop;

impl<'a> Builder<'a> {
    pub(super) fn new(file: &'a Arc<SourceFile>) -> Self {
        Self {
            file,
            cursor: ColumnCursor::new(file),
            stack: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
            errors: Vec::new(),
        }
    }

    pub(super) fn text(&self) -> &'a str {
        self.file.text()
    }

    pub(super) fn error(&self, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(self.file, Code::Yaml, message).at(span)
    }

    /// Reads every event; returns the root node (if the document has one).
    pub(super) fn run(&mut self) -> Option<Node> {
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
    pub(super) fn locate(&mut self, marker: &Marker) -> (u32, u32, usize) {
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
    pub(super) fn rest_of_line(&self, line: u32, at: usize) -> &'a str {
        let file: &'a SourceFile = self.file;
        let end = match (file.line_start(line), file.line_text(line)) {
            (Some(start), Some(text)) => start + text.len(),
            _ => file.text().len(),
        };
        file.text().get(at..end).unwrap_or("")
    }

    /// Counts `count` more nodes against [`MAX_NODES`].
    pub(super) fn count(&mut self, count: usize, span: Span) -> Result<(), Stop> {
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

    pub(super) fn scalar(
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

    pub(super) fn alias(&mut self, id: usize, marker: &Marker) -> Result<Option<Node>, Stop> {
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

    pub(super) fn open(
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

    pub(super) fn close(&mut self, marker: &Marker) -> Result<Option<Node>, Stop> {
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
    pub(super) fn remember(&mut self, anchor: usize, node: &Node) -> Result<(), Stop> {
        let size = node.size();
        self.count(size, node.span)?;
        self.anchors.insert(anchor, (node.clone(), size));
        Ok(())
    }

    /// Adds a finished node to the collection being read; returns it when it is the root.
    pub(super) fn attach(&mut self, node: Node) -> Option<Node> {
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
