//! Extra derives asked for by the user, merged with the ones each generated type already has.
//!
//! A derive the type already has (or implements by hand) is skipped, and so is one the type
//! cannot have; asking for `Hash` therefore never gives a second `impl Hash`. Standard traits are
//! recognised by their last path segment when the path is bare (`Hash`) or starts at `std`,
//! `core` or `alloc` (`::std::hash::Hash`, `core::hash::Hash`); `Serialize` and `Deserialize`
//! when bare or under `serde`. Any other path (a derive macro of the user's own) is passed
//! through unchanged, once.

use proc_macro2::TokenStream;
use quote::quote;

/// A derivable trait the emitter knows about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Known {
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
}

impl Known {
    fn from_path(path: &syn::Path) -> Option<Self> {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        let (last, prefix) = segments.split_last()?;
        let std_trait = match last.as_str() {
            "Debug" => Some(Self::Debug),
            "Clone" => Some(Self::Clone),
            "Copy" => Some(Self::Copy),
            "PartialEq" => Some(Self::PartialEq),
            "Eq" => Some(Self::Eq),
            "Hash" => Some(Self::Hash),
            "Default" => Some(Self::Default),
            "PartialOrd" => Some(Self::PartialOrd),
            "Ord" => Some(Self::Ord),
            _ => None,
        };
        let serde_trait = match last.as_str() {
            "Serialize" => Some(Self::Serialize),
            "Deserialize" => Some(Self::Deserialize),
            _ => None,
        };
        match prefix.first().map(String::as_str) {
            None => std_trait.or(serde_trait),
            Some("std" | "core" | "alloc") => std_trait,
            Some("serde") => serde_trait,
            Some(_) => None,
        }
    }
}

/// One derive from the options: its path as written, and the trait when it is a known one.
#[derive(Debug, Clone)]
pub(crate) struct ExtraDerive {
    path: TokenStream,
    known: Option<Known>,
}

impl ExtraDerive {
    pub(crate) fn new(path: &syn::Path) -> Self {
        Self {
            path: quote!(#path),
            known: Known::from_path(path),
        }
    }

    /// The path as Rust source, to rebuild the derive from (on another thread).
    pub(crate) fn path_text(&self) -> String {
        self.path.to_string()
    }

    fn same_as(&self, other: &Self) -> bool {
        match (self.known, other.known) {
            (Some(a), Some(b)) => a == b,
            (None, None) => self.path.to_string() == other.path.to_string(),
            _ => false,
        }
    }
}

/// What a generated type is, as far as derives go.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Shape {
    /// An enum with integer codes (`Copy`), with hand-written serde impls.
    IntEnum,
    /// An enum with string codes, with hand-written serde impls.
    StringEnum,
    /// A struct.
    Struct {
        /// Every required field has a `Default`, so the struct derives it.
        default: bool,
    },
}

impl Shape {
    /// Whether the type already has `known`, derived or by hand.
    fn has(self, known: Known) -> bool {
        use Known as K;
        match self {
            Shape::IntEnum => matches!(
                known,
                K::Debug
                    | K::Clone
                    | K::Copy
                    | K::PartialEq
                    | K::Eq
                    | K::Hash
                    | K::Serialize
                    | K::Deserialize
            ),
            Shape::StringEnum => matches!(
                known,
                K::Debug
                    | K::Clone
                    | K::PartialEq
                    | K::Eq
                    | K::Hash
                    | K::Serialize
                    | K::Deserialize
            ),
            Shape::Struct { default, .. } => match known {
                // `Debug` is derived, or written by hand where it redacts secrets.
                K::Debug | K::Clone | K::PartialEq | K::Serialize | K::Deserialize => true,
                K::Default => default,
                _ => false,
            },
        }
    }

    /// Whether the type can have `known` at all: structs and string enums hold strings (no
    /// `Copy`), enums have no default variant, a struct with a required field of a type without
    /// a default has no `Default`, and structs hold JSON values and nullable fields (no order).
    fn can_have(self, known: Known) -> bool {
        use Known as K;
        match self {
            Shape::IntEnum => !matches!(known, K::Default),
            Shape::StringEnum => !matches!(known, K::Copy | K::Default),
            Shape::Struct { default, .. } => match known {
                K::Copy | K::PartialOrd | K::Ord => false,
                K::Default => default,
                _ => true,
            },
        }
    }
}

/// The extra derives to add to a type of `shape`: each once, none it already has or cannot have.
pub(crate) fn for_shape(extra: &[ExtraDerive], shape: Shape) -> Vec<TokenStream> {
    let mut kept: Vec<&ExtraDerive> = Vec::new();
    for derive in extra {
        let applies = match derive.known {
            Some(known) => !shape.has(known) && shape.can_have(known),
            None => true,
        };
        if applies && !kept.iter().any(|k| k.same_as(derive)) {
            kept.push(derive);
        }
    }
    kept.into_iter().map(|d| d.path.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn derive(path: &str) -> ExtraDerive {
        ExtraDerive::new(&syn::parse_str(path).unwrap())
    }

    fn names(extra: &[&str], shape: Shape) -> Vec<String> {
        let extra: Vec<_> = extra.iter().map(|p| derive(p)).collect();
        for_shape(&extra, shape)
            .iter()
            .map(|t| t.to_string().replace(' ', ""))
            .collect()
    }

    const PLAIN: Shape = Shape::Struct { default: false };

    #[test]
    fn standard_traits_are_recognised_by_any_std_path() {
        for path in [
            "Hash",
            "::std::hash::Hash",
            "core::hash::Hash",
            "::core::hash::Hash",
        ] {
            assert_eq!(derive(path).known, Some(Known::Hash), "{path}");
        }
        assert_eq!(derive("serde::Serialize").known, Some(Known::Serialize));
        assert_eq!(derive("my_crate::Hash").known, None);
        assert_eq!(derive("std::Serialize").known, None);
    }

    #[test]
    fn enums_skip_what_they_have_structs_take_it() {
        let asked = ["::std::hash::Hash", "Eq", "::core::cmp::Eq"];
        assert!(names(&asked, Shape::IntEnum).is_empty());
        assert!(names(&asked, Shape::StringEnum).is_empty());
        assert_eq!(names(&asked, PLAIN), ["::std::hash::Hash", "Eq"]);
    }

    #[test]
    fn what_cannot_apply_is_skipped() {
        assert_eq!(
            names(&["Copy", "Default"], Shape::IntEnum),
            Vec::<String>::new()
        );
        assert_eq!(
            names(&["Copy", "PartialOrd", "Ord"], PLAIN),
            Vec::<String>::new()
        );
        assert_eq!(
            names(&["PartialOrd", "Ord"], Shape::StringEnum),
            ["PartialOrd", "Ord"]
        );
        // A struct with secrets writes `Debug` by hand; it still counts as had.
        let defaulted = Shape::Struct { default: true };
        assert!(names(&["Debug", "Default"], defaulted).is_empty());
        assert_eq!(names(&["Default"], PLAIN), Vec::<String>::new());
    }

    #[test]
    fn unknown_derives_pass_through_once() {
        assert_eq!(
            names(&["my::Thing", "my::Thing", "other::Thing"], Shape::IntEnum),
            ["my::Thing", "other::Thing"]
        );
    }
}
