//! Spec files as text, and positions within them.
//!
//! Lines are split where YAML 1.2 and editors split them: at `\n`, `\r\n` and a lone `\r`, and
//! nowhere else (U+0085 and U+2028 are ordinary characters). Columns count characters, as editors
//! do; span lengths count bytes, so that a caret never cuts a character.

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
        let line_starts = line_starts(&text);
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

    /// How many lines the file has (a final line break does not start another).
    pub fn line_count(&self) -> usize {
        let ends_with_break = self.text.ends_with(['\n', '\r']);
        self.line_starts.len() - usize::from(ends_with_break && !self.text.is_empty())
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
        Some(
            line.strip_suffix('\n')
                .unwrap_or(line)
                .trim_end_matches('\r'),
        )
    }

    /// Byte offset of the start of 1-based line `line`.
    pub fn line_start(&self, line: u32) -> Option<usize> {
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        self.line_starts.get(index).copied()
    }

    /// The 1-based line and column (in characters) of byte `offset`; an offset inside a
    /// character counts as that character.
    pub fn position_of(&self, offset: usize) -> (u32, u32) {
        let offset = offset.min(self.text.len());
        let index = self
            .line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let start = self.line_starts.get(index).copied().unwrap_or(0);
        let column = self.text.get(start..).map_or(0, |rest| {
            rest.char_indices()
                .take_while(|(at, c)| at + c.len_utf8() <= offset - start)
                .count()
        });
        (
            u32::try_from(index + 1).unwrap_or(u32::MAX),
            u32::try_from(column + 1).unwrap_or(u32::MAX),
        )
    }

    /// A span of `len` bytes at 1-based `line` and `column` (in characters).
    pub fn span(line: u32, column: u32, len: usize) -> Span {
        Span {
            line,
            column,
            len: u32::try_from(len).unwrap_or(u32::MAX),
        }
    }
}

/// Byte offsets where lines start: 0, and after every `\n`, `\r\n` or lone `\r`.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (at, &byte) in bytes.iter().enumerate() {
        let ends_line = byte == b'\n' || (byte == b'\r' && bytes.get(at + 1) != Some(&b'\n'));
        if ends_line {
            starts.push(at + 1);
        }
    }
    starts
}

/// Turns a 1-based line and column (in characters) into a byte offset, cheaply for positions
/// asked for in nearly increasing order: within a line it walks on from the last answer, so a
/// long line costs time linear in its length, not in its length times its tokens.
#[derive(Debug)]
pub(crate) struct ColumnCursor<'a> {
    file: &'a SourceFile,
    line: u32,
    column: u32,
    byte: usize,
}

impl<'a> ColumnCursor<'a> {
    /// A cursor at the start of `file`.
    pub(crate) fn new(file: &'a SourceFile) -> Self {
        Self {
            file,
            line: 1,
            column: 1,
            byte: 0,
        }
    }

    /// The byte offset of 1-based `line` and `column`; a column past the end of its line gives
    /// the line's end, a line past the end of the file the file's end.
    pub(crate) fn byte_of(&mut self, line: u32, column: u32) -> usize {
        let text = self.file.text();
        let Some(start) = self.file.line_start(line) else {
            return text.len();
        };
        let end = start + self.file.line_text(line).map_or(0, str::len);
        if line != self.line || column < self.column {
            self.line = line;
            self.column = 1;
            self.byte = start;
        }
        while self.column < column && self.byte < end {
            let width = text[self.byte..].chars().next().map_or(1, char::len_utf8);
            self.byte += width;
            self.column += 1;
        }
        self.byte
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
    fn lines_split_at_lf_crlf_and_cr_only() {
        let file = SourceFile::new("a.yaml", "a\nb\r\nc\rd\u{85}e\u{2028}f\n");
        assert_eq!(file.line_text(1), Some("a"));
        assert_eq!(file.line_text(2), Some("b"));
        assert_eq!(file.line_text(3), Some("c"));
        assert_eq!(file.line_text(4), Some("d\u{85}e\u{2028}f"));
        assert_eq!(file.line_text(5), Some(""));
        assert_eq!(file.line_text(6), None);
        assert_eq!(file.line_count(), 4);
        assert_eq!(SourceFile::new("a", "x").line_count(), 1);
        assert_eq!(SourceFile::new("a", "").line_count(), 1);
    }

    #[test]
    fn positions_count_characters() {
        let file = SourceFile::new("a.yaml", "名字: 值\r\nb: \u{3000}x\n");
        assert_eq!(file.position_of(0), (1, 1));
        assert_eq!(file.position_of("名字: ".len()), (1, 5));
        assert_eq!(file.position_of("名字: 值\r\n".len()), (2, 1));
        assert_eq!(file.position_of("名字: 值\r\nb: \u{3000}".len()), (2, 5));
        // Inside a character: that character.
        assert_eq!(file.position_of(1), (1, 1));
        assert_eq!(file.position_of(10_000), (3, 1));
    }

    #[test]
    fn the_cursor_finds_columns_in_characters() {
        let file = SourceFile::new("a.yaml", "a名\u{3000}b\r\n字c\n");
        let mut cursor = ColumnCursor::new(&file);
        assert_eq!(cursor.byte_of(1, 3), "a名".len());
        assert_eq!(cursor.byte_of(1, 2), 1);
        assert_eq!(cursor.byte_of(1, 99), "a名\u{3000}b".len());
        assert_eq!(cursor.byte_of(2, 2), "a名\u{3000}b\r\n字".len());
        assert_eq!(cursor.byte_of(1, 1), 0);
        assert_eq!(cursor.byte_of(9, 1), file.text().len());
    }
}
