//! Where each proposed edit goes in the spec's text, and what it writes there.

use std::collections::BTreeSet;

use crate::yaml::{Node, NodeKind};

use super::{DriftEntry, DriftKind};

/// The spec as the drift would have it, and what was (and was not) changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// The spec's text with every edit made.
    pub edited: String,
    /// One line per edit, in the file's order: `LINE: what`, LINE in the original text.
    pub edits: Vec<String>,
    /// Entries no edit was proposed for, and why.
    pub skipped: Vec<Skipped>,
}

/// An entry without an edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The entry, in a few words (`search_users: unknown_field userlist[].nickname`).
    pub entry: String,
    /// Why nothing is proposed for it.
    pub reason: String,
}

/// A change to the original text's lines.
struct Change {
    /// Insert after this 1-based line, or delete it.
    line: usize,
    /// The lines to insert; empty deletes `line`.
    insert: Vec<String>,
}

/// Plans an edit for each entry of `entries` in the spec `text` whose tree is `root`.
pub(super) fn plan(text: &str, root: &Node, entries: &[DriftEntry]) -> Proposal {
    let lines: Vec<&str> = text.lines().collect();
    let mut changes = Vec::new();
    let mut edits = Vec::new();
    let mut skipped = Vec::new();
    // (list line, name) of what is already proposed, so that the same field seen through two
    // endpoints is added once.
    let mut proposed: BTreeSet<(usize, String)> = BTreeSet::new();
    for entry in entries {
        let outcome = match entry.kind {
            DriftKind::UnknownField => new_field(&lines, root, entry, &mut proposed),
            DriftKind::UnknownCode => new_code(&lines, root, entry, &mut proposed),
            DriftKind::UnknownErrorCode => new_error_code(&lines, root, entry, &mut proposed),
            DriftKind::MissingField => not_required(&lines, root, entry, &mut proposed),
        };
        match outcome {
            Ok(Some((change, what))) => {
                let at = if change.insert.is_empty() {
                    change.line
                } else {
                    change.line + 1
                };
                edits.push((at, format!("{at}: {what}")));
                changes.push(change);
            }
            Ok(None) => {}
            Err(reason) => skipped.push(Skipped {
                entry: describe(entry),
                reason,
            }),
        }
    }
    edits.sort_by_key(|(at, _)| *at);
    Proposal {
        edited: apply(text, changes),
        edits: edits.into_iter().map(|(_, edit)| edit).collect(),
        skipped,
    }
}

fn describe(entry: &DriftEntry) -> String {
    let what = match entry.kind {
        DriftKind::UnknownField => "unknown field",
        DriftKind::UnknownCode => "unknown code",
        DriftKind::UnknownErrorCode => "unknown error code",
        DriftKind::MissingField => "missing required field",
    };
    if entry.path.is_empty() {
        format!("{}: {what} {}", entry.endpoint, entry.value)
    } else {
        format!("{}: {what} at {}", entry.endpoint, entry.path)
    }
}

/// The item of the sequence `list` whose `key` is the string `value`.
fn item_named<'n>(list: &'n Node, key: &str, value: &str) -> Option<&'n Node> {
    let NodeKind::Seq(items) = &list.kind else {
        return None;
    };
    items.iter().find(
        |item| matches!(item.get(key).map(|n| &n.kind), Some(NodeKind::Str(text)) if text == value),
    )
}

/// The `fields` list an entry's field belongs in: its record's, or its endpoint's reply's.
fn fields_of<'n>(root: &'n Node, entry: &DriftEntry) -> Result<&'n Node, String> {
    match &entry.record {
        Some(record) => root
            .get("records")
            .and_then(|records| item_named(records, "name", record))
            .ok_or_else(|| format!("the spec has no record `{record}`"))?
            .get("fields")
            .ok_or_else(|| format!("record `{record}` has no `fields` list to add to")),
        None => {
            if entry.path.contains('.') {
                return Err(format!(
                    "`{}` is inside a value that is not a spec record",
                    entry.path
                ));
            }
            root.get("endpoints")
                .and_then(|endpoints| item_named(endpoints, "id", &entry.endpoint))
                .ok_or_else(|| format!("the spec has no endpoint `{}`", entry.endpoint))?
                .get("response")
                .and_then(|response| response.get("fields"))
                .ok_or_else(|| {
                    format!(
                        "endpoint `{}` has no `response.fields` list to add to",
                        entry.endpoint
                    )
                })
        }
    }
}

