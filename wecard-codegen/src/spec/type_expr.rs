//! The field type language: `string`, `int`, `bool`, `datetime`, `list<T>` and type names.

/// A parsed `type:` expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeExpr {
    /// `string`
    String,
    /// `int` (64-bit signed)
    Int,
    /// `bool`
    Bool,
    /// `datetime`: `YYYY-MM-DD HH:MM:SS`, no zone
    DateTime,
    /// `list<T>`
    List(Box<TypeExpr>),
    /// The name of an enum or a record.
    Named(String),
}

/// The built-in type words.
pub const BUILTIN_TYPES: &[&str] = &["string", "int", "bool", "datetime", "list<…>"];

/// Deepest nesting of `list<…>` accepted. The API nests lists once; generated code and the
/// compiler that reads it recurse on the depth, so it is bounded.
pub const MAX_TYPE_DEPTH: usize = 8;

impl TypeExpr {
    /// Parses a type expression; the error says what is wrong with it. Iterative, and refuses
    /// lists nested deeper than [`MAX_TYPE_DEPTH`].
    pub fn parse(text: &str) -> Result<Self, String> {
        let whole = text.trim();
        let mut rest = whole;
        let mut depth = 0;
        while let Some(after) = rest.strip_prefix("list") {
            let Some(inner) = after.trim_start().strip_prefix('<') else {
                break;
            };
            let Some(inner) = inner.trim_end().strip_suffix('>') else {
                return Err(format!("`{}` has no closing `>`", shorten(rest)));
            };
            if inner.trim().is_empty() {
                return Err("`list<>` needs an item type, e.g. `list<int>`".into());
            }
            depth += 1;
            if depth > MAX_TYPE_DEPTH {
                return Err(format!("lists are nested more than {MAX_TYPE_DEPTH} deep"));
            }
            rest = inner.trim();
        }
        let mut ty = match rest {
            "string" => TypeExpr::String,
            "int" => TypeExpr::Int,
            "bool" => TypeExpr::Bool,
            "datetime" => TypeExpr::DateTime,
            "" => return Err("the type is empty".into()),
            name if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                TypeExpr::Named(name.to_string())
            }
            other => return Err(format!("`{}` is not a type expression", shorten(other))),
        };
        for _ in 0..depth {
            ty = TypeExpr::List(Box::new(ty));
        }
        Ok(ty)
    }

    /// The innermost type of nested lists.
    pub fn item(&self) -> &TypeExpr {
        match self {
            TypeExpr::List(inner) => inner.item(),
            other => other,
        }
    }
}

/// A type written in a message: long ones are cut (a hostile spec can write megabytes).
fn shorten(text: &str) -> String {
    const LIMIT: usize = 60;
    match text.char_indices().nth(LIMIT) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

impl serde::Serialize for TypeExpr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// In the JSON Schema a type expression is a string.
#[cfg(feature = "json-schema")]
impl schemars::JsonSchema for TypeExpr {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        String::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        String::schema_id()
    }

    fn inline_schema() -> bool {
        String::inline_schema()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

impl std::fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TypeExpr::String => f.write_str("string"),
            TypeExpr::Int => f.write_str("int"),
            TypeExpr::Bool => f.write_str("bool"),
            TypeExpr::DateTime => f.write_str("datetime"),
            TypeExpr::List(inner) => write!(f, "list<{inner}>"),
            TypeExpr::Named(name) => f.write_str(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_builtins_lists_and_names() {
        assert_eq!(TypeExpr::parse("int"), Ok(TypeExpr::Int));
        assert_eq!(
            TypeExpr::parse("list< list<Member> >"),
            Ok(TypeExpr::List(Box::new(TypeExpr::List(Box::new(
                TypeExpr::Named("Member".into())
            )))))
        );
        assert!(TypeExpr::parse("list<int").is_err());
        assert!(TypeExpr::parse("list<>").is_err());
        assert!(TypeExpr::parse("map[string]").is_err());
        assert_eq!(
            TypeExpr::parse("listing"),
            Ok(TypeExpr::Named("listing".into()))
        );
        assert_eq!(
            TypeExpr::parse("list<list<int>>").map(|t| t.to_string()),
            Ok("list<list<int>>".to_string())
        );
        assert!(TypeExpr::parse("list<int>>").is_err());
    }

    #[test]
    fn deep_lists_are_refused_without_recursion() {
        let deep = |n: usize| format!("{}int{}", "list<".repeat(n), ">".repeat(n));
        assert!(TypeExpr::parse(&deep(MAX_TYPE_DEPTH)).is_ok());
        let error = TypeExpr::parse(&deep(MAX_TYPE_DEPTH + 1)).expect_err("too deep");
        assert!(error.contains("nested more than"), "{error}");
        // Far deeper than any stack could recurse: refused all the same.
        assert!(TypeExpr::parse(&deep(200_000)).is_err());
    }
}
