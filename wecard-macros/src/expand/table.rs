//! The WeCard user's fields, as `wecard-codegen` wrote them at this crate's build time (see
//! `wecard_codegen::model::User::field_table` for the format). Parsed once; never YAML.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};

/// The first line of every table this parser understands.
const HEADER: &str = "wecard-user-fields 1";

/// Every WeCard field of the user, with the two structs it lives in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Table {
    /// The spec the table was made from, for messages (`spec/wecard.yaml`).
    pub(crate) source: String,
    /// The create request's type name (`CreateUserRequest`).
    pub(crate) request: String,
    /// The member record's type name (`Member`).
    pub(crate) member: String,
    /// Request fields in wire order, then the member's own fields.
    pub(crate) fields: Vec<TableField>,
    /// The create request's unconditional default-level rules, by wire name: what a
    /// struct-level constant must keep.
    pub(crate) rules: Vec<(String, ConstantRule)>,
    /// The known codes of each coded value the create request uses, by enum name.
    pub(crate) codes: Vec<(String, Vec<String>)>,
}

/// A rule a constant is checked against at compile time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ConstantRule {
    /// Length in characters, inclusive bounds.
    Length(Option<i64>, Option<i64>),
    /// Integer value, inclusive bounds.
    Range(Option<i64>, Option<i64>),
    /// A named format of the runtime (`email`, `org_path`).
    Format(String),
    /// One of these wire values.
    OneOf(Vec<String>),
}

/// One WeCard field, on one side or both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TableField {
    /// The JSON key.
    pub(crate) wire: String,
    /// How the create request holds it, if it does.
    pub(crate) request: Option<Side>,
    /// How the member record holds it, if it does.
    pub(crate) member: Option<Side>,
}

/// How one struct holds a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Side {
    /// The Rust field name, possibly raw (`r#type`).
    pub(crate) rust: String,
    /// The value's type.
    pub(crate) ty: WireType,
    /// Not wrapped in `Option`.
    pub(crate) required: bool,
    /// 需申请.
    pub(crate) needs_grant: bool,
    /// Wrapped in `Nullable`.
    pub(crate) nullable: bool,
}

/// The type of a value on the wire, as the generated module spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum WireType {
    String,
    Int,
    Bool,
    DateTime,
    List(Box<WireType>),
    /// A coded value; `int` when its codes are integers.
    Enum {
        name: String,
        int: bool,
    },
    Record(String),
}

impl Table {
    /// Reads a table.
    ///
    /// # Errors
    ///
    /// A sentence saying what is wrong: a table of another version, a spec without `user:`, or
    /// a malformed line (which would be a bug in `wecard-codegen`).
    pub(crate) fn parse(text: &str) -> Result<Table, String> {
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return Err(format!(
                "the WeCard field table is not `{HEADER}`: rebuild wecard-macros with the wecard-codegen of the same version"
            ));
        }
        let (mut source, mut request, mut member) = (String::new(), None, None);
        let mut fields = Vec::new();
        let (mut rules, mut codes) = (Vec::new(), Vec::new());
        for (at, line) in lines.enumerate() {
            let parts: Vec<&str> = line.split('\t').collect();
            match parts.as_slice() {
                ["source", name] => source = (*name).to_string(),
                ["request", name] => {
                    request = Some(type_name(name).ok_or_else(|| bad_line(at, line))?);
                }
                ["member", name] => {
                    member = Some(type_name(name).ok_or_else(|| bad_line(at, line))?);
                }
                ["field", wire, request, member] => fields.push(TableField {
                    wire: (*wire).to_string(),
                    request: parse_side(request).ok_or_else(|| bad_line(at, line))?,
                    member: parse_side(member).ok_or_else(|| bad_line(at, line))?,
                }),
                ["rule", wire, rule @ ..] => {
                    let rule = parse_rule(rule).ok_or_else(|| bad_line(at, line))?;
                    rules.push(((*wire).to_string(), rule));
                }
                ["codes", name, values @ ..] => codes.push((
                    (*name).to_string(),
                    values.iter().map(|value| (*value).to_string()).collect(),
                )),
                [""] => {}
                _ => return Err(bad_line(at, line)),
            }
        }
        match (request, member) {
            (Some(request), Some(member)) => Ok(Table {
                source,
                request,
                member,
                fields,
                rules,
                codes,
            }),
            _ => Err(format!(
                "the spec `{source}` has no `user:` section, so WecardUser does not know which endpoint creates a user and which record describes one; add `user: {{create: <endpoint id>, member: <record>}}` (see spec/README.md)"
            )),
        }
    }

    /// The field with this wire name, or whose Rust name on either side is `name`.
    pub(crate) fn find(&self, name: &str) -> Option<&TableField> {
        self.fields
            .iter()
            .find(|field| field.wire == name)
            .or_else(|| {
                self.fields.iter().find(|field| {
                    [&field.request, &field.member]
                        .into_iter()
                        .flatten()
                        .any(|side| side.rust.trim_start_matches("r#") == name)
                })
            })
    }

    /// Every wire name, in table order.
    pub(crate) fn wire_names(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|field| field.wire.as_str())
    }
}