/// Where a block sequence ends, and how its items are indented.
struct ListEnd {
    /// The last line (1-based) that belongs to the list.
    last_line: usize,
    /// Spaces before each item's `-`.
    dash_indent: usize,
    /// Spaces before each item's keys.
    key_indent: usize,
}

fn leading_spaces(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The end of the block sequence `list`: every line after its first `-` that is blank, indented
/// deeper than its dashes, or another item at their column.
fn list_end(lines: &[&str], list: &Node) -> Result<ListEnd, String> {
    let line = list.span.line as usize;
    let first = lines
        .get(line.wrapping_sub(1))
        .ok_or_else(|| "the list's place is outside the file".to_string())?;
    let column = (list.span.column as usize).saturating_sub(1);
    let indent = leading_spaces(first);
    // The tree places a block list at its first `-`, or (written at its key's column) at the
    // first item's first key; a list written inline starts with `[`.
    let dash_indent = match first.chars().nth(column) {
        Some('-') if indent == column => column,
        Some(c) if c != '[' && indent < column && first[indent..].starts_with("- ") => indent,
        _ => {
            return Err(format!(
                "the list at line {line} is written inline (`[…]`): rewrite it as a block list (`- …` lines) to have edits proposed"
            ));
        }
    };
    let key_indent = match &list.kind {
        NodeKind::Seq(items) => match items.first() {
            Some(
                item @ Node {
                    kind: NodeKind::Map(_),
                    ..
                },
            ) if item.span.line as usize == line => (item.span.column as usize).saturating_sub(1),
            _ => dash_indent + 2,
        },
        _ => dash_indent + 2,
    };
    let mut last_line = line;
    for (index, text) in lines.iter().enumerate().skip(line) {
        if text.trim().is_empty() {
            continue;
        }
        let indent = leading_spaces(text);
        let rest = &text[indent..];
        let another_item = indent == dash_indent && (rest == "-" || rest.starts_with("- "));
        if indent > dash_indent || another_item {
            last_line = index + 1;
        } else {
            break;
        }
    }
    Ok(ListEnd {
        last_line,
        dash_indent,
        key_indent,
    })
}

/// A new list item after the list's last line: `pairs` as `key: value` lines.
fn item_after(end: &ListEnd, pairs: &[(&str, String)]) -> Change {
    let mut insert = Vec::new();
    for (index, (key, value)) in pairs.iter().enumerate() {
        let prefix = if index == 0 {
            let gap = end.key_indent.saturating_sub(end.dash_indent + 1).max(1);
            format!("{}-{}", " ".repeat(end.dash_indent), " ".repeat(gap))
        } else {
            " ".repeat(end.key_indent.max(end.dash_indent + 2))
        };
        insert.push(format!("{prefix}{key}: {value}"));
    }
    Change {
        line: end.last_line,
        insert,
    }
}

/// A YAML double-quoted scalar (JSON's string syntax is valid YAML).
fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

/// The spec type of an observed value, when one fits it.
fn spec_type(value: &serde_json::Value) -> Option<&'static str> {
    match value {
        serde_json::Value::String(_) => Some("string"),
        serde_json::Value::Bool(_) => Some("bool"),
        serde_json::Value::Number(number) if number.is_i64() => Some("int"),
        serde_json::Value::Array(items) if !items.is_empty() => {
            if items.iter().all(|item| item.as_i64().is_some()) {
                Some("list<int>")
            } else if items.iter().all(serde_json::Value::is_string) {
                Some("list<string>")
            } else {
                None
            }
        }
        _ => None,
    }
}

fn seen(entry: &DriftEntry) -> String {
    let times = if entry.count == 1 {
        "once".to_string()
    } else {
        format!("{} times", entry.count)
    };
    let place = if entry.path.is_empty() {
        String::new()
    } else {
        format!(" at {}", entry.path)
    };
    format!("seen {times} in {} replies{place}", entry.endpoint)
}

type Planned = Result<Option<(Change, String)>, String>;

