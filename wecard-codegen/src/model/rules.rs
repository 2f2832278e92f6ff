//! Validation rules and named formats, resolved.

use crate::spec::Scalar;

pub use wecard_runtime::Format;

use wecard_runtime::Requirement;

/// Which validation level a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Checked by every `validate()`.
    Default,
    /// Checked only by strict validation (data-quality rules).
    Strict,
}

/// What a rule checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleKind {
    /// String length in characters, inclusive bounds.
    Length {
        /// Fewest characters.
        min: Option<i64>,
        /// Most characters.
        max: Option<i64>,
    },
    /// Integer value, inclusive bounds.
    Range {
        /// Smallest value.
        min: Option<i64>,
        /// Largest value.
        max: Option<i64>,
    },
    /// Number of list items, inclusive bounds.
    Items {
        /// Fewest items.
        min: Option<i64>,
        /// Most items.
        max: Option<i64>,
    },
    /// A regular expression the whole string must match.
    Pattern(String),
    /// A named format.
    Format(Format),
    /// One of a fixed set of values (wire codes for enums).
    OneOf(Vec<Scalar>),
}

impl RuleKind {
    /// What the rule asks, in English and Chinese, in the runtime's words (the same as its
    /// validation messages), each literal written by `literal`: `("be at most 32 characters
    /// long", "长度须不超过32个字符")`.
    pub fn words(&self, literal: &dyn Fn(&str) -> String) -> (String, String) {
        let both = |requirement: Requirement<'_>| {
            (requirement.en_with(literal), requirement.zh_with(literal))
        };
        match self {
            RuleKind::Length { min, max } => both(Requirement::Length {
                min: *min,
                max: *max,
            }),
            RuleKind::Range { min, max } => both(Requirement::Range {
                min: *min,
                max: *max,
            }),
            RuleKind::Items { min, max } => both(Requirement::Items {
                min: *min,
                max: *max,
            }),
            RuleKind::Pattern(pattern) => both(Requirement::Pattern(pattern)),
            RuleKind::Format(format) => both(Requirement::Format(*format)),
            RuleKind::OneOf(values) => {
                let texts: Vec<String> = values
                    .iter()
                    .map(|value| match value {
                        Scalar::Int(n) => n.to_string(),
                        Scalar::String(s) => s.clone(),
                    })
                    .collect();
                let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
                both(Requirement::OneOf(&texts))
            }
        }
    }

    /// A stable code for the rule, used in validation errors (`length`, `format`).
    pub fn code(&self) -> &'static str {
        match self {
            RuleKind::Length { .. } => "length",
            RuleKind::Range { .. } => "range",
            RuleKind::Items { .. } => "items",
            RuleKind::Pattern(_) => "pattern",
            RuleKind::Format(_) => "format",
            RuleKind::OneOf(_) => "one_of",
        }
    }
}

/// "Only when sibling field `field` equals `equals`."
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub(crate) field: String,
    pub(crate) equals: Scalar,
}

impl Condition {
    /// Wire name of the sibling field.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The value (wire code) it must have.
    pub fn equals(&self) -> &Scalar {
        &self.equals
    }
}

/// One validation rule of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub(crate) kind: RuleKind,
    /// The compiled form of a [`RuleKind::Pattern`] (compiled once, when the spec was read).
    pub(crate) compiled: Option<std::sync::Arc<crate::pattern::CompiledPattern>>,
    pub(crate) level: Level,
    pub(crate) when: Option<Condition>,
    pub(crate) note: Option<String>,
}

impl Rule {
    /// What it checks.
    pub fn kind(&self) -> &RuleKind {
        &self.kind
    }

    /// The tables of a pattern rule: present for every [`RuleKind::Pattern`] (a pattern that does
    /// not compile is a `check` error, so no model holds one), absent for other rules.
    pub fn compiled_pattern(&self) -> Option<&crate::pattern::CompiledPattern> {
        self.compiled.as_deref()
    }

    /// Default or strict.
    pub fn level(&self) -> Level {
        self.level
    }

    /// The condition under which it applies, if any.
    pub fn when(&self) -> Option<&Condition> {
        self.when.as_ref()
    }

    /// Why the rule exists.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}
