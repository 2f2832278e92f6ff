//! Comparing records, enums, the error-code table, the `user:` section and the changelog.

use std::collections::HashMap;

use crate::model::{Enum, Model, Record};
use crate::source::Span;
use crate::spec::{EnumRepr, Scalar};

use super::classify::Usage;
use super::compare::{Cx, Index, change, differing, docs_change};
use super::compare_field::FieldSet;
use super::locate::{Locator, Owner};
use super::{Group, Kind, Semver};

fn usage_of(cx: &Cx<'_>, name: &str) -> Usage {
    let old = cx.old_usage.get(name).copied().unwrap_or_default();
    let new = cx.new_usage.get(name).copied().unwrap_or_default();
    old.or(new)
}

/// How one kind of named type (records, enums) is listed, matched and located, for
/// [`by_name`].
struct NamedTypes<'a, T> {
    what: &'static str,
    removed: Kind,
    added: Kind,
    group: fn(String) -> Group,
    list: fn(&'a Model) -> &'a [T],
    name: fn(&T) -> &str,
    find: fn(&Index<'a>, &str) -> Option<&'a T>,
    locate: fn(&Locator<'a>, &str, &str) -> Option<Span>,
    compare: fn(&mut Cx<'a>, &'a T, &'a T),
}

/// Matches old and new types by name: each pair is compared, and a type only one side has is
/// a removal (major: the Rust type disappears) or an addition (minor: a new type).
fn by_name<'a, T>(cx: &mut Cx<'a>, types: &NamedTypes<'a, T>) {
    let (old, new) = (cx.old, cx.new);
    for a in (types.list)(old) {
        let name = (types.name)(a);
        match (types.find)(&cx.ni, name) {
            Some(b) => (types.compare)(cx, a, b),
            None => {
                let c = change(
                    types.removed,
                    &(types.group)(name.to_string()),
                    format!("{} `{name}` removed", types.what),
                )
                .rust_is(Semver::Major, format!("the type `{name}` disappears"))
                .at((types.locate)(&cx.ol, name, "name"), None)
                .terms(&[name]);
                cx.push(c);
            }
        }
    }
    for b in (types.list)(new) {
        let name = (types.name)(b);
        if (types.find)(&cx.oi, name).is_none() {
            let c = change(
                types.added,
                &(types.group)(name.to_string()),
                format!("{} `{name}` added", types.what),
            )
            .rust_is(Semver::Minor, format!("a new type `{name}`"))
            .at(None, (types.locate)(&cx.nl, name, "name"))
            .terms(&[name]);
            cx.push(c);
        }
    }
}

/// Records by name.
pub(super) fn records(cx: &mut Cx<'_>) {
    by_name(
        cx,
        &NamedTypes {
            what: "record",
            removed: Kind::RecordRemoved,
            added: Kind::RecordAdded,
            group: Group::Record,
            list: Model::records,
            name: Record::name,
            find: Index::record,
            locate: Locator::record,
            compare: record,
        },
    );
}

fn record(cx: &mut Cx<'_>, a: &Record, b: &Record) {
    let group = Group::Record(b.name().to_string());
    let keys = differing(&[
        ("description", a.description() == b.description()),
        ("note", a.note() == b.note()),
        ("source", a.source() == b.source()),
    ]);
    if let Some(first) = keys.first() {
        let c = docs_change(
            &group,
            &format!("record `{}`", b.name()),
            &keys,
            cx.ol.record(a.name(), first),
            cx.nl.record(b.name(), first),
        );
        cx.push(c);
    }
    let set = FieldSet {
        group,
        old_owner: Owner::Record(a.name().to_string()),
        new_owner: Owner::Record(b.name().to_string()),
        type_name: b.name().to_string(),
        usage: usage_of(cx, b.name()),
        shared: false,
    };
    cx.fields(&set, a.fields(), b.fields());
    cx.struct_traits(&set, a.fields(), b.fields());
}

/// Enums by name, their values by code.
pub(super) fn enums(cx: &mut Cx<'_>) {
    by_name(
        cx,
        &NamedTypes {
            what: "enum",
            removed: Kind::EnumRemoved,
            added: Kind::EnumAdded,
            group: Group::Enum,
            list: Model::enums,
            name: Enum::name,
            find: Index::enum_named,
            locate: Locator::enumeration,
            compare: enumeration,
        },
    );
}

fn enumeration<'v>(cx: &mut Cx<'_>, a: &'v Enum, b: &'v Enum) {
    let name = b.name();
    let group = Group::Enum(name.to_string());
    let usage = usage_of(cx, name);
    if a.repr() != b.repr() {
        let repr = |r: EnumRepr| match r {
            EnumRepr::Int => "int",
            EnumRepr::String => "string",
        };
        let c = change(
            Kind::EnumReprChanged,
            &group,
            format!(
                "codes of `{name}` changed from {} to {}",
                repr(a.repr()),
                repr(b.repr())
            ),
        )
        .wire_is(
            usage.breaks(true, true),
            "every code is written differently",
        )
        .rust_is(
            Semver::Major,
            format!("`{name}::code()` and `{name}::Unknown` change type"),
        )
        .at(
            cx.ol.enumeration(name, "repr"),
            cx.nl.enumeration(name, "repr"),
        )
        .terms(&[name]);
        cx.push(c);
    }
    // Codes match by their text, so that `1` and `"1"` are one code when the repr changes.
    let text = |code: &Scalar| match code {
        Scalar::Int(n) => n.to_string(),
        Scalar::String(s) => s.clone(),
    };
    let by_text = |values: &'v [crate::model::EnumValue]| {
        let mut map: HashMap<String, &'v crate::model::EnumValue> = HashMap::new();
        for value in values {
            map.entry(text(value.code())).or_insert(value);
        }
        map
    };
    let (old_values, new_values) = (by_text(a.values()), by_text(b.values()));
    for value in a.values() {
        let code = value.code();
        match new_values.get(&text(code)) {
            Some(other) => {
                if other.variant() != value.variant() {
                    let c = change(
                        Kind::EnumValueRenamed,
                        &group,
                        format!(
                            "code {code} of `{name}` renamed from `{}` to `{}`",
                            value.variant(),
                            other.variant()
                        ),
                    )
                    .rust_is(
                        Semver::Major,
                        format!("the variant `{name}::{}` disappears", value.variant()),
                    )
                    .at(
                        cx.ol.enum_value(name, code, "name"),
                        cx.nl.enum_value(name, other.code(), "name"),
                    )
                    .terms(&[name, value.spec_name(), other.spec_name()]);
                    cx.push(c);
                }
                let keys = differing(&[
                    ("description", value.description() == other.description()),
                    ("note", value.note() == other.note()),
                ]);
                if let Some(first) = keys.first() {
                    let c = docs_change(
                        &group,
                        &format!("code {code} of `{name}`"),
                        &keys,
                        cx.ol.enum_value(name, code, first),
                        cx.nl.enum_value(name, other.code(), first),
                    );
                    cx.push(c);
                }
            }
            None => {
                let c = change(
                    Kind::EnumValueRemoved,
                    &group,
                    format!("code {code} (`{}`) removed from `{name}`", value.variant()),
                )
                .wire_is(usage.breaks(true, false), "old clients may still send it")
                .rust_is(
                    Semver::Major,
                    format!("the variant `{name}::{}` disappears", value.variant()),
                )
                .at(cx.ol.enum_value(name, code, "value"), None)
                .terms(&[name, value.spec_name()]);
                cx.push(c);
            }
        }
    }
    for value in b.values() {
        let code = value.code();
        if old_values.contains_key(&text(code)) {
            continue;
        }
        let c = change(
            Kind::EnumValueAdded,
            &group,
            format!("code {code} (`{}`) added to `{name}`", value.variant()),
        )
        .rust_is(
            Semver::Major,
            format!(
                "a new variant `{name}::{}`: a `match` that names every variant no longer covers `{name}` (the enum is not `#[non_exhaustive]`), and the code no longer arrives as `Unknown`",
                value.variant()
            ),
        )
        .at(
            cx.ol.enumeration(name, "name"),
            cx.nl.enum_value(name, code, "value"),
        )
        .terms(&[name, value.spec_name()]);
        cx.push(c);
    }
    let keys = differing(&[
        ("description", a.description() == b.description()),
        ("note", a.note() == b.note()),
        ("source", a.source() == b.source()),
    ]);
    if let Some(first) = keys.first() {
        let c = docs_change(
            &group,
            &format!("enum `{name}`"),
            &keys,
            cx.ol.enumeration(name, first),
            cx.nl.enumeration(name, first),
        );
        cx.push(c);
    }
}

