//! The JSON request and reply examples of an endpoint page, built from the spec's `example:`
//! values, in wire order and in wire form (a field sent as a string shows a string).
//!
//! A field appears when the spec gives it an example; a record (or a list of records) appears
//! with its own fields built the same way (a list with one item); a required or secret field
//! without an example appears with a placeholder, and the page lists those placeholders. Other
//! fields without an example are left out.

use serde_json::Value;

use super::Docs;
use crate::model::{Endpoint, Field, RuleKind, Type};
use crate::spec::{Scalar, TokenPlacement};

/// Records nested deeper than this are not expanded (the checker refuses a record that contains
/// itself; this only bounds the work on any model).
const MAX_DEPTH: usize = 8;

/// A JSON value whose objects keep their keys in wire order.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Json {
    /// A scalar, or a value the spec gives whole.
    Value(Value),
    /// An object, its keys in order.
    Object(Vec<(String, Json)>),
    /// An array.
    List(Vec<Json>),
}

/// An example body and the fields in it whose value is a placeholder, by path
/// (`organization[].id`).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Example {
    pub(super) body: Json,
    pub(super) placeholders: Vec<String>,
}

impl Docs<'_> {
    /// The request body the client sends, the access token included where it travels in the
    /// body.
    pub(super) fn request_example(&self, endpoint: &Endpoint) -> Example {
        let mut placeholders = Vec::new();
        let mut members = Vec::new();
        if endpoint.token() == TokenPlacement::Body {
            let param = self.model.api().token_param();
            members.push((
                param.to_owned(),
                Json::Value(Value::String(param.to_ascii_uppercase())),
            ));
            placeholders.push(param.to_owned());
        }
        members.extend(self.members(endpoint.request().fields(), "", 0, &mut placeholders));
        Example {
            body: Json::Object(members),
            placeholders,
        }
    }

    /// A successful reply: the envelope (where the endpoint has one), then the reply fields.
    pub(super) fn reply_example(&self, endpoint: &Endpoint) -> Example {
        let mut placeholders = Vec::new();
        let mut members = Vec::new();
        if endpoint.envelope() {
            members.extend(self.members(self.model.api().envelope(), "", 0, &mut placeholders));
        }
        members.extend(self.members(endpoint.response().fields(), "", 0, &mut placeholders));
        Example {
            body: Json::Object(members),
            placeholders,
        }
    }

    fn members(
        &self,
        fields: &[Field],
        path: &str,
        depth: usize,
        placeholders: &mut Vec<String>,
    ) -> Vec<(String, Json)> {
        let mut members = Vec::new();
        for field in fields {
            let here = format!("{path}{}", field.wire_name());
            let value = if let Some(example) = field.example_on_wire() {
                Some(Json::from_value(example))
            } else if matches!(field.ty().item(), Type::Record(_)) && depth < MAX_DEPTH {
                self.value(field, field.ty(), &here, depth, placeholders)
            } else if field.required() || field.secret() {
                placeholders.push(here.clone());
                self.value(field, field.ty(), &here, depth, placeholders)
            } else {
                None
            };
            if let Some(value) = value {
                members.push((field.wire_name().to_owned(), value));
            }
        }
        members
    }

    /// A value of type `ty` for `field` where the spec gives none: a record built from its
    /// fields, a list of one item, or a placeholder.
    fn value(
        &self,
        field: &Field,
        ty: &Type,
        path: &str,
        depth: usize,
        placeholders: &mut Vec<String>,
    ) -> Option<Json> {
        Some(match ty {
            Type::List(item) => Json::List(vec![self.value(
                field,
                item,
                &format!("{path}[]"),
                depth,
                placeholders,
            )?]),
            Type::Record(name) => {
                let record = self.model.record(name)?;
                if depth >= MAX_DEPTH {
                    return None;
                }
                Json::Object(self.members(
                    record.fields(),
                    &format!("{path}."),
                    depth + 1,
                    placeholders,
                ))
            }
            Type::Enum(name) => {
                let code = self.model.enum_named(name)?.values().first()?.code();
                let code = match code {
                    Scalar::Int(number) => Value::from(*number),
                    Scalar::String(text) => Value::String(text.clone()),
                };
                Json::Value(field.on_wire(&code))
            }
            Type::Int => Json::Value(field.on_wire(&int_placeholder(field))),
            Type::String => Json::Value(Value::String(field.wire_name().to_ascii_uppercase())),
            Type::Bool => Json::Value(Value::Bool(false)),
            Type::DateTime => Json::Value(Value::String("2000-01-01 00:00:00".to_owned())),
        })
    }
}

/// An int where the spec gives no example: its default, the least value its rules allow, or 1.
fn int_placeholder(field: &Field) -> Value {
    if let Some(default) = field.default() {
        return default.clone();
    }
    for rule in field.rules() {
        match rule.kind() {
            RuleKind::Range { min: Some(min), .. } => return Value::from(*min),
            RuleKind::OneOf(values) => {
                if let Some(Scalar::Int(first)) = values.first() {
                    return Value::from(*first);
                }
            }
            _ => {}
        }
    }
    Value::from(1)
}

impl Json {
    /// A value the spec gives whole, its arrays and objects laid out like the rest.
    fn from_value(value: Value) -> Json {
        match value {
            Value::Array(items) => Json::List(items.into_iter().map(Json::from_value).collect()),
            Value::Object(members) => Json::Object(
                members
                    .into_iter()
                    .map(|(key, value)| (key, Json::from_value(value)))
                    .collect(),
            ),
            scalar => Json::Value(scalar),
        }
    }

    /// Pretty JSON, two spaces per level, keys in order.
    pub(super) fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out
    }

    fn write(&self, out: &mut String, indent: usize) {
        match self {
            Json::Value(value) => {
                out.push_str(&serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned()));
            }
            Json::Object(members) if members.is_empty() => out.push_str("{}"),
            Json::Object(members) => {
                out.push('{');
                for (index, (key, value)) in members.iter().enumerate() {
                    out.push_str(if index == 0 { "\n" } else { ",\n" });
                    push_indent(out, indent + 1);
                    out.push_str(&serde_json::to_string(key).unwrap_or_else(|_| "\"\"".to_owned()));
                    out.push_str(": ");
                    value.write(out, indent + 1);
                }
                out.push('\n');
                push_indent(out, indent);
                out.push('}');
            }
            Json::List(items) if items.is_empty() => out.push_str("[]"),
            Json::List(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    out.push_str(if index == 0 { "\n" } else { ",\n" });
                    push_indent(out, indent + 1);
                    item.write(out, indent + 1);
                }
                out.push('\n');
                push_indent(out, indent);
                out.push(']');
            }
        }
    }
}

fn push_indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str("  ");
    }
}
