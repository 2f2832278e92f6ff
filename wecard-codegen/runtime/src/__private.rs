//! Helpers that generated code calls and users never need: serde adapters for "lenient in,
//! exact out", and the automaton walk behind `pattern:` rules. Hidden from the docs; not a
//! stable API.

use std::fmt;

/// Integers and integer-coded enums: what the wire helpers convert.
pub trait IntCode: Sized {
    /// The wire code.
    fn to_code(&self) -> i64;
    /// The value for a wire code.
    fn from_code(code: i64) -> Self;
}

impl IntCode for i64 {
    fn to_code(&self) -> i64 {
        *self
    }

    fn from_code(code: i64) -> Self {
        code
    }
}

/// Values that may arrive either as a number or as a string.
pub trait Lenient: Sized {
    /// From a JSON number.
    fn from_i64(value: i64) -> Option<Self>;
    /// From a JSON string.
    fn from_text(text: &str) -> Option<Self>;
    /// What was expected, for error messages.
    const EXPECTING: &'static str;
}

impl<T: IntCode> Lenient for T {
    fn from_i64(value: i64) -> Option<Self> {
        Some(T::from_code(value))
    }

    fn from_text(text: &str) -> Option<Self> {
        text.trim().parse().ok().map(T::from_code)
    }

    const EXPECTING: &'static str = "an integer, or a string holding one";
}

/// A string that may arrive as a number (`2016` for `"2016"`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LenientString(pub String);

impl Lenient for LenientString {
    fn from_i64(value: i64) -> Option<Self> {
        Some(Self(value.to_string()))
    }

    fn from_text(text: &str) -> Option<Self> {
        Some(Self(text.to_string()))
    }

    const EXPECTING: &'static str = "a string, or a number standing for one";
}

/// Reads a [`Lenient`] value from either JSON form.
struct LenientValue<T>(T);

impl<'de, T: Lenient> serde::Deserialize<'de> for LenientValue<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit<T>(std::marker::PhantomData<T>);
        impl<T: Lenient> serde::de::Visitor<'_> for Visit<T> {
            type Value = T;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(T::EXPECTING)
            }

            fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<T, E> {
                T::from_i64(value)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Signed(value), &self))
            }

            fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<T, E> {
                i64::try_from(value)
                    .ok()
                    .and_then(T::from_i64)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Unsigned(value), &self))
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<T, E> {
                T::from_text(text)
                    .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(text), &self))
            }
        }
        deserializer
            .deserialize_any(Visit(std::marker::PhantomData))
            .map(LenientValue)
    }
}

/// Converts between the field's Rust type and the [`Lenient`] type read from the wire.
pub trait FromLenient<L> {
    /// The field value.
    fn from_lenient(value: L) -> Self;
}

impl<T: IntCode> FromLenient<T> for T {
    fn from_lenient(value: T) -> Self {
        value
    }
}

impl FromLenient<LenientString> for String {
    fn from_lenient(value: LenientString) -> Self {
        value.0
    }
}

/// `deserialize_with` helpers that accept a number or a numeric string, by field shape.
pub mod lenient {
    use super::{FromLenient, Lenient, LenientValue};

    /// A required value.
    pub fn one<'de, D, L, T>(deserializer: D) -> Result<T, D::Error>
    where
        D: serde::Deserializer<'de>,
        L: Lenient,
        T: FromLenient<L>,
    {
        let LenientValue(value) = serde::Deserialize::deserialize(deserializer)?;
        Ok(T::from_lenient(value))
    }

    /// An optional value (`null` reads as absent).
    pub fn option<'de, D, L, T>(deserializer: D) -> Result<Option<T>, D::Error>
    where
        D: serde::Deserializer<'de>,
        L: Lenient,
        T: FromLenient<L>,
    {
        let value: Option<LenientValue<L>> = serde::Deserialize::deserialize(deserializer)?;
        Ok(value.map(|LenientValue(value)| T::from_lenient(value)))
    }

    /// A required list.
    pub fn list<'de, D, L, T>(deserializer: D) -> Result<Vec<T>, D::Error>
    where
        D: serde::Deserializer<'de>,
        L: Lenient,
        T: FromLenient<L>,
    {
        let items: Vec<LenientValue<L>> = serde::Deserialize::deserialize(deserializer)?;
        Ok(items
            .into_iter()
            .map(|LenientValue(item)| T::from_lenient(item))
            .collect())
    }

    /// An optional list.
    pub fn option_list<'de, D, L, T>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
    where
        D: serde::Deserializer<'de>,
        L: Lenient,
        T: FromLenient<L>,
    {
        let items: Option<Vec<LenientValue<L>>> = serde::Deserialize::deserialize(deserializer)?;
        Ok(items.map(|items| {
            items
                .into_iter()
                .map(|LenientValue(item)| T::from_lenient(item))
                .collect()
        }))
    }
}

