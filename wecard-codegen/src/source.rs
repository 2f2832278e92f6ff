//! Spec files as text, and positions within them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file that was read (or that failed to be read), kept for rendering diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    path: PathBuf,
    text: String,
    line_starts: Vec<usize>,
}

impl SourceFile {
    /// Wraps the text of `path`.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Arc<Self> {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        Arc::new(Self {
            path: path.into(),
            text,
            line_starts,
        })
    }

    /// The path the file was read from, as the user named it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The whole text (empty when the file could not be read).
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text of 1-based line `line`, without its line ending.
    pub fn line_text(&self, line: u32) -> Option<&str> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        let start = *self.line_starts.get(index)?;
        let end = self
            .line_starts
            .get(index + 1)
            .copied()
            .unwrap_or(self.text.len());
        let line = self.text.get(start..end)?;
        Some(line.trim_end_matches(['\n', '\r']))
    }

    /// Byte offset of the start of 1-based line `line`.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        self.line_starts.get(index).copied()
    }

    /// The span at 1-based `line` and `column` (in characters), covering the token there.
    pub fn span_at(&self, line: u32, column: u32) -> Span {
        let text = self.line_text(line).unwrap_or("");
        let start = text
            .char_indices()
            .nth(column.saturating_sub(1) as usize)
            .map_or(text.len(), |(at, _)| at);
        let len = token_len(&text[start..], inside_flow(&text[..start]));
        Span {
            line,
            column,
            len: u32::try_from(len).unwrap_or(u32::MAX),
        }
    }
}

