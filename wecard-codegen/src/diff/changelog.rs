//! Changelog discipline: a change on an endpoint's (or a shared type's) wire needs a new
//! `changelog` entry that names it, and a field added to an existing type needs `since`.
//!
//! An entry "names" a group of changes when its description or note contains one of their
//! terms: the endpoint's id, path or summary, the record's or enum's name, or the changed
//! field's wire name or description. A new field whose `since` is the date of a new entry is
//! covered by that entry.

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
    let fresh: Vec<&crate::model::Change> = new
        .model()
        .changelog()
        .iter()
        .filter(|entry| {
            !old.model()
                .changelog()
                .iter()
                .any(|e| e.date() == entry.date() && e.description() == entry.description())
        })
        .collect();
    let mut out = Vec::new();
    let mut groups: Vec<&Group> = Vec::new();
    for c in changes {
        if (c.kind.touches_wire() || c.wire.is_breaking()) && !groups.contains(&&c.group) {
            groups.push(&c.group);
        }
    }
    for group in groups {
        let members: Vec<&Change> = changes
            .iter()
            .filter(|c| &c.group == group && (c.kind.touches_wire() || c.wire.is_breaking()))
            .collect();
        let mut terms: Vec<String> = group_terms(group, old, new);
        for c in &members {
            terms.extend(c.terms.iter().cloned());
        }
        terms.retain(|t| !t.trim().is_empty());
        let named = fresh.iter().any(|entry| {
            let text = format!("{} {}", entry.description(), entry.note().unwrap_or(""));
            terms.iter().any(|t| text.contains(t.as_str()))
        });
        let dated = members.iter().any(|c| {
            c.since
                .as_deref()
                .is_some_and(|since| fresh.iter().any(|e| e.date() == since))
        });
        if named || dated {
            continue;
        }
        let Some(first) = members.first() else {
            continue;
        };
        let count = members.len();
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
fn group_terms(group: &Group, old: &Side, new: &Side) -> Vec<String> {
    let endpoint_terms = |e: &crate::model::Endpoint| {
        [e.id(), e.path(), e.summary()]
            .into_iter()
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    match group {
        Group::Endpoint(id) => [new.model().endpoint(id), old.model().endpoint(id)]
            .into_iter()
            .flatten()
            .flat_map(endpoint_terms)
            .collect(),
        Group::Record(name) | Group::Enum(name) => {
            let mut terms = vec![name.clone()];
            for model in [old.model(), new.model()] {
                for endpoint in model.endpoints() {
                    if carries(model, endpoint, name) {
                        terms.extend(endpoint_terms(endpoint));
                    }
                }
            }
            terms
        }
        _ => Vec::new(),
    }
}

/// Whether `endpoint`'s request or reply holds the type `name`, directly or inside records.
fn carries(model: &crate::model::Model, endpoint: &crate::model::Endpoint, name: &str) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    let mut pending: Vec<&crate::model::Field> = endpoint
        .request()
        .fields()
        .iter()
        .chain(endpoint.response().fields())
        .collect();
    while let Some(field) = pending.pop() {
        let (crate::model::Type::Enum(ty) | crate::model::Type::Record(ty)) = field.ty().item()
        else {
            continue;
        };
        if ty == name {
            return true;
        }
        if seen.contains(&ty.as_str()) {
            continue;
        }
        seen.push(ty);
        if let Some(record) = model.record(ty) {
            pending.extend(record.fields());
        }
    }
    false
}
