//! `components.schemas`: records, enums, the error-code table, and every request and reply.

use serde_json::{Map, Value, json};

use super::OpenApiVersion;
use super::schema::{Schemas, anchored, enforced, json_schema_format, scalar};
use crate::model::{Endpoint, Enum, ErrorCode, Field, Level, Record, RuleKind, Type};
use crate::spec::{EnumRepr, Handling};

/// The name of the error-code table's schema.
pub(super) const ERROR_CODE: &str = "ErrorCode";

/// The schema of an object made of `fields`, in wire order. `extra` fields (a body token) come
/// first.
pub(super) fn object(
    schemas: &Schemas<'_>,
    description: Option<&str>,
    fields: &[&Field],
    extra: &[(String, Value, bool)],
) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (name, schema, is_required) in extra {
        properties.insert(name.clone(), schema.clone());
        if *is_required {
            required.push(json!(name));
        }
    }
    for field in fields {
        properties.insert(field.wire_name().to_owned(), schemas.field(field));
        if field.required() {
            required.push(json!(field.wire_name()));
        }
    }
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    if let Some(description) = description {
        schema.insert("description".into(), json!(description));
    }
    schema.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    let conditions = conditional_rules(schemas, fields);
    if !conditions.is_empty() {
        schema.insert("allOf".into(), Value::Array(conditions));
    }
    Value::Object(schema)
}

/// The default-level rules that apply only `when` a sibling has a value, as `if`/`then` pairs
/// (JSON Schema 2020-12, so only in 3.1; in 3.0 they stay in `x-wecard-rules`).
fn conditional_rules(schemas: &Schemas<'_>, fields: &[&Field]) -> Vec<Value> {
    if schemas.version != OpenApiVersion::V3_1 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for field in fields {
        for rule in field.rules() {
            let Some(when) = rule.when() else {
                continue;
            };
            if rule.level() != Level::Default || enforced(rule) {
                continue;
            }
            let Some(keywords) = rule_keywords(field.ty(), rule.kind()) else {
                continue;
            };
            let sibling = fields.iter().find(|f| f.wire_name() == when.field());
            let mut equals = vec![scalar(when.equals())];
            if sibling.is_some_and(|s| s.lenient() || s.wire() == crate::model::Wire::String)
                && let crate::spec::Scalar::Int(code) = when.equals()
            {
                equals.push(json!(code.to_string()));
            }
            out.push(json!({
                "if": {
                    "properties": { when.field(): { "enum": equals } },
                    "required": [when.field()],
                },
                "then": { "properties": { field.wire_name(): keywords } },
            }));
        }
    }
    out
}

/// The keywords of one rule on a value of type `ty` (lists: on every item, except `items`).
fn rule_keywords(ty: &Type, rule: &RuleKind) -> Option<Value> {
    if let (Type::List(_), RuleKind::Items { min, max }) = (ty, rule) {
        let mut map = Map::new();
        bounds(&mut map, "minItems", "maxItems", *min, *max);
        return Some(Value::Object(map));
    }
    let mut map = Map::new();
    match rule {
        RuleKind::Length { min, max } => bounds(&mut map, "minLength", "maxLength", *min, *max),
        RuleKind::Range { min, max } => bounds(&mut map, "minimum", "maximum", *min, *max),
        RuleKind::Pattern(pattern) => {
            map.insert("pattern".into(), json!(anchored(pattern)));
        }
        RuleKind::Format(format) => {
            map.insert("format".into(), json!(json_schema_format(*format)?));
        }
        RuleKind::OneOf(values) => {
            map.insert("enum".into(), values.iter().map(scalar).collect());
        }
        RuleKind::Items { .. } => return None,
    }
    let mut wrapped = Value::Object(map);
    let mut level = ty;
    while let Type::List(inner) = level {
        wrapped = json!({ "items": wrapped });
        level = inner;
    }
    Some(wrapped)
}

fn bounds(map: &mut Map<String, Value>, low: &str, high: &str, min: Option<i64>, max: Option<i64>) {
    if let Some(min) = min {
        map.insert(low.into(), json!(min));
    }
    if let Some(max) = max {
        map.insert(high.into(), json!(max));
    }
}

/// Adds `x-wecard-note` and `x-wecard-source` when present.
pub(super) fn provenance(schema: &mut Value, note: Option<&str>, source: Option<&str>) {
    if let Value::Object(map) = schema {
        if let Some(note) = note {
            map.insert("x-wecard-note".into(), json!(note));
        }
        if let Some(source) = source {
            map.insert("x-wecard-source".into(), json!(source));
        }
    }
}