/// Length in bytes of the YAML token at the start of `rest`: a quoted scalar, a key, a flow
/// collection written on one line, or a plain scalar up to a comment or the end of the line (or,
/// inside a flow collection, `in_flow`, up to the next `,`, `}` or `]`).
fn token_len(rest: &str, in_flow: bool) -> usize {
    let mut chars = rest.char_indices();
    match chars.next() {
        None => 0,
        Some((_, quote @ ('"' | '\''))) => quoted_len(rest, quote).unwrap_or(rest.len()),
        Some((_, '[' | '{')) => {
            let mut scan = FlowScan::default();
            for (at, c) in rest.char_indices() {
                scan.step(rest, at, c);
                if scan.stack.is_empty() {
                    return at + c.len_utf8();
                }
                if scan.comment {
                    break;
                }
            }
            1
        }
        // A `-` (or `?`, `:`) is an indicator only when followed by a space: `-1` is a scalar.
        Some((_, '-' | '?' | ':')) if rest[1..].chars().next().is_none_or(char::is_whitespace) => 1,
        Some((_, '|' | '>')) => 1,
        // A tab where indentation is expected: the tabs themselves.
        Some((_, '\t')) => rest.len() - rest.trim_start_matches('\t').len(),
        Some(_) => {
            let mut end = [": ", " #"]
                .iter()
                .filter_map(|stop| rest.find(stop))
                .min()
                .unwrap_or(rest.len());
            if in_flow && let Some(stop) = rest[..end].find([',', '}', ']']) {
                end = stop;
            }
            let token = rest[..end].trim_end();
            // A key written `key:` at the end of the line (its value on the lines below).
            token.strip_suffix(':').map_or(token.len(), str::len)
        }
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

/// Tracks flow collections (`{ … }`, `[ … ]`) and quoted scalars along a line, ignoring brackets
/// inside quotes, comments, and block plain scalars (`见[文档]`).
#[derive(Debug, Default)]
pub(crate) struct FlowScan {
    /// The open collections: byte offset (within the line) and bracket.
    pub(crate) stack: Vec<(usize, char)>,
    /// The quote of the scalar being read, if any.
    quote: Option<char>,
    /// Whether a `"` scalar just read a `\`.
    escaped: bool,
    /// Whether the previous character was the first `'` of an escaped `''`.
    skip: bool,
    /// Whether the rest of the line is a comment.
    pub(crate) comment: bool,
}

impl FlowScan {
    /// Reads `c`, found at byte `at` of `line`.
    pub(crate) fn step(&mut self, line: &str, at: usize, c: char) {
        if self.comment {
            return;
        }
        if self.skip {
            self.skip = false;
            return;
        }
        if let Some(quote) = self.quote {
            if quote == '"' && c == '\\' && !self.escaped {
                self.escaped = true;
                return;
            }
            if c == quote && !self.escaped {
                if quote == '\'' && line[at + 1..].starts_with('\'') {
                    self.skip = true;
                } else {
                    self.quote = None;
                }
            }
            self.escaped = false;
            return;
        }
        let previous = line[..at].chars().next_back();
        let token_start =
            previous.is_none_or(|p| p.is_whitespace() || matches!(p, '[' | '{' | ','));
        match c {
            '#' if previous.is_none_or(char::is_whitespace) => self.comment = true,
            '"' | '\'' if token_start => self.quote = Some(c),
            '[' | '{' if token_start || !self.stack.is_empty() => self.stack.push((at, c)),
            ']' | '}' if !self.stack.is_empty() => {
                self.stack.pop();
            }
            _ => {}
        }
    }

    /// Starts a new line: a comment ends with its line (quoted scalars and collections go on).
    pub(crate) fn new_line(&mut self) {
        self.comment = false;
        self.skip = false;
    }
}

/// Whether the text of a line before some token leaves a flow collection open.
fn inside_flow(before: &str) -> bool {
    let mut scan = FlowScan::default();
    for (at, c) in before.char_indices() {
        scan.step(before, at, c);
    }
    !scan.stack.is_empty() && scan.quote.is_none()
}

/// A position in a spec file: 1-based line and column (in characters), and the length in bytes
/// of the token found there (0 when it covers nothing, such as the end of the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, counted in characters.
    pub column: u32,
    /// Length of the token in bytes.
    pub len: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_keys_plain_and_quoted_scalars() {
        let file = SourceFile::new(
            "a.yaml",
            "a:\n  requird: true # x\n  name: \"a: b\"\n  名字: 值\n",
        );
        assert_eq!(file.span_at(2, 3).len, "requird".len() as u32);
        assert_eq!(file.span_at(2, 12).len, "true".len() as u32);
        assert_eq!(file.span_at(3, 9).len, "\"a: b\"".len() as u32);
        assert_eq!(file.span_at(4, 3).len, "名字".len() as u32);
        assert_eq!(file.span_at(4, 7).len, "值".len() as u32);
        assert_eq!(file.line_text(3), Some("  name: \"a: b\""));
        assert_eq!(file.line_text(9), None);
    }

    fn len_at(text: &str, column: u32) -> u32 {
        SourceFile::new("a.yaml", text).span_at(1, column).len
    }

    #[test]
    fn flow_collections_end_plain_scalars_at_their_punctuation() {
        let line = "- range: { min: 150, max: 0 }";
        assert_eq!(len_at(line, 17), "150".len() as u32);
        assert_eq!(len_at(line, 27), "0".len() as u32);
        assert_eq!(len_at(line, 12), "min".len() as u32);
        assert_eq!(len_at("a: {min: 1}", 10), 1);
        assert_eq!(len_at("when: { field: identity_type, equals: 2 }", 16), 13);
        assert_eq!(len_at("a: [x, y]", 5), 1);
        // A whole flow collection on one line, including an empty one.
        assert_eq!(
            len_at("a: { b: '}', c: [1] } # x", 4),
            "{ b: '}', c: [1] }".len() as u32
        );
        assert_eq!(len_at("one_of: []", 9), 2);
        assert_eq!(len_at("a: [1, 2", 4), 1);
    }

    #[test]
    fn block_plain_scalars_keep_commas_and_brackets() {
        assert_eq!(
            len_at("description: 姓名, 性别", 14),
            "姓名, 性别".len() as u32
        );
        assert_eq!(len_at("description: a [b], c", 14), "a [b], c".len() as u32);
        assert_eq!(len_at("note: it's {fine}", 7), "it's {fine}".len() as u32);
    }

    #[test]
    fn indicators_need_a_space_but_numbers_do_not() {
        assert_eq!(len_at("min: -1", 6), 2);
        assert_eq!(len_at("- a", 1), 1);
        assert_eq!(len_at("-", 1), 1);
        assert_eq!(len_at("---", 1), 3);
        assert_eq!(len_at("\t\tname: x", 1), 2);
        assert_eq!(len_at("a: 'it''s'", 4), "'it''s'".len() as u32);
    }
}
