//! Changelog discipline: a change on an endpoint's (or a shared type's) wire needs a new
//! `changelog` entry that names it, and a field added to an existing type needs `since`.
//!
//! A change is covered when an entry that is new in the new spec names it: its description or
//! note contains the endpoint's id, path or summary, the record's or enum's name (or those of
//! an endpoint that carries it), or the changed field's wire name or description. A new field
//! with `since` is covered by the entry its `since` names, which `check` makes sure exists.

use std::collections::{HashMap, HashSet};

use crate::model::{Field, Model, Type};

use super::compare::change;
use super::{Change, Group, Kind, Semver, Side};

impl Kind {
    /// Whether changes of this kind alter what travels on the wire.
    pub fn touches_wire(self) -> bool {
        use Kind::*;
        matches!(
            self,
            ApiChanged
                | EndpointAdded
                | EndpointRemoved
                | PathChanged
                | MethodChanged
                | TokenMoved
                | EnvelopeChanged
                | FieldAdded
                | FieldRemoved
                | FieldWireRenamed
                | FieldMadeRequired
                | FieldMadeOptional
                | FieldTypeChanged
                | FieldNullableChanged
                | FieldWireFormChanged
                | RuleTightened
                | RuleLoosened
                | RuleChanged
                | EnumReprChanged
                | EnumValueAdded
                | EnumValueRemoved
                | ErrorCodeAdded
                | ErrorCodeRemoved
        )
    }
}

/// The discipline findings for `changes`.
pub(super) fn discipline(old: &Side, new: &Side, changes: &[Change]) -> Vec<Change> {
    let known: std::collections::HashSet<(&str, &str)> = old
        .model()
        .changelog()
        .iter()
        .map(|e| (e.date(), e.description()))
        .collect();
    let fresh: Vec<&crate::model::Change> = new
        .model()
        .changelog()
        .iter()
        .filter(|entry| !known.contains(&(entry.date(), entry.description())))
        .collect();
    let fresh_texts: Vec<String> = fresh
        .iter()
        .map(|e| format!("{} {}", e.description(), e.note().unwrap_or("")))
        .collect();
    let mut out = Vec::new();
    // Wire changes by group, groups in order of appearance.
    let mut order: Vec<&Group> = Vec::new();
    let mut by_group: HashMap<&Group, Vec<&Change>> = HashMap::new();
    for c in changes {
        if c.kind.touches_wire() || c.wire.is_breaking() {
            let members = by_group.entry(&c.group).or_default();
            if members.is_empty() {
                order.push(&c.group);
            }
            members.push(c);
        }
    }
    let carried = [carried_types(old.model()), carried_types(new.model())];
    for group in order {
        let members = by_group.get(group).map(Vec::as_slice).unwrap_or_default();
        let names = |terms: &[String]| {
            fresh_texts.iter().any(|text| {
                terms
                    .iter()
                    .any(|t| !t.trim().is_empty() && text.contains(t.as_str()))
            })
        };
        let group_named = names(&group_terms(group, old, new, &carried));
        // A change is covered when a new entry names its group or what it changed, or when it
        // adds a field whose `since` names its entry (`check` makes sure that entry exists).
        let uncovered: Vec<&&Change> = members
            .iter()
            .filter(|c| !(group_named || c.since.is_some() || names(&c.terms)))
            .collect();
        let Some(first) = uncovered.first() else {
            continue;
        };
        let count = uncovered.len();
        let mut finding = change(
            Kind::ChangelogMissing,
            group,
            if count == 1 {
                format!("no new changelog entry names the wire change to {group}")
            } else {
                format!("no new changelog entry names the {count} wire changes to {group}")
            },
        )
        .rust_is(Semver::Patch, "a finding about the spec, not a change")
        .at(first.old, first.new);
        finding.rust_why = None;
        finding.help = Some(format!(
            "add a `changelog:` entry whose description names {}, or the changed field",
            naming_hint(group)
        ));
        out.push(finding);
    }
    for c in changes {
        if c.kind == Kind::FieldAdded && c.since.is_none() {
            let mut finding = change(
                Kind::SinceMissing,
                &c.group,
                format!("{}, without `since`", c.message),
            )
            .at(None, c.new);
            finding.help = Some(
                "add `since: \"YYYY-MM-DD\"` with the date of the changelog entry that introduced it"
                    .into(),
            );
            out.push(finding);
        }
    }
    out
}

fn naming_hint(group: &Group) -> String {
    match group {
        Group::Endpoint(id) => format!("the endpoint (`{id}`, its path or its summary)"),
        Group::Record(name) | Group::Enum(name) => format!("`{name}`"),
        Group::ErrorCodes => "the error code".into(),
        other => format!("the {other}"),
    }
}

/// The words that name a group itself: an endpoint's id, path and summary; a type's name and
/// those of the endpoints that carry it.
fn group_terms(
    group: &Group,
    old: &Side,
    new: &Side,
    carried: &[HashMap<String, Vec<String>>; 2],
) -> Vec<String> {
    match group {
        Group::Endpoint(id) => [new.model().endpoint(id), old.model().endpoint(id)]
            .into_iter()
            .flatten()
            .flat_map(|e| [e.id(), e.path(), e.summary()])
            .map(str::to_string)
            .collect(),
        Group::Record(name) | Group::Enum(name) => {
            let mut terms = vec![name.clone()];
            for map in carried {
                terms.extend(map.get(name).into_iter().flatten().cloned());
            }
            terms
        }
        _ => Vec::new(),
    }
}

/// For each record and enum, the ids, paths and summaries of the endpoints whose request or
/// reply holds it, directly or inside records.
fn carried_types(model: &Model) -> HashMap<String, Vec<String>> {
    let records: HashMap<&str, &crate::model::Record> =
        model.records().iter().map(|r| (r.name(), r)).collect();
    let mut carried: HashMap<String, Vec<String>> = HashMap::new();
    for endpoint in model.endpoints() {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut pending: Vec<&Field> = endpoint
            .request()
            .fields()
            .iter()
            .chain(endpoint.response().fields())
            .collect();
        while let Some(field) = pending.pop() {
            let (Type::Enum(ty) | Type::Record(ty)) = field.ty().item() else {
                continue;
            };
            if !seen.insert(ty) {
                continue;
            }
            carried
                .entry(ty.clone())
                .or_default()
                .extend([endpoint.id(), endpoint.path(), endpoint.summary()].map(str::to_string));
            if let Some(record) = records.get(ty.as_str()) {
                pending.extend(record.fields());
            }
        }
    }
    carried
}
