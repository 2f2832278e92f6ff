//! Inline text safety: spec text escaped so that it reads as written, code spans with fences no
//! backtick inside can close, and JSON values and codes as code. The rules are listed in the
//! [module documentation](super#escaping).

use crate::emit::code_span::{backtick_run, closing_run};
use crate::spec::Scalar;

/// Where rendered inline text goes: table cells also need `|` escaped inside code spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Ctx {
    /// A paragraph, a list item or a heading.
    Block,
    /// A table cell.
    Cell,
}

/// Spec prose: literal text in which backtick code spans stay code spans.
pub(super) fn prose(text: &str, ctx: Ctx) -> String {
    inline(text, ctx, true)
}

/// A spec `note` (for readers), as [`prose`]; each `uncertain:` that starts the note or a
/// clause is marked in bold, in Chinese and English, so that what no source settles stands out.
pub(super) fn note_text(text: &str) -> String {
    const MARK: &str = "**未确定 Uncertain:**";
    let rendered = prose(text, Ctx::Block);
    let rendered = match rendered.strip_prefix("uncertain:") {
        Some(rest) => format!("{MARK}{rest}"),
        None => rendered,
    };
    rendered.replace(" uncertain:", &format!(" {MARK}"))
}

/// Literal text: every character shown as written, backticks included.
pub(super) fn literal(text: &str, ctx: Ctx) -> String {
    inline(text, ctx, false)
}

fn inline(text: &str, ctx: Ctx, code_spans: bool) -> String {
    let normalized = text.replace("\r\n", "\n").replace('\r', "\n");
    let chars: Vec<char> = normalized.trim().chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '`' {
            let run = backtick_run(&chars, i);
            let closing = if code_spans {
                closing_run(&chars, i + run, run)
            } else {
                None
            };
            match closing {
                Some(close) => {
                    let content: String = chars
                        .get(i + run..close)
                        .unwrap_or_default()
                        .iter()
                        .collect();
                    let content = if run >= 3 {
                        unfence(&content)
                    } else {
                        &content
                    };
                    out.push_str(&code(&span_content(content), ctx));
                    i = close + run;
                }
                None => {
                    out.push_str(&"\\`".repeat(run));
                    i += run;
                }
            }
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        escape_char(c, prev, next, &mut out);
        i += 1;
    }
    guard_block_start(out)
}

/// The body of what was meant as a fenced code block (` ```rust\n…\n``` `): without its info
/// string and the line breaks around it, since it is shown as a code span.
fn unfence(content: &str) -> &str {
    let Some((info, body)) = content.split_once('\n') else {
        return content;
    };
    if info.chars().any(char::is_whitespace) {
        return content;
    }
    body.strip_suffix('\n').unwrap_or(body)
}

/// What a code span shows (CommonMark): line breaks become spaces, and one space is stripped
/// from each end when both ends have one.
fn span_content(raw: &str) -> String {
    let content = raw.replace('\n', " ");
    if content.len() >= 2
        && content.starts_with(' ')
        && content.ends_with(' ')
        && !content.chars().all(|c| c == ' ')
    {
        content[1..content.len() - 1].to_owned()
    } else {
        content
    }
}

fn escape_char(c: char, prev: Option<char>, next: Option<char>, out: &mut String) {
    match c {
        '\n' => out.push_str("<br>"),
        '\\' | '*' | '[' | ']' | '~' | '$' | '|' => {
            out.push('\\');
            out.push(c);
        }
        '_' => {
            let intraword =
                prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric);
            if !intraword {
                out.push('\\');
            }
            out.push('_');
        }
        '<' => out.push_str("&lt;"),
        '&' if next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#') => out.push_str("&amp;"),
        '#' if prev.is_none_or(char::is_whitespace) => out.push_str("\\#"),
        '\t' => out.push(' '),
        c if c.is_control() => out.push('\u{FFFD}'),
        c => out.push(c),
    }
}

/// Escapes what would start a block (a list, a quote, a setext underline) at the start of text.
fn guard_block_start(text: String) -> String {
    if text.starts_with(['-', '+', '=', '>']) {
        return format!("\\{text}");
    }
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    if (1..=9).contains(&digits) && text[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &text[..digits], &text[digits..]);
    }
    text
}

/// `content` as a code span whose fence no backtick inside can close.
pub(super) fn code(content: &str, ctx: Ctx) -> String {
    let content: String = content
        .chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        })
        .collect();
    if content.is_empty() {
        return String::new();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in content.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = content.starts_with('`')
        || content.ends_with('`')
        || (content.starts_with(' ')
            && content.ends_with(' ')
            && !content.chars().all(|c| c == ' '));
    let pad = if pad { " " } else { "" };
    let body = match ctx {
        Ctx::Cell => content.replace('|', "\\|"),
        Ctx::Block => content,
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}

/// A JSON value as compact JSON text.
pub(super) fn json(value: &serde_json::Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A code as it travels: `1`, `"addUser"`.
pub(super) fn scalar(value: &Scalar) -> String {
    match value {
        Scalar::Int(number) => number.to_string(),
        Scalar::String(text) => serde_json::to_string(text).unwrap_or_else(|_| format!("{text:?}")),
    }
}
