//! Examples and defaults checked against their field: its type (read as the server or a user
//! would write it) and its default-level rules.

use serde_json::Value as Json;

use crate::diagnostic::a;
use crate::spec::{Bounds, EnumRepr, FieldDef, RuleDef, RuleLevel, Scalar, TypeExpr, WireForm};
use wecard_runtime::rules::{self, Format, Requirement};

use super::fields::{FieldSet, Vocabulary};

/// Whether `value` is a valid JSON form of a field of type `ty` (reading it as the server or a
/// user would write it).
pub(super) fn check_value(
    ty: &TypeExpr,
    field: &FieldDef,
    value: &Json,
    vocabulary: &Vocabulary<'_>,
    depth: usize,
) -> Result<(), String> {
    let loose = field.lenient.as_ref().is_some_and(|l| l.value)
        || field
            .wire
            .as_ref()
            .is_some_and(|w| w.value == WireForm::String);
    let int_of = |value: &Json| match value {
        Json::Number(n) => n.as_i64(),
        Json::String(s) if loose => s.parse().ok(),
        _ => None,
    };
    match ty {
        TypeExpr::String => match value {
            Json::String(_) => Ok(()),
            Json::Number(_) if loose => Ok(()),
            other => Err(format!("expected a string, found {other}")),
        },
        TypeExpr::Int => int_of(value)
            .map(|_| ())
            .ok_or_else(|| format!("expected an integer, found {value}")),
        TypeExpr::Bool => value
            .is_boolean()
            .then_some(())
            .ok_or_else(|| format!("expected true or false, found {value}")),
        TypeExpr::DateTime => match value.as_str() {
            Some(text) if wecard_runtime::formats::datetime_parts(text, true).is_some() => Ok(()),
            _ => Err(format!(
                "expected a datetime `YYYY-MM-DD HH:MM:SS`, found {value}"
            )),
        },
        TypeExpr::List(item) => match value {
            Json::Array(items) => items
                .iter()
                .try_for_each(|v| check_value(item, field, v, vocabulary, depth)),
            other => Err(format!("expected a list, found {other}")),
        },
        TypeExpr::Named(name) => {
            if let Some(definition) = vocabulary.enums.get(name.as_str()) {
                if vocabulary.broken_enums.contains(name.as_str()) {
                    return Ok(());
                }
                let code = match definition.repr.value {
                    EnumRepr::Int => int_of(value).map(Scalar::Int),
                    EnumRepr::String => value.as_str().map(|s| Scalar::String(s.into())),
                };
                return match code {
                    Some(code) if definition.values.iter().any(|v| v.value.value == code) => Ok(()),
                    Some(code) => Err(format!("{code} is not a known `{name}` code")),
                    None => Err(format!("{value} is not {}", a(&format!("`{name}` code")))),
                };
            }
            let (Some(record), Json::Object(map)) = (vocabulary.records.get(name.as_str()), value)
            else {
                return Err(format!(
                    "expected {}, found {value}",
                    a(&format!("`{name}` object"))
                ));
            };
            if depth > 16 {
                return Ok(());
            }
            for nested in &record.fields {
                match (map.get(&nested.name.value), &nested.ty.value) {
                    (Some(item), nested_ty) => {
                        check_value(nested_ty, nested, item, vocabulary, depth + 1)
                            .map_err(|problem| format!("`{}`: {problem}", nested.name.value))?
                    }
                    (None, _) if nested.required.as_ref().is_some_and(|r| r.value) => {
                        return Err(format!("required field `{}` is missing", nested.name.value));
                    }
                    _ => {}
                }
            }
            Ok(())
        }
    }
}

