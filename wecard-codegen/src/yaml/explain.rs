//! Explaining where the parser stopped, from its state and the text itself (never from the
//! wording of its message, which is only shown).

use yaml_rust2::scanner::{Marker, ScanError};

use crate::diagnostic::Diagnostic;
use crate::source::{SourceFile, Span};

use super::MAX_DEPTH;
use super::build::{Body, Builder};

impl Builder<'_> {
    pub(super) fn second_document(&mut self, marker: &Marker) -> Diagnostic {
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

    pub(super) fn too_deep(&self, span: Span) -> Diagnostic {
        self.error(
            span,
            format!("the YAML nests more than {MAX_DEPTH} levels deep"),
        )
        .label("too deep")
        .help("a spec never nests more than a few levels; look for runaway `[`, `{` or indentation")
    }

    /// Explains a parser error from what the parser had read and the text around it.
    pub(super) fn scan_error(&mut self, error: &ScanError) -> Diagnostic {
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
    pub(super) fn token_len_at(&self, line: u32, at: usize) -> usize {
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
