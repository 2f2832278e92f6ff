//! Problems found in a spec, each with a place, a message and (where one exists) a way to fix it.
//!
//! Every stage (reading, parsing, decoding, checking) pushes into one [`Ctxt`] and keeps going, so
//! the user sees all problems at once. Rendering follows the compiler convention
//! `PATH:LINE:COL: error: MESSAGE`, then the source line with a caret, then `help:`.

use std::fmt;
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use crate::source::{SourceFile, Span};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The spec cannot be used.
    Error,
    /// The spec can be used, but something in it is probably a mistake.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! diagnostic_codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)*) => {
        /// A stable identifier for each kind of problem, for tools and tests.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// The code as written in JSON output (`unknown-key`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }
        }
    };
}

diagnostic_codes! {
    /// The file could not be read.
    Io = "io",
    /// The file is larger than a spec can reasonably be.
    TooLarge = "too-large",
    /// The file is not UTF-8.
    NotUtf8 = "not-utf8",
    /// The file holds no document.
    Empty = "empty",
    /// The YAML itself is malformed (or too deep, or an alias bomb).
    Yaml = "yaml",
    /// A key that the format does not know.
    UnknownKey = "unknown-key",
    /// A key that must be present is absent.
    MissingKey = "missing-key",
    /// A value of the wrong YAML type.
    WrongType = "wrong-type",
    /// A value outside a fixed set of words.
    UnknownKeyword = "unknown-keyword",
    /// A value that is well-typed but not acceptable.
    InvalidValue = "invalid-value",
    /// Two things share a name, a path, a code or a value.
    Duplicate = "duplicate",
    /// A type name that names nothing.
    UndefinedType = "undefined-type",
    /// A field name that names no sibling field.
    UndefinedField = "undefined-field",
    /// Two names that become the same Rust identifier.
    NameCollision = "name-collision",
    /// A wire name that cannot be a JSON key the API uses.
    InvalidWireName = "invalid-wire-name",
    /// A name that cannot become a Rust identifier.
    InvalidName = "invalid-name",
    /// An example that breaks its own field's type or rules.
    BadExample = "bad-example",
    /// A regular expression that does not compile.
    InvalidPattern = "invalid-pattern",
    /// Rules that no value can satisfy (`min` > `max`).
    ContradictoryRules = "contradictory-rules",
    /// A rule that does not apply to the field's type.
    RuleTypeMismatch = "rule-type-mismatch",
    /// A required field that also has a default.
    RequiredWithDefault = "required-with-default",
    /// A format name the generator does not implement.
    UnknownFormat = "unknown-format",
}

/// A secondary message, optionally pointing at another place ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Where the note points, if anywhere.
    pub span: Option<Span>,
    /// What it says.
    pub message: String,
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    file: Arc<SourceFile>,
    severity: Severity,
    code: Code,
    message: String,
    span: Option<Span>,
    label: Option<String>,
    help: Option<String>,
    notes: Vec<Note>,
}

impl Diagnostic {
    /// A new error about `file`, not yet placed.
    pub fn error(file: &Arc<SourceFile>, code: Code, message: impl Into<String>) -> Self {
        Self {
            file: Arc::clone(file),
            severity: Severity::Error,
            code,
            message: message.into(),
            span: None,
            label: None,
            help: None,
            notes: Vec::new(),
        }
    }

    /// Places the diagnostic.
    #[must_use]
    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    /// Sets the short text shown beside the caret.
    #[must_use]
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Sets how to fix it.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a note pointing at another place in the same file.
    #[must_use]
    pub fn note_at(mut self, span: Span, message: impl Into<String>) -> Self {
        self.notes.push(Note {
            span: Some(span),
            message: message.into(),
        });
        self
    }

    /// The file the problem is in.
    pub fn file(&self) -> &SourceFile {
        &self.file
    }

    /// Error or warning.
    pub fn severity(&self) -> Severity {
        self.severity
    }

    /// The stable kind of problem.
    pub fn code(&self) -> Code {
        self.code
    }

    /// What is wrong.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where, if the problem has a place.
    pub fn span(&self) -> Option<Span> {
        self.span
    }

    /// How to fix it, where there is advice.
    pub fn help_text(&self) -> Option<&str> {
        self.help.as_deref()
    }