/// The first default-level rule that `value` breaks, if any.
pub(super) fn rule_problem(
    field: &FieldDef,
    ty: &TypeExpr,
    value: &Json,
    set: &FieldSet<'_>,
) -> Option<String> {
    for rule in field.rules.iter().map(|rule| &rule.value) {
        if rule
            .level
            .as_ref()
            .is_some_and(|l| l.value == RuleLevel::Strict)
        {
            continue;
        }
        if let Some(condition) = &rule.when {
            let sibling = set
                .fields
                .iter()
                .find(|f| f.name.value == condition.field.value);
            let example = sibling.and_then(|f| f.example.as_ref()).map(|e| &e.value);
            let holds = match (example, &condition.equals.value) {
                (Some(Json::Number(n)), Scalar::Int(want)) => n.as_i64() == Some(*want),
                (Some(Json::String(s)), Scalar::Int(want)) => s.parse::<i64>().ok() == Some(*want),
                (Some(Json::String(s)), Scalar::String(want)) => s == want,
                _ => false,
            };
            if !holds {
                continue;
            }
        }
        if let (Some(bounds), Json::Array(items)) = (&rule.items, value) {
            let (min, max) = limits(&bounds.value);
            if !rules::items_ok(items.len(), min, max) {
                let shown = format!("{} items", items.len());
                return Some(broken(&shown, Requirement::Items { min, max }));
            }
        }
        let items: Vec<&Json> = match (ty, value) {
            (TypeExpr::List(_), Json::Array(items)) => items.iter().collect(),
            _ => vec![value],
        };
        for item in items {
            if let Some(problem) = item_rule_problem(rule, item) {
                return Some(problem);
            }
        }
    }
    None
}

/// The rule `value` breaks, in the runtime's words: the same functions and texts that
/// generated validators use, so an example is checked exactly as a request would be.
fn item_rule_problem(rule: &RuleDef, value: &Json) -> Option<String> {
    let text = match value {
        Json::String(s) => Some(s.clone()),
        Json::Number(n) => Some(n.to_string()),
        _ => None,
    };
    if let (Some(bounds), Some(text)) = (&rule.length, &text) {
        let (min, max) = limits(&bounds.value);
        if !rules::length_ok(text, min, max) {
            let shown = format!("{text:?} ({} characters)", rules::char_len(text));
            return Some(broken(&shown, Requirement::Length { min, max }));
        }
    }
    if let (Some(bounds), Some(n)) = (
        &rule.range,
        text.as_ref().and_then(|t| t.parse::<i64>().ok()),
    ) {
        let (min, max) = limits(&bounds.value);
        if !rules::range_ok(n, min, max) {
            return Some(broken(&n.to_string(), Requirement::Range { min, max }));
        }
    }
    if let (Some(pattern), Some(text)) = (&rule.pattern, &text)
        && pattern
            .value
            .compiled()
            .is_ok_and(|compiled| !compiled.is_full_match(text))
    {
        return Some(broken(
            &format!("{text:?}"),
            Requirement::Pattern(&pattern.value.source),
        ));
    }
    if let (Some(format), Some(text)) = (&rule.format, &text)
        && let Some(format) = Format::from_name(&format.value).filter(|f| !f.accepts(text))
    {
        return Some(broken(&format!("{text:?}"), Requirement::Format(format)));
    }
    if let Some(one_of) = &rule.one_of {
        let wire = match value {
            Json::Number(n) => Some(n.to_string()),
            Json::String(s) => Some(s.clone()),
            _ => None,
        };
        let allowed: Vec<String> = one_of.value.iter().map(scalar_text).collect();
        if let Some(wire) = wire.filter(|wire| !rules::one_of_ok(wire, &allowed)) {
            let allowed: Vec<&str> = allowed.iter().map(String::as_str).collect();
            return Some(broken(&format!("{wire:?}"), Requirement::OneOf(&allowed)));
        }
    }
    None
}

/// `"…" must be …`: the value shown, then what the rule asks, in both languages.
fn broken(shown: &str, requirement: Requirement<'_>) -> String {
    format!("{shown} {requirement}")
}

fn limits(bounds: &Bounds) -> (Option<i64>, Option<i64>) {
    (
        bounds.min.as_ref().map(|min| min.value),
        bounds.max.as_ref().map(|max| max.value),
    )
}

/// A code as written on the wire.
fn scalar_text(value: &Scalar) -> String {
    match value {
        Scalar::Int(n) => n.to_string(),
        Scalar::String(s) => s.clone(),
    }
}
