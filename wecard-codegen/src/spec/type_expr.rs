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

impl TypeExpr {
    /// Parses a type expression; the error says what is wrong with it.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if let Some(rest) = text.strip_prefix("list") {
            let rest = rest.trim_start();
            if let Some(inner) = rest.strip_prefix('<') {
                let Some(inner) = inner.strip_suffix('>') else {
                    return Err(format!("`{text}` has no closing `>`"));
                };
                if inner.trim().is_empty() {
                    return Err("`list<>` needs an item type, e.g. `list<int>`".into());
                }
                return Ok(TypeExpr::List(Box::new(TypeExpr::parse(inner)?)));
            }
        }
        match text {
            "string" => Ok(TypeExpr::String),
            "int" => Ok(TypeExpr::Int),
            "bool" => Ok(TypeExpr::Bool),
            "datetime" => Ok(TypeExpr::DateTime),
            "" => Err("the type is empty".into()),
            name if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
                Ok(TypeExpr::Named(name.to_string()))
            }
            other => Err(format!("`{other}` is not a type expression")),
        }
    }

    /// The innermost type of nested lists.
    pub fn item(&self) -> &TypeExpr {
        match self {
            TypeExpr::List(inner) => inner.item(),
            other => other,
        }
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
    }
}
