//! A report for people (diagnostics in the `check` style, grouped, with a summary) and for
//! tools (one JSON object per change).

use std::collections::HashMap;

use annotate_snippets::{AnnotationKind, Group as Block, Level, Renderer, Snippet};

use crate::source::{SourceFile, Span};

use super::{Change, Group, Kind, Report, Semver};

/// How a report is judged and shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// ANSI colours.
    pub color: bool,
    /// Breaking changes are accepted: shown as warnings, not errors.
    pub allow_breaking: bool,
    /// Changelog-discipline findings are errors, not warnings.
    pub strict: bool,
}

/// How serious one entry of the report is, under the options.
fn severity(change: &Change, options: &RenderOptions) -> &'static str {
    if change.kind.is_discipline() {
        if options.strict { "error" } else { "warning" }
    } else if change.is_breaking() {
        if options.allow_breaking {
            "warning"
        } else {
            "error"
        }
    } else {
        "note"
    }
}

impl Report {
    /// Whether the report fails under `options`: a breaking change not allowed, or a discipline
    /// finding under `strict`.
    pub fn fails(&self, options: &RenderOptions) -> bool {
        self.changes.iter().any(|c| severity(c, options) == "error")
    }

    /// The report for a person: each group's changes as diagnostics, then a summary.
    pub fn render(&self, options: &RenderOptions) -> String {
        let mut out = String::new();
        // Changes by group, groups in order of appearance.
        let mut order: Vec<&Group> = Vec::new();
        let mut by_group: HashMap<&Group, Vec<&Change>> = HashMap::new();
        for change in &self.changes {
            let members = by_group.entry(&change.group).or_default();
            if members.is_empty() {
                order.push(&change.group);
            }
            members.push(change);
        }
        for group in order {
            out.push_str(&format!("── {group} ──\n\n"));
            for change in by_group.get(group).into_iter().flatten() {
                out.push_str(&self.render_one(change, options));
                out.push('\n');
            }
        }
        out.push_str(&self.summary_line(options));
        out
    }

    fn render_one(&self, change: &Change, options: &RenderOptions) -> String {
        let severity = severity(change, options);
        let (file, span) = match (change.new, change.old) {
            (Some(span), _) => (&self.new, Some(span)),
            (None, Some(span)) => (&self.old, Some(span)),
            (None, None) => (&self.new, None),
        };
        let location = match span {
            Some(span) => format!("{}:{}:{}", file.path().display(), span.line, span.column),
            None => file.path().display().to_string(),
        };
        let mut out = format!("{location}: {severity}: {}\n", change.message);
        let level = match severity {
            "error" => Level::ERROR,
            "warning" => Level::WARNING,
            _ => Level::NOTE,
        };
        let mut block = Block::with_level(level);
        let (primary, secondary) = labels(change.kind, change.new.is_some());
        let primary = if change.new.is_none() && !change.kind.is_discipline() {
            if matches!(primary, "now" | "added") {
                "before"
            } else {
                primary
            }
        } else {
            primary
        };
        if let Some(snippet) = snippet(file, span, primary, true) {
            block = block.element(snippet);
        }
        if let Some(snippet) = change
            .new
            .and(snippet(&self.old, change.old, secondary, false))
        {
            block = block.element(snippet);
        }
        let axes = [
            (
                "wire",
                Some(match &change.wire_why {
                    Some(why) => format!("{}: {why}", change.wire.as_str().replace('-', " ")),
                    None => change.wire.as_str().replace('-', " "),
                }),
            ),
            (
                "rust",
                (!change.kind.is_discipline()).then(|| match &change.rust_why {
                    Some(why) => format!("{}: {why}", change.semver.as_str()),
                    None => change.semver.as_str().to_string(),
                }),
            ),
            ("docs", change.docs_only.then(|| "only".to_string())),
        ];
        if !change.kind.is_discipline() {
            for (name, text) in axes {
                if let Some(text) = text {
                    block = block.element(Level::NOTE.with_name(name).message(text));
                }
            }
        }
        if let Some(help) = &change.help {
            block = block.element(Level::HELP.message(help.as_str()));
        }
        let renderer = if options.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        out.push_str(&renderer.render(&[block]));
        out.push('\n');
        out
    }

