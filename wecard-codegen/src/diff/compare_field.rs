//! Comparing fields: a struct's field list (matching by wire name, additions, removals, order,
//! and what the fields decide together: `Default`, `NEEDS_GRANT`), and one field with its
//! counterpart (type, presence, flags, rules, docs).

use std::collections::{HashMap, HashSet};

use crate::model::{Field, Wire};

use super::classify::{self, RuleShift, Usage};
use super::compare::{Cx, change, differing, docs_change};
use super::locate::Owner;
use super::{Group, Kind, Semver, WireImpact};

impl Cx<'_> {
    /// Compares a field with the field of the same wire (or Rust) name in the new spec.
    pub(super) fn field(&mut self, set: &FieldSet, a: &Field, b: &Field) {
        let group = &set.group;
        let (ow, nw) = (a.wire_name(), b.wire_name());
        let place = |cx: &Self, key: &str| {
            (
                cx.ol.field(&set.old_owner, ow, key),
                cx.nl.field(&set.new_owner, nw, key),
            )
        };
        let subject = format!("field `{nw}` of {}", set.type_name);
        if a.rust_name() != b.rust_name() {
            let (o, n) = place(self, "rust_name");
            let (semver, _) = set.literal_break();
            let c = change(
                Kind::FieldRustRenamed,
                group,
                format!(
                    "the Rust name of {subject} changed from `{}` to `{}`",
                    a.rust_name(),
                    b.rust_name()
                ),
            )
            .rust_is(semver, "code that names the field breaks")
            .at(o, n)
            .terms(&[nw]);
            self.push(c);
        }
        if a.ty() != b.ty() {
            let (o, n) = place(self, "type");
            let (semver, why) = set.type_break(&format!("`{}`", b.rust_name()));
            let c = change(
                Kind::FieldTypeChanged,
                group,
                format!(
                    "the type of {subject} changed from `{}` to `{}`",
                    a.ty().spec_name(),
                    b.ty().spec_name()
                ),
            )
            .wire_is(
                set.usage.breaks(true, true),
                "values of the old type are no longer what the other side expects",
            )
            .rust_is(semver, why)
            .at(o, n)
            .terms(&[nw]);
            self.push(c);
        }
        if a.required() != b.required() {
            let (o, n) = place(self, "required");
            let (semver, why) = set.type_break(&format!("`{}`", b.rust_name()));
            let why = format!(
                "{why}: `{}` becomes `{}`",
                if a.required() { "T" } else { "Option<T>" },
                if b.required() { "T" } else { "Option<T>" }
            );
            let (kind, message, wire, wire_why) = if b.required() {
                (
                    Kind::FieldMadeRequired,
                    format!("{subject} became required"),
                    set.usage.breaks(true, false),
                    "old clients may leave it out",
                )
            } else {
                (
                    Kind::FieldMadeOptional,
                    format!("{subject} became optional"),
                    set.usage.breaks(false, true),
                    "old readers require it and the server may now leave it out",
                )
            };
            let c = change(kind, group, message)
                .wire_is(wire, wire_why)
                .rust_is(semver, why)
                .at(o, n)
                .terms(&[nw]);
            self.push(c);
        }
        if a.nullable() != b.nullable() {
            let (o, n) = place(self, "nullable");
            let (semver, why) = set.type_break(&format!("`{}`", b.rust_name()));
            let wire = if b.nullable() {
                set.usage.breaks(false, b.required())
            } else {
                set.usage.breaks(true, false)
            };
            let c = change(
                Kind::FieldNullableChanged,
                group,
                format!(
                    "{subject} {} `null`",
                    if b.nullable() {
                        "may now be"
                    } else {
                        "may no longer be"
                    }
                ),
            )
            .wire_is(
                wire,
                "one side sends `null` where the other does not accept it",
            )
            .rust_is(semver, format!("{why}: `Nullable<T>` wraps the value"))
            .at(o, n)
            .terms(&[nw]);
            self.push(c);
        }
        if a.wire() != b.wire() {
            let (o, n) = place(self, "wire");
            let form = |w: Wire| match w {
                Wire::Natural => "in its natural JSON form",
                Wire::String => "as a JSON string",
            };
            let c = change(
                Kind::FieldWireFormChanged,
                group,
                format!("{subject} is now sent {}", form(b.wire())),
            )
            .wire_is(
                set.usage.breaks(true, false),
                format!("old clients send it {}", form(a.wire())),
            )
            .rust_is(Semver::Patch, "only serialization changes")
            .at(o, n)
            .terms(&[nw]);
            self.push(c);
        }
        for (key, before, after, what) in [
            ("lenient", a.lenient(), b.lenient(), "is read leniently"),
            ("secret", a.secret(), b.secret(), "is a secret"),
            ("needs_grant", a.needs_grant(), b.needs_grant(), "is 需申请"),
        ] {
            if before == after {
                continue;
            }
            let (o, n) = place(self, key);
            let c = change(
                Kind::FieldFlagChanged,
                group,
                format!(
                    "{subject} {} (`{key}: {after}`)",
                    if after {
                        what.to_string()
                    } else {
                        what.replacen("is", "is no longer", 1)
                    }
                ),
            )
            .rust_is(Semver::Patch, "no signature changes")
            .at(o, n)
            .terms(&[nw]);
            self.push(c);
        }
        for (text, how) in classify::rule_changes(a.rules(), b.rules()) {
            let (o, n) = place(self, "rules");
            let (kind, wire) = match how {
                RuleShift::Tighter => (Kind::RuleTightened, set.usage.breaks(true, false)),
                RuleShift::Looser => (Kind::RuleLoosened, WireImpact::Safe),
                RuleShift::Other => (Kind::RuleChanged, set.usage.breaks(true, false)),
            };
            let c = change(kind, group, format!("{subject} {text}"))
                .wire_is(wire, "the server may refuse values old clients send")
                .rust_is(Semver::Patch, "only what `validate()` accepts changes")
                .at(o, n)
                .terms(&[nw]);
            self.push(c);
        }
        let keys = differing(&[
            ("description", a.description() == b.description()),
            ("example", a.example() == b.example()),
            ("default", a.default() == b.default()),
            ("note", a.note() == b.note()),
            ("since", a.since() == b.since()),
        ]);
        if let Some(first) = keys.first() {
            let (o, n) = place(self, first);
            self.push(docs_change(group, &subject, &keys, o, n));
        }
    }
}

