//! Lowering a checked spec into the model. The checker has already rejected everything that
//! could fail here; what cannot be resolved anyway is returned as an error, never a panic.

use heck::ToUpperCamelCase;

use crate::names;
use crate::spec::{
    self, EnumRepr, FieldDef, Located, RuleDef, RuleLevel, Scalar, Spec, TypeExpr, WireForm,
};

use super::{
    Api, Change, Condition, Endpoint, Enum, EnumValue, ErrorCode, Event, Events, Field, Format,
    Level, Message, Model, Paging, Record, Rule, RuleKind, Type, UserNames, Wire,
};

type Lowered<T> = Result<T, String>;

fn text(value: &Option<Located<String>>) -> Option<String> {
    value.as_ref().map(|v| v.value.clone())
}

/// Builds the model of a spec that passed [`crate::check`].
pub(crate) fn lower(spec: &Spec, source_name: &str) -> Lowered<Model> {
    let api = Api {
        name: spec.api.name.value.clone(),
        description: text(&spec.api.description),
        base_url: spec.api.base_url.value.clone(),
        method: spec.api.method.value,
        content_type: spec.api.content_type.value.clone(),
        token_param: spec.api.token_param.value.clone(),
        envelope: fields(spec, &spec.api.envelope)?,
        grant_instructions: text(&spec.api.grant_instructions),
        note: text(&spec.api.note),
        source: text(&spec.api.source),
    };
    let changelog = spec
        .changelog
        .iter()
        .map(|entry| Change {
            date: entry.date.value.clone(),
            description: entry.description.value.clone(),
            note: text(&entry.note),
        })
        .collect();
    let enums: Vec<Enum> = spec
        .enums
        .iter()
        .map(|definition| {
            let values = definition
                .values
                .iter()
                .map(|value| {
                    Ok(EnumValue {
                        code: value.value.value.clone(),
                        spec_name: value.name.value.clone(),
                        variant: variant(&value.name.value)?,
                        description: value.description.value.clone(),
                        text: text(&value.text),
                        note: text(&value.note),
                    })
                })
                .collect::<Lowered<_>>()?;
            Ok(Enum {
                name: definition.name.value.clone(),
                description: definition.description.value.clone(),
                repr: definition.repr.value,
                values,
                note: text(&definition.note),
                source: text(&definition.source),
            })
        })
        .collect::<Lowered<_>>()?;
    let records: Vec<Record> = spec
        .records
        .iter()
        .map(|record| {
            Ok(Record {
                name: record.name.value.clone(),
                description: record.description.value.clone(),
                fields: fields(spec, &record.fields)?,
                note: text(&record.note),
                source: text(&record.source),
            })
        })
        .collect::<Lowered<_>>()?;
    let error_codes = spec
        .error_codes
        .iter()
        .map(|entry| {
            Ok(ErrorCode {
                code: entry.code.value,
                spec_name: entry.name.value.clone(),
                variant: variant(&entry.name.value)?,
                description: entry.description.value.clone(),
                meaning: text(&entry.meaning),
                handling: entry.handling.value,
                note: text(&entry.note),
            })
        })
        .collect::<Lowered<_>>()?;
    let endpoints: Vec<Endpoint> = spec
        .endpoints
        .iter()
        .map(|endpoint| endpoint_model(spec, endpoint))
        .collect::<Lowered<_>>()?;
    let user = match &spec.user {
        Some(user) => {
            let create = &user.create.value;
            let member = &user.member.value;
            if !endpoints.iter().any(|e| &e.id == create) {
                return Err(format!("`user.create` names no endpoint: `{create}`"));
            }
            if !records.iter().any(|r| &r.name == member) {
                return Err(format!("`user.member` names no record: `{member}`"));
            }
            Some(UserNames {
                create: create.clone(),
                member: member.clone(),
                note: text(&user.note),
            })
        }
        None => None,
    };
    let events = match &spec.events {
        Some(section) => Some(events_model(section, &enums, &records)?),
        None => None,
    };
    Ok(Model {
        source_name: source_name.to_string(),
        api,
        changelog,
        enums,
        records,
        error_codes,
        endpoints,
        user,
        events,
    })
}