    /// The closing lines: counts and the proposed version bump.
    pub fn summary_line(&self, options: &RenderOptions) -> String {
        let changes: Vec<&Change> = self
            .changes
            .iter()
            .filter(|c| !c.kind.is_discipline())
            .collect();
        if changes.is_empty() && self.discipline().next().is_none() {
            return "no changes\n".into();
        }
        let count = |semver: Semver| changes.iter().filter(|c| c.semver == semver).count();
        let wire = changes.iter().filter(|c| c.wire.is_breaking()).count();
        let docs = changes.iter().filter(|c| c.docs_only).count();
        let findings = self.discipline().count();
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let mut out = format!(
            "{} change{}: {wire} breaking on the wire; {} major, {} minor, {} patch ({docs} docs only); {findings} changelog finding{}\n",
            changes.len(),
            plural(changes.len()),
            count(Semver::Major),
            count(Semver::Minor),
            count(Semver::Patch),
            plural(findings),
        );
        let bump = self.bump();
        out.push_str(&format!(
            "proposed version bump for a crate that re-exports the generated module: {}{}\n",
            bump.as_str(),
            if bump == Semver::Major {
                " (for a 0.x crate: the minor number)"
            } else {
                ""
            }
        ));
        if self.fails(options) {
            let reason = if self.is_breaking() && !options.allow_breaking {
                "breaking changes found (pass --allow-breaking to accept them)"
            } else {
                "changelog findings are errors under --strict"
            };
            out.push_str(&format!("error: {reason}\n"));
        }
        out
    }

    /// One JSON object per change: `kind`, `group`, `message`, `wire`, `semver`, `docs_only`,
    /// `severity`, `old` and `new` locations (`path`, `line`, `column`, or `null`), `help`.
    pub fn to_json(&self, options: &RenderOptions) -> Vec<serde_json::Value> {
        let place = |file: &SourceFile, span: Option<Span>| match span {
            Some(span) => serde_json::json!({
                "path": file.path().display().to_string(),
                "line": span.line,
                "column": span.column,
            }),
            None => serde_json::Value::Null,
        };
        self.changes
            .iter()
            .map(|c| {
                serde_json::json!({
                    "kind": c.kind.as_str(),
                    "group": c.group.to_string(),
                    "message": c.message,
                    "wire": c.wire.as_str(),
                    "wire_reason": c.wire_why,
                    "semver": c.semver.as_str(),
                    "semver_reason": c.rust_why,
                    "docs_only": c.docs_only,
                    "severity": severity(c, options),
                    "old": place(&self.old, c.old),
                    "new": place(&self.new, c.new),
                    "help": c.help,
                })
            })
            .collect()
    }

    /// The closing JSON object: counts, the proposed bump and whether the report fails.
    pub fn summary_json(&self, options: &RenderOptions) -> serde_json::Value {
        let changes = || self.changes.iter().filter(|c| !c.kind.is_discipline());
        serde_json::json!({
            "kind": "summary",
            "changes": changes().count(),
            "wire_breaking": changes().filter(|c| c.wire.is_breaking()).count(),
            "major": changes().filter(|c| c.semver == Semver::Major).count(),
            "minor": changes().filter(|c| c.semver == Semver::Minor).count(),
            "patch": changes().filter(|c| c.semver == Semver::Patch).count(),
            "docs_only": changes().filter(|c| c.docs_only).count(),
            "changelog_findings": self.discipline().count(),
            "bump": self.bump().as_str(),
            "fails": self.fails(options),
        })
    }
}

/// The labels beside the carets: in the primary place, and in the old file as a second place.
fn labels(kind: Kind, primary_in_new: bool) -> (&'static str, &'static str) {
    use Kind::*;
    let added = matches!(
        kind,
        EndpointAdded
            | FieldAdded
            | RecordAdded
            | EnumAdded
            | EnumValueAdded
            | ErrorCodeAdded
            | ChangelogAdded
    );
    let removed = matches!(
        kind,
        EndpointRemoved
            | FieldRemoved
            | RecordRemoved
            | EnumRemoved
            | EnumValueRemoved
            | ErrorCodeRemoved
            | ChangelogRemoved
    );
    match kind {
        ChangelogMissing => ("changed here", "before"),
        SinceMissing => ("no `since`", "before"),
        _ if added => ("added", "absent here"),
        _ if removed || !primary_in_new => ("removed", "before"),
        _ => ("now", "before"),
    }
}

/// One source line with an annotation; a secondary snippet names its own file.
fn snippet<'a>(
    file: &'a SourceFile,
    span: Option<Span>,
    label: &'a str,
    primary: bool,
) -> Option<Snippet<'a, annotate_snippets::Annotation<'a>>> {
    let span = span?;
    let line = file.line_text(span.line)?;
    let start = line
        .char_indices()
        .nth(span.column.saturating_sub(1) as usize)
        .map_or(line.len(), |(at, _)| at);
    let mut end = (start + span.len as usize).min(line.len()).max(start);
    while !line.is_char_boundary(end) {
        end += 1;
    }
    let kind = if primary {
        AnnotationKind::Primary
    } else {
        AnnotationKind::Context
    };
    let mut snippet = Snippet::source(line)
        .line_start(span.line as usize)
        .annotation(kind.span(start..end).label(label));
    if !primary {
        snippet = snippet.path(file.path().display().to_string());
    }
    Some(snippet)
}
