//! How spec names become Rust names. The checker uses these to find collisions before any code
//! is generated, and the model and emitters use the same functions, so what was checked is what
//! is emitted.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Every Rust keyword, strict and reserved, in every edition this crate supports.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// Type names the generated module defines itself beside the spec's own types. The runtime's
/// types are not among them: generated code reaches those through one private alias, and
/// re-exports only those the spec does not name itself.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "ErrorCode",
    "WecardUser",
    "UserError",
    "UserErrors",
    "FromMemberError",
    "ToWecard",
    "FromWecard",
    "Event",
];

/// Methods of the generated client that are not endpoints: an endpoint id (or its `<id>_pages`)
/// may not take one of these names.
pub const RESERVED_METHOD_NAMES: &[&str] = crate::emit::rust::CLIENT_METHODS;

/// The variant every open enum adds for codes the spec does not know.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// Whether `word` is a Rust keyword.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// The Rust field (or method) name for a wire name: snake case, made a valid identifier.
///
/// Keywords become raw identifiers (`type` → `r#type`) except those that cannot be raw, which get
/// a trailing underscore (`self` → `self_`); a leading digit gets a leading underscore. Returns
/// `None` when nothing identifier-like remains (the wire name has no letters or digits).
pub fn field_ident(wire_name: &str) -> Option<String> {
    let snake = wire_name.to_snake_case();
    if snake.is_empty() || !snake.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    Some(if NOT_RAW.contains(&snake.as_str()) {
        format!("{snake}_")
    } else if is_keyword(&snake) {
        format!("r#{snake}")
    } else if snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{snake}")
    } else {
        snake
    })
}

/// The Rust type or variant name for a spec name: upper camel case, made a valid identifier.
/// Returns `None` when the name has no letters, starts with a digit, or is `Self`.
pub fn type_ident(name: &str) -> Option<String> {
    let camel = name.to_upper_camel_case();
    let valid = camel.starts_with(|c: char| c.is_ascii_alphabetic())
        && camel.chars().all(|c| c.is_ascii_alphanumeric())
        && camel != "Self";
    valid.then_some(camel)
}

/// Whether `name` is written in `snake_case` (lowercase ASCII words joined by `_`).
pub fn is_snake_case(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !name.contains("__")
        && !name.ends_with('_')
}

/// Whether `name` is written in `UpperCamelCase`.
pub fn is_upper_camel_case(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Whether a wire name can be a JSON key of this API: printable ASCII letters, digits, `_`, `-`
/// and `.`, at most 64 characters. (Dashes and leading digits are allowed; the Rust name is
/// adjusted and serde renames it back.)
pub fn is_valid_wire_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && name.chars().any(|c| c.is_ascii_alphanumeric())
}

/// The request type name of an endpoint (`create_user` → `CreateUserRequest`).
pub fn request_type(endpoint_id: &str) -> String {
    format!("{}Request", endpoint_id.to_upper_camel_case())
}

/// The reply type name of an endpoint (`create_user` → `CreateUserResponse`).
pub fn response_type(endpoint_id: &str) -> String {
    format!("{}Response", endpoint_id.to_upper_camel_case())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_idents_handle_keywords_digits_and_dashes() {
        assert_eq!(field_ident("card_number").as_deref(), Some("card_number"));
        assert_eq!(field_ident("type").as_deref(), Some("r#type"));
        assert_eq!(field_ident("class").as_deref(), Some("class"));
        assert_eq!(field_ident("match").as_deref(), Some("r#match"));
        assert_eq!(field_ident("self").as_deref(), Some("self_"));
        assert_eq!(field_ident("default").as_deref(), Some("default"));
        assert_eq!(field_ident("x-trace-id").as_deref(), Some("x_trace_id"));
        assert_eq!(field_ident("2fa").as_deref(), Some("_2fa"));
        assert_eq!(field_ident("cardNumber").as_deref(), Some("card_number"));
        assert_eq!(field_ident("--"), None);
    }

    #[test]
    fn type_idents_reject_what_cannot_be_a_type() {
        assert_eq!(type_ident("member").as_deref(), Some("Member"));
        assert_eq!(
            type_ident("access_token_expired").as_deref(),
            Some("AccessTokenExpired")
        );
        assert_eq!(type_ident("self"), None);
        assert_eq!(type_ident("1st"), None);
        assert_eq!(type_ident("学生"), None);
    }

    #[test]
    fn wire_names_allow_dashes_and_digits_but_not_spaces() {
        assert!(is_valid_wire_name("x-trace-id"));
        assert!(is_valid_wire_name("2fa"));
        assert!(!is_valid_wire_name("card number"));
        assert!(!is_valid_wire_name(""));
        assert!(!is_valid_wire_name("名字"));
    }
}