fn events_model(section: &spec::EventsDef, enums: &[Enum], records: &[Record]) -> Lowered<Events> {
    let codes = &section.codes.value;
    let Some(code_enum) = enums.iter().find(|e| &e.name == codes) else {
        return Err(format!("`events.codes` names no enum: `{codes}`"));
    };
    let list = section
        .list
        .iter()
        .map(|event| {
            let code = &event.code.value;
            let Some(value) = code_enum
                .values
                .iter()
                .find(|value| matches!(&value.code, Scalar::String(c) if c == code))
            else {
                return Err(format!("event `{code}` is not a value of `{codes}`"));
            };
            let payload = &event.payload.value;
            let payload = if payload == spec::UNDOCUMENTED_PAYLOAD {
                None
            } else if records.iter().any(|r| &r.name == payload) {
                Some(payload.clone())
            } else {
                return Err(format!("event `{code}` names no record: `{payload}`"));
            };
            Ok(Event {
                code: code.clone(),
                variant: value.variant.clone(),
                payload,
                description: event.description.value.clone(),
                note: text(&event.note),
                source: text(&event.source),
            })
        })
        .collect::<Lowered<_>>()?;
    Ok(Events {
        codes: codes.clone(),
        description: text(&section.description),
        note: text(&section.note),
        source: text(&section.source),
        list,
    })
}

fn variant(name: &str) -> Lowered<String> {
    names::type_ident(name).ok_or_else(|| format!("`{name}` has no Rust variant name"))
}

fn endpoint_model(spec: &Spec, endpoint: &spec::EndpointDef) -> Lowered<Endpoint> {
    let id = &endpoint.id.value;
    let message = |definition: &Option<spec::MessageDef>, type_name: String| -> Lowered<Message> {
        Ok(match definition {
            Some(definition) => Message {
                type_name,
                description: text(&definition.description),
                fields: fields(spec, &definition.fields)?,
                note: text(&definition.note),
            },
            None => Message {
                type_name,
                description: None,
                fields: Vec::new(),
                note: None,
            },
        })
    };
    Ok(Endpoint {
        id: id.clone(),
        summary: endpoint.summary.value.clone(),
        description: text(&endpoint.description),
        path: endpoint.path.value.clone(),
        method: endpoint
            .method
            .as_ref()
            .map_or(spec.api.method.value, |m| m.value),
        token: endpoint.token.value,
        envelope: endpoint.envelope.as_ref().is_none_or(|e| e.value),
        request: message(&endpoint.request, names::request_type(id))?,
        response: message(&endpoint.response, names::response_type(id))?,
        paging: endpoint.paging.as_ref().map(|paging| Paging {
            page: paging.page.value.clone(),
            page_size: paging.page_size.value.clone(),
            total: paging.total.value.clone(),
            items: paging.items.value.clone(),
            max_page_size: paging.max_page_size.as_ref().map(|m| m.value),
        }),
        note: text(&endpoint.note),
        source: text(&endpoint.source),
    })
}

fn fields(spec: &Spec, definitions: &[FieldDef]) -> Lowered<Vec<Field>> {
    definitions
        .iter()
        .map(|field| lower_field(spec, field))
        .collect()
}

fn resolve(spec: &Spec, expr: &TypeExpr) -> Lowered<Type> {
    Ok(match expr {
        TypeExpr::String => Type::String,
        TypeExpr::Int => Type::Int,
        TypeExpr::Bool => Type::Bool,
        TypeExpr::DateTime => Type::DateTime,
        TypeExpr::List(inner) => Type::List(Box::new(resolve(spec, inner)?)),
        TypeExpr::Named(name) => {
            if spec.enums.iter().any(|e| &e.name.value == name) {
                Type::Enum(name.to_upper_camel_case())
            } else if spec.records.iter().any(|r| &r.name.value == name) {
                Type::Record(name.to_upper_camel_case())
            } else {
                return Err(format!("type `{name}` is not defined"));
            }
        }
    })
}

