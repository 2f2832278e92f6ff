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
        let len = token_len(&text[start..]);
        Span {
            line,
            column,
            len: u32::try_from(len).unwrap_or(u32::MAX),
        }
    }
}

/// Length in bytes of the YAML token at the start of `rest`: a quoted scalar, a key, or a plain
/// scalar up to a comment or the end of the line.
fn token_len(rest: &str) -> usize {
    let mut chars = rest.char_indices();
    match chars.next() {
        None => 0,
        Some((_, quote @ ('"' | '\''))) => {
            let mut escaped = false;
            for (at, c) in chars {
                if quote == '"' && c == '\\' && !escaped {
                    escaped = true;
                    continue;
                }
                if c == quote && !escaped {
                    return at + c.len_utf8();
                }
                escaped = false;
            }
            rest.len()
        }
        Some((_, '[' | '{' | '-' | '|' | '>')) => 1,
        Some(_) => {
            let end = [": ", " #"]
                .iter()
                .filter_map(|stop| rest.find(stop))
                .min()
                .unwrap_or(rest.len());
            let end = if rest[..end].ends_with(':') {
                end - 1
            } else {
                end
            };
            rest[..end].trim_end().len()
        }
    }
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
}
