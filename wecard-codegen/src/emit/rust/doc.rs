//! Rustdoc text built from the spec. Spec text is prose, not Markdown meant for rustdoc: it is
//! escaped so that a description can never open a doctest, a link, an HTML tag or a heading.

use proc_macro2::TokenStream;

use crate::emit::code_span::{backtick_run, closing_run};
use crate::model::{Field, Level, Rule, Wire};
use crate::spec::Scalar;

/// Escapes free text for rustdoc, line by line. Code spans (a backtick run closed by a run of
/// the same length on the same line) stay code spans, as in the Markdown reference; everything
/// else that rustdoc would interpret is escaped.
pub(super) fn escape(text: &str) -> Vec<String> {
    text.lines()
        .map(|line| {
            // Leading spaces would make an indented code block (a doctest).
            let chars: Vec<char> = line.trim().chars().collect();
            let mut out = String::with_capacity(line.len());
            let mut at = 0;
            while let Some(&c) = chars.get(at) {
                if c == '`' {
                    let run = backtick_run(&chars, at);
                    // Three or more at the start of a line could open a fenced block.
                    let closing = if at == 0 && run >= 3 {
                        None
                    } else {
                        closing_run(&chars, at + run, run)
                    };
                    match closing {
                        Some(close) => {
                            let span: String = chars
                                .get(at..close + run)
                                .unwrap_or_default()
                                .iter()
                                .map(|&c| if c.is_control() { ' ' } else { c })
                                .collect();
                            out.push_str(&span);
                            at = close + run;
                        }
                        None => {
                            out.push_str(&"\\`".repeat(run));
                            at += run;
                        }
                    }
                    continue;
                }
                match c {
                    '\\' | '[' | ']' | '<' | '>' | '*' | '_' | '|' | '~' => {
                        out.push('\\');
                        out.push(c);
                    }
                    '#' | '-' | '+' | '=' if at == 0 => {
                        out.push('\\');
                        out.push(c);
                    }
                    '\t' => out.push(' '),
                    c if c.is_control() => {}
                    c => out.push(c),
                }
                at += 1;
            }
            out
        })
        .collect()
}

/// Inline code whose fence is longer than any run of backticks inside it.
pub(super) fn code(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    format!("{fence}{pad}{flat}{pad}{fence}")
}

pub(super) use super::doc_blocks::{attrs, fixed};

/// A paragraph break between doc sections.
pub(super) fn push_paragraph(lines: &mut Vec<String>, paragraph: Vec<String>) {
    if paragraph.is_empty() {
        return;
    }
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.extend(paragraph);
}

/// The rule in words, for rustdoc, from the runtime's table (the words its validation messages
/// use): `must be at most 32 characters long (长度须不超过32个字符)`, `strict: …`, `… when …`.
pub fn rule_text(rule: &Rule) -> String {
    let (en, zh) = rule.kind().words(&|text| code(text));
    let mut text = format!("must {en} ({zh})");
    if rule.level() == Level::Strict {
        text = format!("strict: {text}");
    }
    if let Some(condition) = rule.when() {
        text.push_str(&format!(
            " when `{}` = {}",
            condition.field(),
            scalar_code(condition.equals())
        ));
    }
    text
}

fn scalar_code(value: &Scalar) -> String {
    match value {
        Scalar::Int(n) => format!("`{n}`"),
        Scalar::String(s) => code(s),
    }
}

/// The doc comment of a field: its description, then its facts.
pub(super) fn field(field: &Field) -> TokenStream {
    let mut lines = escape(field.description());
    let mut facts = Vec::new();
    let mut flags = Vec::new();
    flags.push(
        if field.required() {
            "Required."
        } else {
            "Optional."
        }
        .to_string(),
    );
    if field.needs_grant() {
        flags.push("需申请: returned only to apps granted this field.".into());
    }
    if let Some(since) = field.since() {
        flags.push(format!("Since {since}."));
    }
    facts.push(format!(
        "- Wire name: `{}`. {}",
        field.wire_name(),
        flags.join(" ")
    ));
    if field.lenient() {
        facts.push("- Read leniently: a number or a numeric string.".into());
    }
    if field.wire() == Wire::String {
        facts.push("- Sent as a JSON string.".into());
    }
    if field.nullable() {
        facts.push("- The server may send `null`, kept apart from an absent field.".into());
    }
    if !field.rules().is_empty() {
        let rules: Vec<String> = field.rules().iter().map(rule_text).collect();
        facts.push(format!("- Rules: {}.", rules.join("; ")));
    }
    if let Some(example) = field.example_on_wire() {
        facts.push(format!("- Example: {}", code(&example.to_string())));
    }
    if let Some(default) = field.default() {
        facts.push(format!("- Server default: {}", code(&default.to_string())));
    }
    push_paragraph(&mut lines, facts);
    if let Some(note) = field.note() {
        push_paragraph(&mut lines, note_lines(note));
    }
    attrs(&lines)
}

/// The `Note:` and `Source:` paragraphs an item's docs end with, where the spec gives them.
pub(super) fn push_note_and_source(
    lines: &mut Vec<String>,
    note: Option<&str>,
    source: Option<&str>,
) {
    if let Some(note) = note {
        push_paragraph(lines, note_lines(note));
    }
    if let Some(source) = source {
        push_paragraph(lines, escape(&format!("Source: {source}")));
    }
}

/// A note, marked as such.
pub(super) fn note_lines(note: &str) -> Vec<String> {
    let mut lines = escape(note);
    if let Some(first) = lines.first_mut() {
        *first = format!("Note: {first}");
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn code_spans_stay_code_spans() {
        assert_eq!(
            escape("An int in seed 001 (`\"gender\": 1`), see `a_b`."),
            vec!["An int in seed 001 (`\"gender\": 1`), see `a_b`."]
        );
        assert_eq!(
            escape("``double `tick` code`` and `x|y`"),
            vec!["``double `tick` code`` and `x|y`"]
        );
    }

    #[test]
    fn what_is_not_a_code_span_is_escaped() {
        assert_eq!(
            escape("an unclosed ` tick, a_b and [link]"),
            vec!["an unclosed \\` tick, a\\_b and \\[link\\]"]
        );
        // A run of three at the start of a line would open a fenced block (a doctest).
        assert_eq!(escape("```rust"), vec!["\\`\\`\\`rust"]);
        assert_eq!(escape("```d``` x"), vec!["\\`\\`\\`d\\`\\`\\` x"]);
        assert_eq!(escape("- item"), vec!["\\- item"]);
    }
}
