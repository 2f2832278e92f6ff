//! The JSON Schema of one field's value: its type, its wire forms, its rules and its annotations.

use serde_json::{Map, Value, json};

use super::OpenApiVersion;
use crate::model::{Field, Format, Level, Model, Rule, RuleKind, Type, Wire};
use crate::spec::{EnumRepr, Scalar};

/// A `$ref` to a component schema.
pub(super) fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// A scalar code as JSON.
pub(super) fn scalar(value: &Scalar) -> Value {
    match value {
        Scalar::Int(number) => json!(number),
        Scalar::String(text) => json!(text),
    }
}

/// The JSON forms of a code: the code itself, and for an integer read leniently or written as a
/// string, also its decimal text.
fn scalar_forms(value: &Scalar, both: bool) -> Vec<Value> {
    match value {
        Scalar::Int(number) if both => vec![json!(number), json!(number.to_string())],
        other => vec![scalar(other)],
    }
}

/// An integer written as text: what a `wire: string` or lenient `int` looks like as a string.
const INTEGER_TEXT: &str = "^-?[0-9]+$";

/// Builds field schemas for one model and one OpenAPI version.
pub(super) struct Schemas<'a> {
    pub(super) model: &'a Model,
    pub(super) version: OpenApiVersion,
}

impl Schemas<'_> {
    /// The schema of a field as a property or a parameter: its value, its default-level rules,
    /// its description, example and `x-wecard-*` annotations.
    pub(super) fn field(&self, field: &Field) -> Value {
        let mut schema = self.value(field, field.ty(), true);
        if field.nullable() {
            schema = self.nullable(schema);
        }
        let mut annotations = Map::new();
        annotations.insert("description".into(), json!(field.description()));
        if let Some(example) = field.example() {
            match self.version {
                OpenApiVersion::V3_1 => annotations.insert("examples".into(), json!([example])),
                OpenApiVersion::V3_0 => annotations.insert("example".into(), example.clone()),
            };
        }
        if let Some(default) = field.default() {
            annotations.insert("default".into(), default.clone());
        }
        if field.needs_grant() {
            annotations.insert("x-wecard-needs-grant".into(), json!(true));
        }
        if field.lenient() {
            annotations.insert("x-wecard-lenient".into(), json!(true));
        }
        if field.wire() == Wire::String {
            annotations.insert("x-wecard-wire".into(), json!("string"));
        }
        if field.secret() {
            annotations.insert("x-wecard-secret".into(), json!(true));
        }
        if let Some(since) = field.since() {
            annotations.insert("x-wecard-since".into(), json!(since));
        }
        if let Some(note) = field.note() {
            annotations.insert("x-wecard-note".into(), json!(note));
        }
        let unenforced: Vec<Value> = field
            .rules()
            .iter()
            .filter(|rule| !enforced(rule))
            .map(rule_json)
            .collect();
        if !unenforced.is_empty() {
            annotations.insert("x-wecard-rules".into(), Value::Array(unenforced));
        }
        self.annotate(schema, annotations)
    }

    /// Adds annotations to a schema. OpenAPI 3.0 ignores every keyword beside a `$ref`, so there
    /// a reference is first wrapped in an `allOf`.
    fn annotate(&self, schema: Value, annotations: Map<String, Value>) -> Value {
        let mut schema = match schema {
            Value::Object(map)
                if self.version == OpenApiVersion::V3_0 && map.contains_key("$ref") =>
            {
                let mut wrapper = Map::new();
                wrapper.insert("allOf".into(), json!([Value::Object(map)]));
                wrapper
            }
            Value::Object(map) => map,
            other => {
                let mut wrapper = Map::new();
                wrapper.insert("allOf".into(), json!([other]));
                wrapper
            }
        };
        schema.extend(annotations);
        Value::Object(schema)
    }

    /// Lets a schema also be `null`.
    fn nullable(&self, schema: Value) -> Value {
        let Value::Object(mut map) = schema else {
            return schema;
        };
        if map.contains_key("$ref") || map.contains_key("anyOf") || map.contains_key("allOf") {
            return match self.version {
                OpenApiVersion::V3_1 => {
                    json!({ "anyOf": [Value::Object(map), { "type": "null" }] })
                }
                OpenApiVersion::V3_0 => json!({ "allOf": [Value::Object(map)], "nullable": true }),
            };
        }
        match self.version {
            OpenApiVersion::V3_1 => {
                let types = match map.remove("type") {
                    Some(Value::Array(mut types)) => {
                        types.push(json!("null"));
                        types
                    }
                    Some(single) => vec![single, json!("null")],
                    None => Vec::new(),
                };
                if !types.is_empty() {
                    map.insert("type".into(), Value::Array(types));
                }
                if let Some(Value::Array(values)) = map.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            OpenApiVersion::V3_0 => {
                map.insert("nullable".into(), json!(true));
            }
        }
        Value::Object(map)
    }

    /// The schema of a value of type `ty` (a field's type, or a list's item type), with the
    /// field's default-level, unconditional rules. `outer` is true for the field's own type.
    fn value(&self, field: &Field, ty: &Type, outer: bool) -> Value {
        let rules: Vec<&RuleKind> = field
            .rules()
            .iter()
            .filter(|rule| enforced(rule))
            .map(Rule::kind)
            .collect();
        if let Type::List(item) = ty {
            let mut schema = Map::new();
            schema.insert("type".into(), json!("array"));
            schema.insert("items".into(), self.value(field, item, false));
            if outer {
                for rule in &rules {
                    if let RuleKind::Items { min, max } = rule {
                        insert_bound(&mut schema, "minItems", *min);
                        insert_bound(&mut schema, "maxItems", *max);
                    }
                }
            }
            return Value::Object(schema);
        }
        let item_rules: Vec<&RuleKind> = rules
            .into_iter()
            .filter(|rule| !matches!(rule, RuleKind::Items { .. }))
            .collect();
        // `wire` applies to single values only; leniency to every value read.
        let text_too = field.lenient() || (field.wire() == Wire::String && !is_list(field.ty()));
        match ty {
            Type::Enum(name) => self.enum_value(name, text_too, &item_rules),
            Type::Record(name) => reference(name),
            Type::String | Type::DateTime => {
                let mut forms = vec![Form::new("string")];
                if *ty == Type::DateTime {
                    forms[0]
                        .keywords
                        .insert("x-wecard-type".into(), json!("datetime"));
                }
                if field.lenient() && *ty == Type::String {
                    forms.push(Form::new("integer"));
                }
                for rule in &item_rules {
                    string_rule(&mut forms[0].keywords, rule);
                }
                one_of(&mut forms, &item_rules, false);
                self.forms(forms)
            }
            Type::Int => {
                let mut forms = vec![Form::new("integer")];
                forms[0].keywords.insert("format".into(), json!("int64"));
                if text_too {
                    let mut text = Form::new("string");
                    text.keywords.insert("pattern".into(), json!(INTEGER_TEXT));
                    forms.push(text);
                }
                for rule in &item_rules {
                    if let RuleKind::Range { min, max } = rule {
                        insert_bound(&mut forms[0].keywords, "minimum", *min);
                        insert_bound(&mut forms[0].keywords, "maximum", *max);
                    }
                }
                one_of(&mut forms, &item_rules, text_too);
                self.forms(forms)
            }
            Type::Bool => json!({ "type": "boolean" }),
            // Lists returned above; this arm only completes the match.
            Type::List(_) => Value::Null,
        }
    }

    /// An enum-typed value: a reference to the enum's schema, widened to the codes' text when
    /// integer codes may travel as strings, and narrowed by a `one_of` rule.
    fn enum_value(&self, name: &str, text_too: bool, rules: &[&RuleKind]) -> Value {
        let Some(definition) = self.model.enum_named(name) else {
            return reference(name);
        };
        let int_codes = definition.repr() == EnumRepr::Int;
        let mut schema = reference(name);
        if int_codes && text_too {
            let texts: Vec<Value> = definition
                .values()
                .iter()
                .map(|value| json!(value.code().to_string()))
                .collect();
            schema = json!({ "anyOf": [schema, { "type": "string", "enum": texts }] });
        }
        let allowed: Vec<Value> = rules
            .iter()
            .filter_map(|rule| match rule {
                RuleKind::OneOf(values) => Some(values),
                _ => None,
            })
            .flat_map(|values| values.iter())
            .flat_map(|value| scalar_forms(value, int_codes && text_too))
            .collect();
        if allowed.is_empty() {
            schema
        } else {
            json!({ "allOf": [schema, { "enum": allowed }] })
        }
    }

    /// One schema from the JSON forms a value may take: a `type` array in 3.1 (every keyword
    /// used applies to one form only), an `anyOf` in 3.0.
    fn forms(&self, forms: Vec<Form>) -> Value {
        if forms.len() == 1 || self.version == OpenApiVersion::V3_1 {
            let mut merged = Map::new();
            let mut types = Vec::new();
            let mut values = Vec::new();
            for form in forms {
                types.push(json!(form.ty));
                values.extend(form.values);
                for (key, value) in form.keywords {
                    merged.insert(key, value);
                }
            }
            let ty = if types.len() == 1 {
                types.remove(0)
            } else {
                Value::Array(types)
            };
            merged.insert("type".into(), ty);
            if !values.is_empty() {
                merged.insert("enum".into(), Value::Array(values));
            }
            return Value::Object(merged);
        }
        let alternatives: Vec<Value> = forms
            .into_iter()
            .map(|form| {
                let mut schema = form.keywords;
                schema.insert("type".into(), json!(form.ty));
                if !form.values.is_empty() {
                    schema.insert("enum".into(), Value::Array(form.values));
                }
                Value::Object(schema)
            })
            .collect();
        json!({ "anyOf": alternatives })
    }
}