fn new_field(
    lines: &[&str],
    root: &Node,
    entry: &DriftEntry,
    proposed: &mut BTreeSet<(usize, String)>,
) -> Planned {
    let name = entry.field_name();
    if name.is_empty() {
        return Err("the entry names no field".into());
    }
    let fields = fields_of(root, entry)?;
    if item_named(fields, "name", name).is_some() {
        return Err(format!("the spec already has the field `{name}`"));
    }
    let end = list_end(lines, fields)?;
    if !proposed.insert((end.last_line, name.to_string())) {
        return Ok(None);
    }
    let observed = serde_json::from_str::<serde_json::Value>(&entry.value).ok();
    let redacted = observed.as_ref().and_then(serde_json::Value::as_str) == Some("<redacted>");
    let ty = observed.as_ref().and_then(spec_type);
    let mut pairs: Vec<(&str, String)> = vec![("name", name.to_string())];
    if redacted {
        pairs.push(("secret", "true".into()));
    }
    pairs.push(("type", ty.unwrap_or("string").to_string()));
    pairs.push(("description", quoted(name)));
    let example = match (&observed, ty, redacted) {
        (Some(value), Some(_), false) => Some(value.to_string()),
        _ => None,
    };
    if let Some(example) = &example {
        pairs.push(("example", example.clone()));
    }
    let mut note = format!(
        "Not in any source yet: {}; proposed by wecard-codegen drift. Replace the description with the source's words.",
        seen(entry)
    );
    if ty.is_none() && !redacted {
        note.push_str(&format!(
            " The value seen ({}) fits no spec type: check the type.",
            entry.value
        ));
    }
    pairs.push(("note", quoted(&note)));
    let owner = match &entry.record {
        Some(record) => format!("record {record}"),
        None => format!("the reply of {}", entry.endpoint),
    };
    let what = match &example {
        Some(example) => format!(
            "{owner}: new field `{name}` ({}, example {example})",
            ty.unwrap_or("string")
        ),
        None => format!("{owner}: new field `{name}` ({})", ty.unwrap_or("string")),
    };
    Ok(Some((item_after(&end, &pairs), what)))
}

fn new_code(
    lines: &[&str],
    root: &Node,
    entry: &DriftEntry,
    proposed: &mut BTreeSet<(usize, String)>,
) -> Planned {
    let enum_name = entry
        .enum_name
        .as_deref()
        .ok_or_else(|| "the entry names no enum".to_string())?;
    let definition = root
        .get("enums")
        .and_then(|enums| item_named(enums, "name", enum_name))
        .ok_or_else(|| format!("the spec has no enum `{enum_name}`"))?;
    let values = definition
        .get("values")
        .ok_or_else(|| format!("enum `{enum_name}` has no `values` list to add to"))?;
    let code = serde_json::from_str::<serde_json::Value>(&entry.value)
        .map_err(|_| format!("the code `{}` is not readable", entry.value))?;
    let (value, name) = match &code {
        serde_json::Value::Number(number) if number.is_i64() => {
            let n = number.as_i64().unwrap_or_default();
            (n.to_string(), format!("code_{}", n.unsigned_abs()))
        }
        serde_json::Value::String(text) => {
            let snake = heck::AsSnakeCase(text).to_string();
            let name = if snake.starts_with(|c: char| c.is_ascii_lowercase())
                && snake
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                && snake != "unknown"
            {
                snake
            } else {
                format!("code_{}", text.len())
            };
            (quoted(text), name)
        }
        _ => {
            return Err(format!(
                "the code `{}` is neither an int nor a string",
                entry.value
            ));
        }
    };
    let NodeKind::Seq(items) = &values.kind else {
        return Err(format!("enum `{enum_name}`'s `values` is not a list"));
    };
    let listed = items
        .iter()
        .any(|item| match (item.get("value").map(|n| &n.kind), &code) {
            (Some(NodeKind::Int(n)), serde_json::Value::Number(m)) => m.as_i64() == Some(*n),
            (Some(NodeKind::Str(s)), serde_json::Value::String(t)) => s == t,
            _ => false,
        });
    if listed {
        return Err(format!("enum `{enum_name}` already lists {value}"));
    }
    let end = list_end(lines, values)?;
    if !proposed.insert((end.last_line, value.clone())) {
        return Ok(None);
    }
    let note = format!(
        "Not in any source yet: {}; proposed by wecard-codegen drift. Name and describe it in the source's words.",
        seen(entry)
    );
    let pairs = [
        ("value", value.clone()),
        ("name", name),
        ("description", quoted(&value)),
        ("note", quoted(&note)),
    ];
    Ok(Some((
        item_after(&end, &pairs),
        format!("enum {enum_name}: new code {value}"),
    )))
}