/// `serialize_with` helpers that send an integer code as a JSON string (`"2022"`).
pub mod as_string {
    use super::IntCode;

    /// A required value.
    pub fn one<S: serde::Serializer, T: IntCode>(
        value: &T,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&value.to_code())
    }

    /// An optional value (skipped when absent by the field's attributes).
    pub fn option<S: serde::Serializer, T: IntCode>(
        value: &Option<T>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.collect_str(&value.to_code()),
            None => serializer.serialize_none(),
        }
    }
}

/// `deserialize_with` for optional nullable fields: present-and-null is `Some(Nullable::Null)`.
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

/// Whether all of `text` matches a pattern compiled by wecard-codegen into tables: state 0 is
/// the start, `next[state * class_count + class]` the next state (`u16::MAX`: no match
/// possible), `accept[state]` whether the text may end there.
pub fn dfa_full_match(
    classes: &[u8; 256],
    next: &[u16],
    accept: &[bool],
    class_count: usize,
    text: &str,
) -> bool {
    let mut state = 0usize;
    for &byte in text.as_bytes() {
        let class = usize::from(classes[usize::from(byte)]);
        match next.get(state * class_count + class) {
            Some(&u16::MAX) | None => return false,
            Some(&target) => state = usize::from(target),
        }
    }
    accept.get(state).copied().unwrap_or(false)
}

/// The rule checks behind generated `validate_into` bodies: each rule of each field is one call
/// with its parameters as data, and the loops, comparisons and error building are compiled once,
/// here, rather than spelled out for every field of every request.
pub mod check {
    // Relative paths: an embedded runtime is a module of the user's crate, not a crate.
    use super::super::rules::{char_len, items_ok, length_ok, one_of_ok, range_ok};
    use super::super::{Format, Nullable, RuleParams, ValidationErrors, ValidationLevel};

    use super::IntCode;

    /// A `pattern:` rule compiled by wecard-codegen into tables (see [`super::dfa_full_match`]).
    #[derive(Debug)]
    pub struct Dfa {
        /// The class of each byte.
        pub classes: [u8; 256],
        /// The next state, by state and class.
        pub next: &'static [u16],
        /// Whether the text may end in each state.
        pub accept: &'static [bool],
        /// How many classes there are.
        pub class_count: usize,
    }

