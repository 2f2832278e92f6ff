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