fn lower_field(spec: &Spec, field: &FieldDef) -> Lowered<Field> {
    let flag = |value: &Option<Located<bool>>| value.as_ref().is_some_and(|v| v.value);
    let expr = &field.ty.value;
    let rust_name = match &field.rust_name {
        Some(name) => name.value.clone(),
        None => names::field_ident(&field.name.value)
            .ok_or_else(|| format!("`{}` has no Rust field name", field.name.value))?,
    };
    Ok(Field {
        wire_name: field.name.value.clone(),
        rust_name,
        ty: resolve(spec, expr)?,
        required: flag(&field.required),
        needs_grant: flag(&field.needs_grant),
        since: text(&field.since),
        description: field.description.value.clone(),
        example: field.example.as_ref().map(|e| e.value.clone()),
        default: field.default.as_ref().map(|d| d.value.clone()),
        rules: field
            .rules
            .iter()
            .map(|rule| lower_rule(&rule.value))
            .collect::<Lowered<_>>()?,
        wire: match field.wire.as_ref().map(|w| w.value) {
            Some(WireForm::String) if !is_text(spec, expr) => Wire::String,
            _ => Wire::Natural,
        },
        lenient: flag(&field.lenient),
        nullable: flag(&field.nullable),
        secret: flag(&field.secret),
        note: text(&field.note),
    })
}

/// Whether values of this type are already JSON strings (so `wire: string` changes nothing).
fn is_text(spec: &Spec, expr: &TypeExpr) -> bool {
    match expr {
        TypeExpr::String | TypeExpr::DateTime => true,
        TypeExpr::Named(name) => spec
            .enums
            .iter()
            .any(|e| &e.name.value == name && e.repr.value == EnumRepr::String),
        _ => false,
    }
}

fn lower_rule(rule: &RuleDef) -> Lowered<Rule> {
    let bounds = |b: &Located<spec::Bounds>| {
        (
            b.value.min.as_ref().map(|m| m.value),
            b.value.max.as_ref().map(|m| m.value),
        )
    };
    let mut compiled = None;
    let kind = if let Some(b) = &rule.length {
        let (min, max) = bounds(b);
        RuleKind::Length { min, max }
    } else if let Some(b) = &rule.range {
        let (min, max) = bounds(b);
        RuleKind::Range { min, max }
    } else if let Some(b) = &rule.items {
        let (min, max) = bounds(b);
        RuleKind::Items { min, max }
    } else if let Some(pattern) = &rule.pattern {
        let tables = pattern.value.compiled().map_err(|problem| {
            format!(
                "pattern `{}` does not compile: {problem}",
                pattern.value.source
            )
        })?;
        compiled = Some(std::sync::Arc::clone(tables));
        RuleKind::Pattern(pattern.value.source.clone())
    } else if let Some(format) = &rule.format {
        RuleKind::Format(
            Format::from_name(&format.value)
                .ok_or_else(|| format!("unknown format `{}`", format.value))?,
        )
    } else if let Some(values) = &rule.one_of {
        RuleKind::OneOf(values.value.clone())
    } else {
        return Err("a rule checks nothing".into());
    };
    Ok(Rule {
        kind,
        compiled,
        level: match rule.level.as_ref().map(|l| l.value) {
            Some(RuleLevel::Strict) => Level::Strict,
            _ => Level::Default,
        },
        when: rule.when.as_ref().map(|c| Condition {
            field: c.field.value.clone(),
            equals: c.equals.value.clone(),
        }),
        note: text(&rule.note),
    })
}