/// The error-code table, by code.
pub(super) fn error_codes<'a>(cx: &mut Cx<'a>) {
    let (old, new) = (cx.old, cx.new);
    let group = Group::ErrorCodes;
    let by_code = |codes: &'a [crate::model::ErrorCode]| {
        let mut map: HashMap<i64, &'a crate::model::ErrorCode> = HashMap::new();
        for code in codes {
            map.entry(code.code()).or_insert(code);
        }
        map
    };
    let (old_codes, new_codes) = (by_code(old.error_codes()), by_code(new.error_codes()));
    for a in old.error_codes() {
        let code = a.code();
        let Some(b) = new_codes.get(&code) else {
            let c = change(
                Kind::ErrorCodeRemoved,
                &group,
                format!("error code {code} (`{}`) removed", a.variant()),
            )
            .rust_is(
                Semver::Major,
                format!("the variant `ErrorCode::{}` disappears", a.variant()),
            )
            .at(cx.ol.error_code(code, "code"), None)
            .terms(&[a.spec_name(), &code.to_string()]);
            cx.push(c);
            continue;
        };
        if a.variant() != b.variant() {
            let c = change(
                Kind::ErrorCodeRenamed,
                &group,
                format!(
                    "error code {code} renamed from `{}` to `{}`",
                    a.variant(),
                    b.variant()
                ),
            )
            .rust_is(
                Semver::Major,
                format!("the variant `ErrorCode::{}` disappears", a.variant()),
            )
            .at(
                cx.ol.error_code(code, "name"),
                cx.nl.error_code(code, "name"),
            );
            cx.push(c);
        }
        if a.handling() != b.handling() {
            let c = change(
                Kind::ErrorHandlingChanged,
                &group,
                format!(
                    "the client's handling of error code {code} changed from {:?} to {:?}",
                    a.handling(),
                    b.handling()
                ),
            )
            .rust_is(
                Semver::Patch,
                "`ErrorCode::handling()` returns another value; retries and token refreshes change",
            )
            .at(
                cx.ol.error_code(code, "handling"),
                cx.nl.error_code(code, "handling"),
            );
            cx.push(c);
        }
        let keys = differing(&[
            ("description", a.description() == b.description()),
            ("meaning", a.meaning() == b.meaning()),
            ("note", a.note() == b.note()),
        ]);
        if let Some(first) = keys.first() {
            let c = docs_change(
                &group,
                &format!("error code {code}"),
                &keys,
                cx.ol.error_code(code, first),
                cx.nl.error_code(code, first),
            );
            cx.push(c);
        }
    }
    for b in new.error_codes() {
        let code = b.code();
        if old_codes.contains_key(&code) {
            continue;
        }
        let c = change(
            Kind::ErrorCodeAdded,
            &group,
            format!("error code {code} (`{}`) added", b.variant()),
        )
        .rust_is(
            Semver::Major,
            format!(
                "a new variant `ErrorCode::{}`: a `match` that names every variant no longer covers `ErrorCode`, and the code no longer arrives as `Unknown`",
                b.variant()
            ),
        )
        .at(None, cx.nl.error_code(code, "code"))
        .terms(&[b.spec_name(), &code.to_string()]);
        cx.push(c);
    }
}