/// A set of fields being compared: whose they are and where they travel.
pub(super) struct FieldSet {
    pub(super) group: Group,
    pub(super) old_owner: Owner,
    pub(super) new_owner: Owner,
    /// The generated struct's name (`CreateUserRequest`).
    pub(super) type_name: String,
    pub(super) usage: Usage,
    /// Whether the fields are shared by many structs (the envelope's, in every reply that
    /// carries it) rather than one struct's own.
    pub(super) shared: bool,
}

impl FieldSet {
    pub(super) fn literal_break(&self) -> (Semver, String) {
        let message = if self.shared {
            "struct literals of every reply that carries the envelope no longer compile (their fields are all public and they are not `#[non_exhaustive]`)".to_string()
        } else {
            format!(
                "struct literals of `{}` no longer compile (its fields are all public and it is not `#[non_exhaustive]`)",
                self.type_name
            )
        };
        (Semver::Major, message)
    }

    pub(super) fn type_break(&self, what: &str) -> (Semver, String) {
        let message = if self.shared {
            format!("{what} changes type in every reply that carries the envelope")
        } else {
            format!("{what} of `{}` changes type", self.type_name)
        };
        (Semver::Major, message)
    }

    /// Whether a message names a single generated struct.
    pub(super) fn own_struct(&self) -> bool {
        !self.shared
    }
}