/// One JSON form of a scalar value: its JSON type, the keywords that constrain it, and the
/// values a `one_of` rule allows in that form.
struct Form {
    ty: &'static str,
    keywords: Map<String, Value>,
    values: Vec<Value>,
}

impl Form {
    fn new(ty: &'static str) -> Self {
        Self {
            ty,
            keywords: Map::new(),
            values: Vec::new(),
        }
    }
}

fn is_list(ty: &Type) -> bool {
    matches!(ty, Type::List(_))
}

/// Whether the schema's keywords enforce the rule: default level and unconditional. The others
/// (strict rules, conditional rules) are listed in `x-wecard-rules`.
pub(super) fn enforced(rule: &Rule) -> bool {
    rule.level() == Level::Default && rule.when().is_none()
}

fn insert_bound(schema: &mut Map<String, Value>, keyword: &str, bound: Option<i64>) {
    if let Some(bound) = bound {
        schema.insert(keyword.into(), json!(bound));
    }
}

/// Adds `keyword: value` to a schema; when the keyword is already there (two patterns), the new
/// one goes into an `allOf` so both apply.
fn add_keyword(schema: &mut Map<String, Value>, keyword: &str, value: Value) {
    if schema.contains_key(keyword) {
        let extra = json!({ keyword: value });
        match schema.get_mut("allOf") {
            Some(Value::Array(list)) => list.push(extra),
            _ => {
                schema.insert("allOf".into(), json!([extra]));
            }
        }
    } else {
        schema.insert(keyword.into(), value);
    }
}