    /// Secondary messages.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// `PATH:LINE:COL` (or just `PATH` when the problem has no place).
    pub fn location(&self) -> String {
        let path = self.file.path().display();
        match self.span {
            Some(span) => format!("{path}:{}:{}", span.line, span.column),
            None => path.to_string(),
        }
    }

    /// Renders the diagnostic for a person; `color` adds ANSI styling.
    pub fn render(&self, color: bool) -> String {
        let mut out = format!(
            "{}: {}: {}\n",
            self.location(),
            self.severity.as_str(),
            self.message
        );
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut group = Group::with_level(level.clone());
        let mut has_elements = false;
        if let Some(snippet) = self.snippet(self.span, self.label.as_deref(), true) {
            group = group.element(snippet);
            has_elements = true;
        }
        for note in &self.notes {
            match self.snippet(note.span, Some(&note.message), false) {
                Some(snippet) => group = group.element(snippet),
                None => group = group.element(Level::NOTE.message(note.message.as_str())),
            }
            has_elements = true;
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
            has_elements = true;
        }
        if has_elements {
            let renderer = if color {
                Renderer::styled()
            } else {
                Renderer::plain()
            };
            out.push_str(&renderer.render(&[group]));
            out.push('\n');
        }
        out
    }

    /// One source line with an annotation under `span`.
    fn snippet<'a>(
        &'a self,
        span: Option<Span>,
        label: Option<&'a str>,
        primary: bool,
    ) -> Option<Snippet<'a, annotate_snippets::Annotation<'a>>> {
        let span = span?;
        let line = self.file.line_text(span.line)?;
        let start = line
            .char_indices()
            .nth(span.column.saturating_sub(1) as usize)
            .map_or(line.len(), |(at, _)| at);
        // Spans are byte lengths computed by several producers; never cut a character.
        let mut end = (start + span.len as usize).min(line.len()).max(start);
        while !line.is_char_boundary(end) {
            end += 1;
        }
        let kind = if primary {
            AnnotationKind::Primary
        } else {
            AnnotationKind::Context
        };
        let mut annotation = kind.span(start..end);
        if let Some(label) = label {
            annotation = annotation.label(label);
        }
        let mut snippet = Snippet::source(line)
            .line_start(span.line as usize)
            .annotation(annotation);
        // The primary place is named by the header line; a note elsewhere names its own place
        // (`::: path:line:col`).
        if !primary {
            snippet = snippet.path(self.file.path().display().to_string());
        }
        Some(snippet)
    }

    /// The diagnostic as one JSON object: path, line, column, severity, code, message, help, notes.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "path": self.file.path().display().to_string(),
            "line": self.span.map(|span| span.line),
            "column": self.span.map(|span| span.column),
            "severity": self.severity.as_str(),
            "code": self.code.as_str(),
            "message": self.message,
            "help": self.help,
            "notes": self.notes.iter().map(|note| serde_json::json!({
                "line": note.span.map(|span| span.line),
                "column": note.span.map(|span| span.column),
                "message": note.message,
            })).collect::<Vec<_>>(),
        })
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// Every problem found in one or more spec files, in the order they were found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    /// The diagnostics, in file order.
    pub fn iter(&self) -> std::slice::Iter<'_, Diagnostic> {
        self.0.iter()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether any of them is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    /// Renders them all, followed by a count line.
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for diagnostic in &self.0 {
            out.push_str(&diagnostic.render(color));
            out.push('\n');
        }
        let errors = self
            .0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count();
        let plural = if errors == 1 { "" } else { "s" };
        out.push_str(&format!("{errors} error{plural} found\n"));
        out
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(mut diagnostics: Vec<Diagnostic>) -> Self {
        // Stable order: by place in the file; the sort is stable, so same-place problems keep
        // the order they were found in.
        diagnostics.sort_by_key(|d| (d.span.is_some(), d.span.map(|s| (s.line, s.column))));
        Self(diagnostics)
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a Diagnostic;
    type IntoIter = std::slice::Iter<'a, Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

impl std::error::Error for Diagnostics {}

/// Collects diagnostics for one file, so every stage can report and carry on.
#[derive(Debug)]
pub(crate) struct Ctxt {
    file: Arc<SourceFile>,
    diagnostics: Vec<Diagnostic>,
}

impl Ctxt {
    pub(crate) fn new(file: Arc<SourceFile>) -> Self {
        Self {
            file,
            diagnostics: Vec::new(),
        }
    }

    pub(crate) fn file(&self) -> &Arc<SourceFile> {
        &self.file
    }

    /// Starts an error at `span`; push it with [`Ctxt::push`].
    pub(crate) fn error(&self, code: Code, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic::error(&self.file, code, message).at(span)
    }

    pub(crate) fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    pub(crate) fn into_diagnostics(self) -> Diagnostics {
        Diagnostics::from(self.diagnostics)
    }
}

/// `what` with its indefinite article: `an api section`, `a rule`, `an HTTP method`,
/// `an \`int\` field`, `a \`one_of\` rule`.
pub(crate) fn a(what: &str) -> String {
    format!("{} {what}", article(what))
}

/// `a` or `an`, by how `word` sounds (backticks are skipped).
fn article(word: &str) -> &'static str {
    let word = word.trim_start_matches(['`', '"', '\'', '(']);
    let first: String = word
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let Some(initial) = first.chars().next() else {
        return "a";
    };
    // An acronym is read letter by letter: an HTTP method, a URL.
    let acronym = first.len() > 1 && first.chars().all(|c| c.is_ascii_uppercase());
    if acronym {
        return if "AEFHILMNORSX".contains(initial) {
            "an"
        } else {
            "a"
        };
    }
    let lower = first.to_ascii_lowercase();
    let consonant_sound = ["one", "once", "uni", "use", "usu", "uti", "ure", "eu"];
    let vowel_sound = ["hour", "honest", "honor", "honour"];
    if vowel_sound.iter().any(|p| lower.starts_with(p)) {
        "an"
    } else if consonant_sound.iter().any(|p| lower.starts_with(p)) {
        "a"
    } else if lower.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// `Some(" (did you mean `x`?)")`-style advice: the closest candidate to `word`, if close enough.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|candidate| (strsim::jaro_winkler(word, candidate), candidate))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_source_caret_and_help() {
        let file = SourceFile::new("spec.yaml", "a:\n  requird: true\n");
        let span = SourceFile::span(2, 3, "requird".len());
        let diagnostic = Diagnostic::error(&file, Code::UnknownKey, "unknown key `requird`")
            .at(span)
            .label("not a field key")
            .help("did you mean `required`?");
        let text = diagnostic.render(false);
        assert!(
            text.starts_with("spec.yaml:2:3: error: unknown key `requird`\n"),
            "{text}"
        );
        assert!(text.contains("2 |   requird: true"), "{text}");
        assert!(text.contains("^^^^^^^ not a field key"), "{text}");
        assert!(text.contains("help: did you mean `required`?"), "{text}");
    }

    #[test]
    fn notes_name_their_place() {
        let file = SourceFile::new("spec.yaml", "a: 1\nb: 1\n");
        let diagnostic = Diagnostic::error(&file, Code::Duplicate, "twice")
            .at(SourceFile::span(2, 1, 1))
            .note_at(SourceFile::span(1, 1, 1), "first here");
        let text = diagnostic.render(false);
        assert!(text.contains("::: spec.yaml:1:1"), "{text}");
        assert!(!text.contains(" \n"), "no trailing spaces:\n{text}");
    }

    #[test]
    fn articles_follow_the_sound() {
        assert_eq!(a("api section"), "an api section");
        assert_eq!(a("error handling"), "an error handling");
        assert_eq!(a("HTTP method"), "an HTTP method");
        assert_eq!(a("enum representation"), "an enum representation");
        assert_eq!(a("`items` rule"), "an `items` rule");
        assert_eq!(a("`int` field"), "an `int` field");
        assert_eq!(a("`one_of` rule"), "a `one_of` rule");
        assert_eq!(a("`string` field"), "a `string` field");
        assert_eq!(a("URL"), "a URL");
        assert_eq!(a("rule"), "a rule");
        assert_eq!(a("`UserStatus` code"), "a `UserStatus` code");
    }

    #[test]
    fn suggests_only_close_words() {
        assert_eq!(
            did_you_mean("requird", ["required", "name"]),
            Some("required")
        );
        assert_eq!(did_you_mean("zzz", ["required", "name"]), None);
    }
}