impl Cx<'_> {
    /// Compares two field lists of the same owner.
    pub(super) fn fields<'f>(&mut self, set: &FieldSet, old: &'f [Field], new: &'f [Field]) {
        let group = &set.group;
        let by_wire = |fields: &'f [Field]| -> HashMap<&'f str, &'f Field> {
            let mut map = HashMap::new();
            for field in fields {
                map.entry(field.wire_name()).or_insert(field);
            }
            map
        };
        let (old_wire, new_wire) = (by_wire(old), by_wire(new));
        // Fields only in the new spec, by Rust name: the candidates for a wire rename.
        let mut new_only_rust: HashMap<&str, &Field> = HashMap::new();
        for field in new {
            if !old_wire.contains_key(field.wire_name()) {
                new_only_rust.entry(field.rust_name()).or_insert(field);
            }
        }
        let mut renamed: HashMap<&str, &Field> = HashMap::new();
        let mut renamed_to: HashSet<&str> = HashSet::new();
        for field in old {
            if new_wire.contains_key(field.wire_name()) {
                continue;
            }
            if let Some(other) = new_only_rust.get(field.rust_name())
                && renamed_to.insert(other.wire_name())
            {
                renamed.insert(field.wire_name(), other);
            }
        }
        for field in old {
            let wire = field.wire_name();
            if let Some(other) = new_wire.get(wire) {
                self.field(set, field, other);
            } else if let Some(other) = renamed.get(wire) {
                let c = change(
                    Kind::FieldWireRenamed,
                    group,
                    format!(
                        "field `{wire}` of `{}` is now `{}` on the wire",
                        set.type_name,
                        other.wire_name()
                    ),
                )
                .wire_is(
                    set.usage.breaks(true, true),
                    "the two sides name the field differently",
                )
                .rust_is(Semver::Patch, "the Rust field keeps its name")
                .at(
                    self.ol.field(&set.old_owner, wire, "name"),
                    self.nl.field(&set.new_owner, other.wire_name(), "name"),
                )
                .terms(&[wire, other.wire_name()]);
                self.push(c);
                self.field(set, field, other);
            } else {
                let semver = Semver::Major;
                let why = if set.own_struct() {
                    format!(
                        "the field `{}` of `{}` disappears",
                        field.rust_name(),
                        set.type_name
                    )
                } else {
                    format!(
                        "the field `{}` disappears from every reply that carries the envelope",
                        field.rust_name()
                    )
                };
                let c = change(
                    Kind::FieldRemoved,
                    group,
                    format!(
                        "{} field `{wire}` removed from {}",
                        if field.required() {
                            "required"
                        } else {
                            "optional"
                        },
                        set.type_name
                    ),
                )
                .wire_is(
                    set.usage.breaks(true, field.required()),
                    "old clients still send it, or old readers require it",
                )
                .rust_is(semver, why)
                .at(self.ol.field(&set.old_owner, wire, "name"), None)
                .terms(&[wire]);
                self.push(c);
            }
        }
        for field in new {
            let wire = field.wire_name();
            if old_wire.contains_key(wire) || renamed_to.contains(wire) {
                continue;
            }
            let (semver, why) = set.literal_break();
            let mut c = change(
                Kind::FieldAdded,
                group,
                format!(
                    "{} field `{wire}` ({}) added to {}",
                    if field.required() {
                        "required"
                    } else {
                        "optional"
                    },
                    field.ty().spec_name(),
                    set.type_name
                ),
            )
            .wire_is(
                set.usage.breaks(field.required(), false),
                "old clients do not send it",
            )
            .rust_is(semver, why)
            .at(
                self.ol.owner(&set.old_owner),
                self.nl.field(&set.new_owner, wire, "name"),
            )
            .terms(&[wire, field.description()]);
            c.since = field.since().map(str::to_string);
            self.push(c);
        }
        let order = |fields: &'f [Field], other: &HashMap<&str, &Field>| -> Vec<&'f str> {
            fields
                .iter()
                .map(Field::wire_name)
                .filter(|wire| other.contains_key(wire))
                .collect()
        };
        if order(old, &new_wire) != order(new, &old_wire) {
            let c = change(
                Kind::FieldOrderChanged,
                group,
                format!("fields of {} changed order", set.type_name),
            )
            .rust_is(Semver::Patch, "field order is not part of the API")
            .at(self.ol.owner(&set.old_owner), self.nl.owner(&set.new_owner));
            self.push(c);
        }
    }

    /// `Default` and `NEEDS_GRANT`, which depend on the fields together.
    pub(super) fn struct_traits(&mut self, set: &FieldSet, old: &[Field], new: &[Field]) {
        let (had, has) = (classify::can_default(old), classify::can_default(new));
        if had != has {
            let (semver, message) = if has {
                (
                    Semver::Minor,
                    format!("`{}` now implements `Default`", set.type_name),
                )
            } else {
                (
                    Semver::Major,
                    format!("`{}` no longer implements `Default`", set.type_name),
                )
            };
            let c = change(Kind::DefaultChanged, &set.group, message)
                .rust_is(
                    semver,
                    "`Default` is derived only when every required field's type has a default",
                )
                .at(self.ol.owner(&set.old_owner), self.nl.owner(&set.new_owner));
            self.push(c);
        }
        let (before, after) = (classify::grant_count(old), classify::grant_count(new));
        let semver = classify::grant_semver(before, after);
        if semver != Semver::Patch {
            let message = if after > 0 {
                format!("`{}::NEEDS_GRANT` added", set.type_name)
            } else {
                format!("`{}::NEEDS_GRANT` removed", set.type_name)
            };
            let c = change(Kind::FieldFlagChanged, &set.group, message)
                .rust_is(
                    semver,
                    "the constant exists only while some field is 需申请",
                )
                .at(self.ol.owner(&set.old_owner), self.nl.owner(&set.new_owner));
            self.push(c);
        }
    }
}