/// The keywords of a rule on a string value.
fn string_rule(schema: &mut Map<String, Value>, rule: &RuleKind) {
    match rule {
        RuleKind::Length { min, max } => {
            insert_bound(schema, "minLength", *min);
            insert_bound(schema, "maxLength", *max);
        }
        RuleKind::Pattern(pattern) => add_keyword(schema, "pattern", json!(anchored(pattern))),
        RuleKind::Format(format) => {
            if let Some(standard) = json_schema_format(*format) {
                add_keyword(schema, "format", json!(standard));
            }
            if json_schema_format(*format) != Some(format.name()) {
                add_keyword(schema, "x-wecard-format", json!(format.name()));
            }
        }
        _ => {}
    }
}

/// Puts a `one_of` rule's values into the forms they belong to.
fn one_of(forms: &mut [Form], rules: &[&RuleKind], text_too: bool) {
    for rule in rules {
        let RuleKind::OneOf(values) = rule else {
            continue;
        };
        for value in values {
            for form_value in scalar_forms(value, text_too) {
                let ty = if form_value.is_string() {
                    "string"
                } else {
                    "integer"
                };
                if let Some(form) = forms.iter_mut().find(|form| form.ty == ty) {
                    form.values.push(form_value);
                }
            }
        }
    }
}

/// A spec pattern matches the whole value; a JSON Schema pattern matches anywhere.
pub(super) fn anchored(pattern: &str) -> String {
    format!("^(?:{pattern})$")
}

/// The JSON Schema format with the same meaning, where one exists.
pub(super) fn json_schema_format(format: Format) -> Option<&'static str> {
    match format {
        Format::Email => Some("email"),
        Format::Url => Some("uri"),
        _ => None,
    }
}

/// A rule in the spec's own form, for `x-wecard-rules`.
pub(super) fn rule_json(rule: &Rule) -> Value {
    let mut out = Map::new();
    let bounds = |min: &Option<i64>, max: &Option<i64>| {
        let mut bounds = Map::new();
        if let Some(min) = min {
            bounds.insert("min".into(), json!(min));
        }
        if let Some(max) = max {
            bounds.insert("max".into(), json!(max));
        }
        Value::Object(bounds)
    };
    let (key, value) = match rule.kind() {
        RuleKind::Length { min, max } => ("length", bounds(min, max)),
        RuleKind::Range { min, max } => ("range", bounds(min, max)),
        RuleKind::Items { min, max } => ("items", bounds(min, max)),
        RuleKind::Pattern(pattern) => ("pattern", json!(pattern)),
        RuleKind::Format(format) => ("format", json!(format.name())),
        RuleKind::OneOf(values) => ("one_of", values.iter().map(scalar).collect()),
    };
    out.insert(key.into(), value);
    out.insert(
        "level".into(),
        json!(match rule.level() {
            Level::Default => "default",
            Level::Strict => "strict",
        }),
    );
    if let Some(when) = rule.when() {
        out.insert(
            "when".into(),
            json!({ "field": when.field(), "equals": scalar(when.equals()) }),
        );
    }
    if let Some(note) = rule.note() {
        out.insert("note".into(), json!(note));
    }
    Value::Object(out)
}