/// A record's schema.
pub(super) fn record(schemas: &Schemas<'_>, record: &Record) -> Value {
    let fields: Vec<&Field> = record.fields().iter().collect();
    let mut schema = object(schemas, Some(record.description()), &fields, &[]);
    provenance(&mut schema, record.note(), record.source());
    schema
}

/// An enum's schema: its known codes, with their names and descriptions as extensions.
pub(super) fn enumeration(definition: &Enum) -> Value {
    let ty = match definition.repr() {
        EnumRepr::Int => "integer",
        EnumRepr::String => "string",
    };
    let values = definition.values();
    let mut schema = json!({
        "type": ty,
        "description": definition.description(),
        "enum": values.iter().map(|v| scalar(v.code())).collect::<Vec<_>>(),
        "x-enum-varnames": values.iter().map(|v| v.variant()).collect::<Vec<_>>(),
        "x-enum-descriptions": values.iter().map(|v| v.description()).collect::<Vec<_>>(),
        "x-wecard-enum-names": values.iter().map(|v| v.spec_name()).collect::<Vec<_>>(),
        "x-wecard-open": true,
    });
    if ty == "integer"
        && let Value::Object(map) = &mut schema
    {
        map.insert("format".into(), json!("int64"));
    }
    provenance(&mut schema, definition.note(), definition.source());
    schema
}

/// How a client handles an error code, as the spec writes it.
pub(super) fn handling_name(handling: Handling) -> &'static str {
    match handling {
        Handling::RefreshToken => "refresh_token",
        Handling::Configuration => "configuration",
        Handling::Request => "request",
        Handling::NotFound => "not_found",
        Handling::Permission => "permission",
    }
}

/// The error-code table as an integer enum of the known `errcode` values.
pub(super) fn error_codes(codes: &[ErrorCode]) -> Value {
    json!({
        "type": "integer",
        "format": "int64",
        "description": "The known error values of errcode (0, success, is not one of them).",
        "enum": codes.iter().map(ErrorCode::code).collect::<Vec<_>>(),
        "x-enum-varnames": codes.iter().map(ErrorCode::variant).collect::<Vec<_>>(),
        "x-enum-descriptions": codes.iter().map(ErrorCode::description).collect::<Vec<_>>(),
        "x-wecard-error-codes": codes.iter().map(|code| {
            let mut row = json!({
                "code": code.code(),
                "name": code.spec_name(),
                "description": code.description(),
                "handling": handling_name(code.handling()),
            });
            if let Value::Object(map) = &mut row {
                if let Some(meaning) = code.meaning() {
                    map.insert("meaning".into(), json!(meaning));
                }
                if let Some(note) = code.note() {
                    map.insert("note".into(), json!(note));
                }
            }
            row
        }).collect::<Vec<_>>(),
        "x-wecard-open": true,
    })
}

/// The request body's schema; a body token is its first, required property.
pub(super) fn request(schemas: &Schemas<'_>, endpoint: &Endpoint, token: Option<Value>) -> Value {
    let message = endpoint.request();
    let fields: Vec<&Field> = message.fields().iter().collect();
    let extra: Vec<(String, Value, bool)> = token
        .map(|schema| (schemas.model.api().token_param().to_owned(), schema, true))
        .into_iter()
        .collect();
    let mut schema = object(schemas, message.description(), &fields, &extra);
    provenance(&mut schema, message.note(), None);
    schema
}

/// The reply's schema: the envelope's fields (unless the endpoint has none), then the payload.
pub(super) fn response(schemas: &Schemas<'_>, endpoint: &Endpoint) -> Value {
    let message = endpoint.response();
    let envelope = if endpoint.envelope() {
        schemas.model.api().envelope()
    } else {
        &[]
    };
    let fields: Vec<&Field> = envelope.iter().chain(message.fields()).collect();
    let mut schema = object(schemas, message.description(), &fields, &[]);
    if endpoint.envelope()
        && let Value::Object(map) = &mut schema
    {
        map.insert(
            "x-wecard-envelope".into(),
            json!(envelope.iter().map(Field::wire_name).collect::<Vec<_>>()),
        );
    }
    provenance(&mut schema, message.note(), None);
    schema
}
