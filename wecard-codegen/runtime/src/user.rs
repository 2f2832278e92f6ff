//! What `#[derive(WecardUser)]` converts through and reports with: the `ToWecard` / `FromWecard`
//! conversions between a user's own field types and the wire types, and the errors of mapping a
//! user's record onto a WeCard user and back. The `WecardUser` trait itself is generated, since
//! it names the spec's create request and member record.

use std::borrow::Cow;
use std::fmt;

use super::{DateTime, ValidationError, ValidationErrors};

/// Why a wire value could not become a field's value.
pub type ConversionError = Box<dyn std::error::Error + Send + Sync>;

/// Converts a field of a `WecardUser` type into the wire type `W` of its WeCard field.
///
/// Implemented for every wire type itself, for narrower integers into `i64`, for `str` and
/// `Cow<str>` into `String`, for coded values into text (the text the spec gives them), for references as
/// what they refer to, and for lists item by item. Implement it for a type of your own, or
/// convert with `#[wecard(with = module)]`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent as the WeCard wire type `{W}`",
    label = "`{Self}` does not convert into `{W}`",
    note = "a field mapped onto a WeCard field needs a type that converts into the field's wire type: `{W}` itself, or a type with a `ToWecard<{W}>` implementation (narrower integers convert into `i64`)",
    note = "to keep this type, convert it with `#[wecard(with = module)]`, where `module::to_wecard(&{Self}) -> {W}` and `module::from_wecard(&{W}) -> Result<{Self}, E>`, or implement `ToWecard<{W}>` for it"
)]
pub trait ToWecard<W> {
    /// The wire value.
    fn to_wecard(&self) -> W;

    /// The wire value for an optional WeCard field, or `None` to leave the field out: a coded
    /// value whose text no source gives (a gender 未知) is not sent as text. The derive uses this
    /// for optional fields; by default it is `Some(self.to_wecard())`.
    fn to_wecard_sent(&self) -> Option<W> {
        Some(self.to_wecard())
    }
}

/// Converts the wire value `W` of a WeCard field into a field of a `WecardUser` type.
///
/// Implemented for every wire type itself, for `i64` into narrower integers (with a range
/// check), for coded values into text (the text the spec gives them), and for lists item by item.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from the WeCard wire type `{W}`",
    label = "`{Self}` cannot be read from `{W}`",
    note = "`from_member` fills this field from the member record, where the value is a `{W}`",
    note = "if the field cannot be read back from a member, mark it `#[wecard(write_only)]` (`from_member` then fills it with `Default::default()`); to keep this type, convert it with `#[wecard(with = module)]` or implement `FromWecard<{W}>` for it"
)]
pub trait FromWecard<W>: Sized {
    /// The value for a wire value.
    ///
    /// # Errors
    ///
    /// When the wire value does not fit `Self` (an integer out of range, a code the spec has no
    /// text for).
    fn from_wecard(wire: &W) -> Result<Self, ConversionError>;
}

/// A reference converts as what it refers to (`&str` as `str`, `&String` as `String`).
impl<T: ToWecard<W> + ?Sized, W> ToWecard<W> for &T {
    fn to_wecard(&self) -> W {
        (**self).to_wecard()
    }

    fn to_wecard_sent(&self) -> Option<W> {
        (**self).to_wecard_sent()
    }
}

// Wire types convert as themselves. Written out rather than through a macro, so that a
// compile error pointing at one of these impls shows the impl, not a macro invocation.

impl ToWecard<String> for String {
    fn to_wecard(&self) -> String {
        self.clone()
    }
}

impl FromWecard<String> for String {
    fn from_wecard(wire: &String) -> Result<Self, ConversionError> {
        Ok(wire.clone())
    }
}

impl ToWecard<i64> for i64 {
    fn to_wecard(&self) -> i64 {
        *self
    }
}

impl FromWecard<i64> for i64 {
    fn from_wecard(wire: &i64) -> Result<Self, ConversionError> {
        Ok(*wire)
    }
}

impl ToWecard<bool> for bool {
    fn to_wecard(&self) -> bool {
        *self
    }
}

impl FromWecard<bool> for bool {
    fn from_wecard(wire: &bool) -> Result<Self, ConversionError> {
        Ok(*wire)
    }
}

impl ToWecard<DateTime> for DateTime {
    fn to_wecard(&self) -> DateTime {
        *self
    }
}

impl FromWecard<DateTime> for DateTime {
    fn from_wecard(wire: &DateTime) -> Result<Self, ConversionError> {
        Ok(*wire)
    }
}

/// Integers that widen losslessly into the API's `int`, and back with a range check.
macro_rules! narrow_ints {
    ($($ty:ident),*) => {$(
        impl ToWecard<i64> for $ty {
            fn to_wecard(&self) -> i64 {
                i64::from(*self)
            }
        }

        impl FromWecard<i64> for $ty {
            fn from_wecard(wire: &i64) -> Result<Self, ConversionError> {
                $ty::try_from(*wire).map_err(|_| {
                    format!("{} is out of range for `{}`", wire, stringify!($ty)).into()
                })
            }
        }
    )*};
}

narrow_ints!(i8, i16, i32, u8, u16, u32);

impl ToWecard<String> for str {
    fn to_wecard(&self) -> String {
        self.to_owned()
    }
}

