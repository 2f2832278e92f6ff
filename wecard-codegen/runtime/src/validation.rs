//! Validation results: which rule a value broke, with its parameters, in both languages.

use std::fmt;

use super::rules::{Format, Requirement};

/// Which rules a validation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum ValidationLevel {
    /// The API's own rules: what the server would reject.
    #[default]
    Default,
    /// The API's rules plus data-quality checks (phone format, ID-card checksum, country codes).
    Strict,
}

/// The parameters of the rule a value broke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleParams {
    /// A required value is missing or empty.
    Required,
    /// A string's length in characters is out of bounds.
    Length {
        /// Fewest characters allowed.
        min: Option<i64>,
        /// Most characters allowed.
        max: Option<i64>,
        /// The value's length.
        actual: usize,
    },
    /// An integer is out of bounds.
    Range {
        /// Smallest value allowed.
        min: Option<i64>,
        /// Largest value allowed.
        max: Option<i64>,
        /// The value.
        actual: i64,
    },
    /// A list has too few or too many items.
    Items {
        /// Fewest items allowed.
        min: Option<i64>,
        /// Most items allowed.
        max: Option<i64>,
        /// The list's length.
        actual: usize,
    },
    /// A string does not match a pattern.
    Pattern {
        /// The pattern.
        pattern: &'static str,
    },
    /// A string is not in a named format.
    Format {
        /// The format.
        format: Format,
    },
    /// A value is not one of the allowed ones.
    OneOf {
        /// The allowed values, as written on the wire.
        allowed: &'static [&'static str],
    },
}

impl RuleParams {
    /// The requirement that was broken.
    pub fn requirement(&self) -> Requirement<'static> {
        match *self {
            RuleParams::Required => Requirement::Required,
            RuleParams::Length { min, max, .. } => Requirement::Length { min, max },
            RuleParams::Range { min, max, .. } => Requirement::Range { min, max },
            RuleParams::Items { min, max, .. } => Requirement::Items { min, max },
            RuleParams::Pattern { pattern } => Requirement::Pattern(pattern),
            RuleParams::Format { format } => Requirement::Format(format),
            RuleParams::OneOf { allowed } => Requirement::OneOf(allowed),
        }
    }

    /// What the value was, when the rule counts something.
    fn actual(&self) -> Option<String> {
        match self {
            RuleParams::Length { actual, .. } | RuleParams::Items { actual, .. } => {
                Some(actual.to_string())
            }
            RuleParams::Range { actual, .. } => Some(actual.to_string()),
            _ => None,
        }
    }
}

/// One way a request breaks the API's rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// The field's wire name (`card_number`).
    pub field: &'static str,
    /// The position within a list field, when an item broke the rule.
    pub index: Option<usize>,
    /// A stable code for the rule (`required`, `length`, `range`, `items`, `pattern`, `format`,
    /// `one_of`).
    pub rule: &'static str,
    /// Whether the rule is a strict (data-quality) one.
    pub level: ValidationLevel,
    /// The rule's parameters.
    pub params: RuleParams,
}

impl ValidationError {
    /// What is wrong, in Chinese.
    pub fn message_zh(&self) -> String {
        let requirement = self.params.requirement().zh();
        match self.params.actual() {
            Some(actual) => format!("{requirement},实际为{actual}"),
            None => requirement,
        }
    }

    /// What is wrong, in English.
    pub fn message_en(&self) -> String {
        let requirement = self.params.requirement().en();
        match self.params.actual() {
            Some(actual) => format!("must {requirement}, not {actual}"),
            None => format!("must {requirement}"),
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.field)?;
        if let Some(index) = self.index {
            write!(f, "[{index}]")?;
        }
        write!(f, ": {} ({})", self.message_en(), self.message_zh())
    }
}
/// Every way a request breaks the API's rules, in field order. Empty (and unallocated) when the
/// request is valid.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationErrors {
    errors: Vec<ValidationError>,
}

impl ValidationErrors {
    /// No errors yet.
    pub const fn new() -> Self {
        Self { errors: Vec::new() }
    }

    /// Records one more error.
    pub fn push(&mut self, error: ValidationError) {
        self.errors.push(error);
    }

    /// Records that `field` (item `index` of it, for a list) broke the rule `params` describes.
    pub fn add(
        &mut self,
        field: &'static str,
        index: Option<usize>,
        level: ValidationLevel,
        params: RuleParams,
    ) {
        let rule = params.requirement().code();
        self.errors.push(ValidationError {
            field,
            index,
            rule,
            level,
            params,
        });
    }

    /// Records that the required `field` is missing or blank.
    pub fn required(&mut self, field: &'static str) {
        self.add(field, None, ValidationLevel::Default, RuleParams::Required);
    }

    /// The errors, in field order.
    pub fn errors(&self) -> &[ValidationError] {
        &self.errors
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// `Ok` when there are none.
    pub fn into_result(self) -> Result<(), Self> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (at, error) in self.errors.iter().enumerate() {
            if at > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}

impl IntoIterator for ValidationErrors {
    type Item = ValidationError;
    type IntoIter = std::vec::IntoIter<ValidationError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}

/// Requests that check the API's rules before they are sent. Generated request types implement
/// it, and also have `validate()` and `validate_with()` of their own, so no import is needed.
pub trait Validate {
    /// Adds every violation at `level` to `errors` (allocating nothing when there is none).
    fn validate_into(&self, level: ValidationLevel, errors: &mut ValidationErrors);

    /// Checks the API's rules at `level`, reporting every violation at once.
    ///
    /// # Errors
    ///
    /// Every broken rule, in field order.
    fn validate_with(&self, level: ValidationLevel) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        self.validate_into(level, &mut errors);
        errors.into_result()
    }
}