/// The `user:` section: which endpoint creates a user and which record describes one.
pub(super) fn user(cx: &mut Cx<'_>) {
    let names = |m: &crate::model::Model| {
        m.user()
            .map(|u| (u.endpoint().id().to_string(), u.member().name().to_string()))
    };
    let (a, b) = (names(cx.old), names(cx.new));
    if a == b {
        return;
    }
    let show = |n: &Option<(String, String)>| match n {
        Some((create, member)) => format!("`create: {create}`, `member: {member}`"),
        None => "nothing".to_string(),
    };
    let (semver, why) = if a.is_none() {
        (
            Semver::Minor,
            "the `WecardUser` trait and its conversions appear",
        )
    } else {
        (
            Semver::Major,
            "`#[derive(WecardUser)]` maps user structs onto other types",
        )
    };
    let c = change(
        Kind::UserChanged,
        &Group::User,
        format!("`user:` changed from {} to {}", show(&a), show(&b)),
    )
    .rust_is(semver, why)
    .at(cx.ol.user("create"), cx.nl.user("create"));
    cx.push(c);
}

/// Changelog entries, matched by date and description.
pub(super) fn changelog<'a>(cx: &mut Cx<'a>) {
    let (old, new) = (cx.old.changelog(), cx.new.changelog());
    let positions = |entries: &'a [crate::model::Change]| {
        let mut map: HashMap<(&'a str, &'a str), usize> = HashMap::new();
        for (at, entry) in entries.iter().enumerate() {
            map.entry((entry.date(), entry.description())).or_insert(at);
        }
        map
    };
    let (old_at, new_at) = (positions(old), positions(new));
    let group = Group::Changelog;
    for (index, entry) in old.iter().enumerate() {
        match new_at.get(&(entry.date(), entry.description())).copied() {
            Some(at) => {
                if new.get(at).is_some_and(|e| e.note() != entry.note()) {
                    let c = docs_change(
                        &group,
                        &format!("the changelog entry of {}", entry.date()),
                        &["note"],
                        cx.ol.changelog(index),
                        cx.nl.changelog(at),
                    );
                    cx.push(c);
                }
            }
            None => {
                let c = change(
                    Kind::ChangelogRemoved,
                    &group,
                    format!(
                        "changelog entry of {} removed or rewritten: {}",
                        entry.date(),
                        entry.description()
                    ),
                )
                .docs()
                .rust_is(Semver::Patch, "only documentation changes")
                .at(cx.ol.changelog(index), None);
                cx.push(c);
            }
        }
    }
    for (index, entry) in new.iter().enumerate() {
        if old_at.contains_key(&(entry.date(), entry.description())) {
            continue;
        }
        let c = change(
            Kind::ChangelogAdded,
            &group,
            format!(
                "changelog entry of {} added: {}",
                entry.date(),
                entry.description()
            ),
        )
        .docs()
        .rust_is(Semver::Patch, "only documentation changes")
        .at(None, cx.nl.changelog(index));
        cx.push(c);
    }
}