impl ToWecard<String> for Cow<'_, str> {
    fn to_wecard(&self) -> String {
        self.to_string()
    }
}

impl<T: ToWecard<W>, W> ToWecard<Vec<W>> for Vec<T> {
    fn to_wecard(&self) -> Vec<W> {
        // An item with nothing to send (a code without a text) is left out of the list.
        self.iter().filter_map(ToWecard::to_wecard_sent).collect()
    }
}

impl<T: FromWecard<W>, W> FromWecard<Vec<W>> for Vec<T> {
    fn from_wecard(wire: &Vec<W>) -> Result<Self, ConversionError> {
        wire.iter().map(T::from_wecard).collect()
    }
}

/// One way a `WecardUser` value breaks the API's rules, naming both the WeCard field and the
/// struct field that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserError {
    /// The WeCard field's wire name (`card_number`).
    pub wecard_field: &'static str,
    /// The struct field that holds it; `None` when a container constant sets it.
    pub struct_field: Option<&'static str>,
    /// The broken rule, as the request's validation reports it.
    pub error: ValidationError,
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.struct_field {
            Some(field) => write!(f, "field `{}` (WeCard `{}`", field, self.wecard_field)?,
            None => write!(f, "constant (WeCard `{}`", self.wecard_field)?,
        }
        if let Some(index) = self.error.index {
            write!(f, ", item {index}")?;
        }
        write!(
            f,
            "): {} ({})",
            self.error.message_en(),
            self.error.message_zh()
        )
    }
}

impl std::error::Error for UserError {}

/// Every way a `WecardUser` value breaks the API's rules, in the request's field order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserErrors {
    errors: Vec<UserError>,
}

impl UserErrors {
    /// The request's validation errors, each told which struct field it came from through
    /// `field_map` (`(WeCard wire name, struct field name)` pairs).
    pub fn from_validation(
        errors: ValidationErrors,
        field_map: &'static [(&'static str, &'static str)],
    ) -> Self {
        let errors = errors
            .into_iter()
            .map(|error| UserError {
                wecard_field: error.field,
                struct_field: field_map
                    .iter()
                    .find(|(wecard, _)| *wecard == error.field)
                    .map(|(_, field)| *field),
                error,
            })
            .collect();
        Self { errors }
    }

    /// The errors, in the request's field order.
    pub fn errors(&self) -> &[UserError] {
        &self.errors
    }

    /// An iterator over the errors.
    pub fn iter(&self) -> std::slice::Iter<'_, UserError> {
        self.errors.iter()
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }
}

impl fmt::Display for UserErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (at, error) in self.errors.iter().enumerate() {
            if at > 0 {
                f.write_str("; ")?;
            }
            fmt::Display::fmt(error, f)?;
        }
        Ok(())
    }
}

impl std::error::Error for UserErrors {}

impl IntoIterator for UserErrors {
    type Item = UserError;
    type IntoIter = std::vec::IntoIter<UserError>;

    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}

/// Why a member record could not become a value of a `WecardUser` type.
#[derive(Debug)]
pub enum FromMemberError {
    /// The member has no value for a field the struct needs (a non-`Option` field).
    Missing {
        /// The WeCard field's wire name.
        wecard_field: &'static str,
        /// The struct field that needs it.
        struct_field: &'static str,
        /// The field is 需申请: the server sends it only to apps granted it, so an app without
        /// the grant never receives it.
        needs_grant: bool,
    },
    /// The member's value does not convert into the struct field's type.
    Invalid {
        /// The WeCard field's wire name.
        wecard_field: &'static str,
        /// The struct field it was read into.
        struct_field: &'static str,
        /// Why the conversion failed.
        source: ConversionError,
    },
}

impl FromMemberError {
    /// The WeCard field's wire name.
    pub fn wecard_field(&self) -> &'static str {
        match self {
            Self::Missing { wecard_field, .. } | Self::Invalid { wecard_field, .. } => wecard_field,
        }
    }

    /// The struct field concerned.
    pub fn struct_field(&self) -> &'static str {
        match self {
            Self::Missing { struct_field, .. } | Self::Invalid { struct_field, .. } => struct_field,
        }
    }

    /// Whether the field is missing because it is 需申请 (the app may lack the grant).
    pub fn needs_grant(&self) -> bool {
        matches!(
            self,
            Self::Missing {
                needs_grant: true,
                ..
            }
        )
    }
}

impl fmt::Display for FromMemberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Missing {
                wecard_field,
                struct_field,
                needs_grant: true,
            } => write!(
                f,
                "the member has no `{wecard_field}`, which field `{struct_field}` needs; `{wecard_field}` is 需申请 (sent only to apps granted it): apply for it, or make the field an `Option`"
            ),
            Self::Missing {
                wecard_field,
                struct_field,
                needs_grant: false,
            } => write!(
                f,
                "the member has no `{wecard_field}`, which field `{struct_field}` needs; make the field an `Option` if the server may leave it out"
            ),
            Self::Invalid {
                wecard_field,
                struct_field,
                source,
            } => write!(
                f,
                "the member's `{wecard_field}` does not fit field `{struct_field}`: {source}"
            ),
        }
    }
}

impl std::error::Error for FromMemberError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Invalid { source, .. } => Some(&**source),
            Self::Missing { .. } => None,
        }
    }
}