/// `length MIN MAX`, `range MIN MAX` (`-`: no bound), `format NAME`, `one_of V…`.
fn parse_rule(columns: &[&str]) -> Option<ConstantRule> {
    let bound = |text: &str| -> Option<Option<i64>> {
        if text == "-" {
            Some(None)
        } else {
            text.parse().ok().map(Some)
        }
    };
    Some(match columns {
        ["length", min, max] => ConstantRule::Length(bound(min)?, bound(max)?),
        ["range", min, max] => ConstantRule::Range(bound(min)?, bound(max)?),
        ["format", name] => ConstantRule::Format((*name).to_string()),
        ["one_of", values @ ..] => {
            ConstantRule::OneOf(values.iter().map(|value| (*value).to_string()).collect())
        }
        _ => return None,
    })
}

fn bad_line(at: usize, line: &str) -> String {
    format!(
        "line {} of the WeCard field table is malformed: {line:?}; this is a bug in wecard-codegen",
        at + 2
    )
}

/// `-` (absent) or `<rust name> <type> <flags>`; `None` when malformed.
fn parse_side(text: &str) -> Option<Option<Side>> {
    if text == "-" {
        return Some(None);
    }
    let mut parts = text.split(' ');
    let (rust, ty, flags) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || !is_rust_name(rust) {
        return None;
    }
    let flags = if flags == "-" { "" } else { flags };
    if !flags.chars().all(|flag| matches!(flag, 'r' | 'g' | 'n')) {
        return None;
    }
    Some(Some(Side {
        rust: rust.to_string(),
        ty: WireType::parse(ty)?,
        required: flags.contains('r'),
        needs_grant: flags.contains('g'),
        nullable: flags.contains('n'),
    }))
}

impl WireType {
    fn parse(text: &str) -> Option<WireType> {
        Some(match text {
            "string" => WireType::String,
            "int" => WireType::Int,
            "bool" => WireType::Bool,
            "datetime" => WireType::DateTime,
            _ => {
                if let Some(item) = text.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
                    WireType::List(Box::new(WireType::parse(item)?))
                } else if let Some(name) = text.strip_prefix("enum-int:") {
                    WireType::Enum {
                        name: type_name(name)?,
                        int: true,
                    }
                } else if let Some(name) = text.strip_prefix("enum-str:") {
                    WireType::Enum {
                        name: type_name(name)?,
                        int: false,
                    }
                } else {
                    WireType::Record(type_name(text.strip_prefix("record:")?)?)
                }
            }
        })
    }

    /// The type as the generated module spells it, its own types under `krate`.
    pub(crate) fn tokens(&self, krate: &TokenStream) -> TokenStream {
        match self {
            WireType::String => quote!(::std::string::String),
            WireType::Int => quote!(::core::primitive::i64),
            WireType::Bool => quote!(::core::primitive::bool),
            WireType::DateTime => quote!(#krate::DateTime),
            WireType::List(item) => {
                let item = item.tokens(krate);
                quote!(::std::vec::Vec<#item>)
            }
            WireType::Enum { name, .. } | WireType::Record(name) => {
                let name = format_ident!("{}", name, span = Span::call_site());
                quote!(#krate::#name)
            }
        }
    }

    /// How the spec writes the type (`string`, `list<int>`, `Gender`), for messages.
    pub(crate) fn spec_name(&self) -> String {
        match self {
            WireType::String => "string".into(),
            WireType::Int => "int".into(),
            WireType::Bool => "bool".into(),
            WireType::DateTime => "datetime".into(),
            WireType::List(item) => format!("list<{}>", item.spec_name()),
            WireType::Enum { name, .. } | WireType::Record(name) => name.clone(),
        }
    }
}

/// A field name from the table, possibly raw: one `Ident::new` and `Ident::new_raw` accept.
fn is_rust_name(text: &str) -> bool {
    let (name, raw) = match text.strip_prefix("r#") {
        Some(name) => (name, true),
        None => (text, false),
    };
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name != "_"
        && !(raw && matches!(name, "self" | "Self" | "super" | "crate"))
}

impl Side {
    /// The Rust field name as an identifier at `span` (raw when the table says so).
    pub(crate) fn ident(&self, span: Span) -> proc_macro2::Ident {
        match self.rust.strip_prefix("r#") {
            Some(raw) => proc_macro2::Ident::new_raw(raw, span),
            None => proc_macro2::Ident::new(&self.rust, span),
        }
    }
}

/// A type name from the table: an ASCII identifier, so that `format_ident!` cannot fail.
fn type_name(text: &str) -> Option<String> {
    let valid = text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    valid.then(|| text.to_string())
}