fn new_error_code(
    lines: &[&str],
    root: &Node,
    entry: &DriftEntry,
    proposed: &mut BTreeSet<(usize, String)>,
) -> Planned {
    let code: i64 = entry
        .value
        .trim()
        .parse()
        .map_err(|_| format!("the error code `{}` is not an integer", entry.value))?;
    let table = root
        .get("error_codes")
        .ok_or_else(|| "the spec has no `error_codes` list to add to".to_string())?;
    let NodeKind::Seq(items) = &table.kind else {
        return Err("the spec's `error_codes` is not a list".into());
    };
    if items.iter().any(
        |item| matches!(item.get("code").map(|n| &n.kind), Some(NodeKind::Int(n)) if *n == code),
    ) {
        return Err(format!("the error table already lists {code}"));
    }
    let end = list_end(lines, table)?;
    if !proposed.insert((end.last_line, code.to_string())) {
        return Ok(None);
    }
    let note = format!(
        "Not in any source yet: {}; proposed by wecard-codegen drift. Name and describe it in the source's words; the handling is a guess.",
        seen(entry)
    );
    let pairs = [
        ("code", code.to_string()),
        ("name", format!("error_{}", code.unsigned_abs())),
        ("description", quoted(&code.to_string())),
        ("handling", "request".to_string()),
        ("note", quoted(&note)),
    ];
    Ok(Some((
        item_after(&end, &pairs),
        format!("error_codes: new code {code} (handling: request, a guess)"),
    )))
}

fn not_required(
    lines: &[&str],
    root: &Node,
    entry: &DriftEntry,
    proposed: &mut BTreeSet<(usize, String)>,
) -> Planned {
    let name = entry.field_name();
    let fields = fields_of(root, entry)?;
    let field = item_named(fields, "name", name).ok_or_else(|| {
        format!("the spec has no field `{name}` there (an envelope field?): nothing to relax")
    })?;
    let NodeKind::Map(pairs) = &field.kind else {
        return Err(format!("field `{name}` is not a mapping"));
    };
    let required = pairs
        .iter()
        .find(|(key, _)| matches!(&key.kind, NodeKind::Str(text) if text == "required"));
    let Some((key, value)) = required else {
        return Err(format!("field `{name}` is not marked required"));
    };
    if value.kind != NodeKind::Bool(true) {
        return Err(format!("field `{name}` is not marked required"));
    }
    let line = key.span.line as usize;
    let text = lines.get(line.wrapping_sub(1)).copied().unwrap_or_default();
    let bare = text.split('#').next().unwrap_or_default().trim();
    if bare != "required: true" {
        return Err(format!(
            "line {line} holds more than `required: true`: edit it by hand"
        ));
    }
    if !proposed.insert((line, String::new())) {
        return Ok(None);
    }
    let owner = match &entry.record {
        Some(record) => format!("record {record}"),
        None => format!("the reply of {}", entry.endpoint),
    };
    Ok(Some((
        Change {
            line,
            insert: Vec::new(),
        },
        format!(
            "{owner}: field `{name}` no longer required ({})",
            seen(entry)
        ),
    )))
}

/// `text` with `changes` made: insertions after their line, in the order planned; deletions.
fn apply(text: &str, mut changes: Vec<Change>) -> String {
    changes.sort_by_key(|change| change.line);
    let mut out = String::with_capacity(text.len() + 64 * changes.len());
    let mut pending = changes.iter().peekable();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for (index, line) in lines.iter().enumerate() {
        let number = index + 1;
        let deleted = changes
            .iter()
            .any(|change| change.line == number && change.insert.is_empty());
        if !deleted {
            out.push_str(line);
        }
        while let Some(change) = pending.next_if(|change| change.line <= number) {
            if !out.ends_with('\n') && !out.is_empty() {
                out.push('\n');
            }
            for inserted in &change.insert {
                out.push_str(inserted);
                out.push('\n');
            }
        }
    }
    out
}