    /// What a rule asks, with its bounds or values.
    #[derive(Debug, Clone, Copy)]
    pub enum Kind {
        /// A string's length in characters.
        Length(Option<i64>, Option<i64>),
        /// An integer's value (of an integer or an integer-coded enum).
        Range(Option<i64>, Option<i64>),
        /// A list's length: checked by [`items`], not by [`check`].
        Items(Option<i64>, Option<i64>),
        /// The pattern as written in the spec, and its tables.
        Pattern(&'static str, &'static Dfa),
        /// A named format.
        Format(Format),
        /// The allowed values, as written on the wire.
        OneOf(&'static [&'static str]),
    }

    /// One rule of one field.
    #[derive(Debug, Clone, Copy)]
    pub struct Rule {
        /// The field's wire name.
        pub field: &'static str,
        /// Whether it is a data-quality rule, checked only at the strict level.
        pub strict: bool,
        /// What it asks.
        pub kind: Kind,
    }

    impl Rule {
        /// One of the API's rules, on the field with wire name `field`.
        #[inline]
        pub const fn new(field: &'static str, kind: Kind) -> Self {
            Self {
                field,
                strict: false,
                kind,
            }
        }

        /// A data-quality rule, checked only at the strict level.
        #[inline]
        pub const fn strict(field: &'static str, kind: Kind) -> Self {
            Self {
                field,
                strict: true,
                kind,
            }
        }

        #[inline]
        fn applies(&self, level: ValidationLevel) -> bool {
            !self.strict || level == ValidationLevel::Strict
        }

        #[cold]
        fn broken(&self, index: Option<usize>, params: RuleParams, errors: &mut ValidationErrors) {
            let level = if self.strict {
                ValidationLevel::Strict
            } else {
                ValidationLevel::Default
            };
            errors.add(self.field, index, level, params);
        }
    }

    /// A value a rule can be checked against: strings and text-coded enums, integers and
    /// integer-coded enums, and optional, nullable or listed ones of them (each item in turn).
    pub trait Checked {
        /// Adds to `errors` what this value (item `index` of its list) breaks of `rule`.
        fn check(&self, rule: &Rule, index: Option<usize>, errors: &mut ValidationErrors);
    }

    /// Checks `rule` against `value` at `level`.
    #[inline]
    pub fn check<T: Checked + ?Sized>(
        value: &T,
        rule: &Rule,
        level: ValidationLevel,
        errors: &mut ValidationErrors,
    ) {
        if rule.applies(level) {
            value.check(rule, None, errors);
        }
    }

    /// Checks an `items` rule against a list (or an optional or nullable one) at `level`.
    #[inline]
    pub fn items<T: Counted + ?Sized>(
        list: &T,
        rule: &Rule,
        level: ValidationLevel,
        errors: &mut ValidationErrors,
    ) {
        // No `let` chains: an embedded runtime compiles in the user's edition.
        match (rule.applies(level), rule.kind, list.count()) {
            (true, Kind::Items(min, max), Some(actual)) if !items_ok(actual, min, max) => {
                rule.broken(None, RuleParams::Items { min, max, actual }, errors);
            }
            _ => {}
        }
    }

    /// Checks a text value (a string, or a text-coded enum's code) against `rule`.
    // Always inlined: the rule is a constant at every call, so all but one arm folds away.
    #[inline(always)]
    pub fn text(text: &str, rule: &Rule, index: Option<usize>, errors: &mut ValidationErrors) {
        let params = match rule.kind {
            Kind::Length(min, max) if !length_ok(text, min, max) => RuleParams::Length {
                min,
                max,
                actual: char_len(text),
            },
            Kind::Pattern(pattern, dfa)
                if !super::dfa_full_match(
                    &dfa.classes,
                    dfa.next,
                    dfa.accept,
                    dfa.class_count,
                    text,
                ) =>
            {
                RuleParams::Pattern { pattern }
            }
            Kind::Format(format) if !format.accepts(text) => RuleParams::Format { format },
            Kind::OneOf(allowed) if !one_of_ok(text, allowed) => RuleParams::OneOf { allowed },
            _ => return,
        };
        rule.broken(index, params, errors);
    }

    impl Checked for str {
        #[inline]
        fn check(&self, rule: &Rule, index: Option<usize>, errors: &mut ValidationErrors) {
            text(self, rule, index, errors);
        }
    }

    impl Checked for String {
        #[inline]
        fn check(&self, rule: &Rule, index: Option<usize>, errors: &mut ValidationErrors) {
            text(self, rule, index, errors);
        }
    }

    impl<T: IntCode> Checked for T {
        #[inline]
        fn check(&self, rule: &Rule, index: Option<usize>, errors: &mut ValidationErrors) {
            let code = self.to_code();
            let params = match rule.kind {
                Kind::Range(min, max) if !range_ok(code, min, max) => RuleParams::Range {
                    min,
                    max,
                    actual: code,
                },
                // Only the allowed values that are integers can match an integer.
                Kind::OneOf(allowed)
                    if !allowed.iter().any(|value| value.parse::<i64>() == Ok(code)) =>
                {
                    RuleParams::OneOf { allowed }
                }
                _ => return,
            };
            rule.broken(index, params, errors);
        }
    }

    impl<T: Checked> Checked for Option<T> {
        #[inline]
        fn check(&self, rule: &Rule, index: Option<usize>, errors: &mut ValidationErrors) {
            if let Some(value) = self {
                value.check(rule, index, errors);
            }
        }
    }

    impl<T: Checked> Checked for Nullable<T> {
        #[inline]
        fn check(&self, rule: &Rule, index: Option<usize>, errors: &mut ValidationErrors) {
            if let Nullable::Value(value) = self {
                value.check(rule, index, errors);
            }
        }
    }

    impl<T: Checked> Checked for Vec<T> {
        #[inline]
        fn check(&self, rule: &Rule, _index: Option<usize>, errors: &mut ValidationErrors) {
            for (index, item) in self.iter().enumerate() {
                item.check(rule, Some(index), errors);
            }
        }
    }

    /// What an `items` rule counts: a list, or nothing when an optional or nullable one is
    /// absent or `null`.
    pub trait Counted {
        /// The list's length, if there is a list.
        fn count(&self) -> Option<usize>;
    }

    impl<T> Counted for Vec<T> {
        #[inline]
        fn count(&self) -> Option<usize> {
            Some(self.len())
        }
    }

    impl<T: Counted> Counted for Option<T> {
        #[inline]
        fn count(&self) -> Option<usize> {
            self.as_ref().and_then(Counted::count)
        }
    }

    impl<T: Counted> Counted for Nullable<T> {
        #[inline]
        fn count(&self) -> Option<usize> {
            match self {
                Nullable::Value(value) => value.count(),
                Nullable::Null => None,
            }
        }
    }
}
