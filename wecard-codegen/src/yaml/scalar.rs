//! Scalars: YAML 1.2 core-schema resolution and the standard tags.

use yaml_rust2::parser::Tag;

use super::NodeKind;

/// The core-schema name of a tag (`str` for `!!str`, or `!` the non-specific tag); `None` for
/// any other tag.
pub(super) fn core_tag(tag: &Tag) -> Option<&str> {
    const CORE: &str = "tag:yaml.org,2002:";
    if tag.handle.is_empty() && tag.suffix == "!" {
        return Some("str");
    }
    let full = if tag.handle == CORE {
        tag.suffix.as_str()
    } else {
        tag.suffix
            .strip_prefix(CORE)
            .filter(|_| tag.handle.is_empty())?
    };
    ["str", "null", "bool", "int", "float", "seq", "map"]
        .into_iter()
        .find(|name| *name == full)
}

pub(super) fn unknown_tag(tag: Option<&Tag>) -> String {
    match tag {
        Some(tag) => format!(
            "the tag `{}{}` is not used in specs",
            tag.handle, tag.suffix
        ),
        None => "unknown tag".into(),
    }
}

pub(super) fn scalar_help(tagged: bool) -> &'static str {
    if tagged {
        "specs need no YAML tags: remove it, and quote a value that must be a string"
    } else {
        "quote the value if it is text"
    }
}

pub(super) fn kind_name(kind: &NodeKind) -> &'static str {
    match kind {
        NodeKind::Null => "null",
        NodeKind::Bool(_) => "bool",
        NodeKind::Int(_) => "int",
        NodeKind::Float(_) => "float",
        NodeKind::Str(_) => "str",
        NodeKind::Seq(_) => "seq",
        NodeKind::Map(_) => "map",
    }
}

pub(super) fn a_kind(name: &str) -> &'static str {
    match name {
        "null" => "null",
        "bool" => "a boolean",
        "int" => "an integer",
        _ => "a number",
    }
}

/// Resolves a plain scalar with the YAML 1.2 core schema (see the module documentation).
pub(super) fn resolve_plain(text: &str) -> Result<NodeKind, String> {
    Ok(match text {
        "" | "~" | "null" | "Null" | "NULL" => NodeKind::Null,
        "true" | "True" | "TRUE" => NodeKind::Bool(true),
        "false" | "False" | "FALSE" => NodeKind::Bool(false),
        ".nan" | ".NaN" | ".NAN" => NodeKind::Float(f64::NAN),
        _ => {
            let (negative, unsigned) = match text.as_bytes().first() {
                Some(b'-') => (true, &text[1..]),
                Some(b'+') => (false, &text[1..]),
                _ => (false, text),
            };
            let all = |digits: &str, ok: fn(&u8) -> bool| {
                !digits.is_empty() && digits.as_bytes().iter().all(ok)
            };
            if all(unsigned, u8::is_ascii_digit) {
                return text
                    .parse::<i64>()
                    .map(NodeKind::Int)
                    .map_err(|_| format!("the integer `{text}` does not fit in 64 bits"));
            }
            let radix = |prefix: &str, radix: u32, ok: fn(&u8) -> bool| {
                text.strip_prefix(prefix)
                    .filter(|digits| all(digits, ok))
                    .map(|digits| {
                        i64::from_str_radix(digits, radix)
                            .map(NodeKind::Int)
                            .map_err(|_| format!("the integer `{text}` does not fit in 64 bits"))
                    })
            };
            if let Some(int) = radix("0o", 8, |b| (b'0'..=b'7').contains(b))
                .or_else(|| radix("0x", 16, u8::is_ascii_hexdigit))
            {
                return int;
            }
            if matches!(unsigned, ".inf" | ".Inf" | ".INF") {
                return Ok(NodeKind::Float(if negative {
                    f64::NEG_INFINITY
                } else {
                    f64::INFINITY
                }));
            }
            match is_core_float(unsigned).then(|| text.parse::<f64>()) {
                Some(Ok(float)) => NodeKind::Float(float),
                _ => NodeKind::Str(text.to_string()),
            }
        }
    })
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_core_float(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut at = digits(0);
    let whole = at;
    if bytes.get(at) == Some(&b'.') {
        let fraction = digits(at + 1);
        if whole == 0 && fraction == 0 {
            return false;
        }
        at += 1 + fraction;
    } else if whole == 0 {
        return false;
    }
    if matches!(bytes.get(at), Some(b'e' | b'E')) {
        at += 1;
        if matches!(bytes.get(at), Some(b'-' | b'+')) {
            at += 1;
        }
        let exponent = digits(at);
        if exponent == 0 {
            return false;
        }
        at += exponent;
    }
    at == bytes.len()
}
