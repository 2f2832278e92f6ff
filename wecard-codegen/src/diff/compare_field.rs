//! Comparing one field with its counterpart: type, presence, flags, rules and docs.

use crate::model::{Field, Wire};

use super::classify::{self, RuleShift};
use super::compare::{Cx, FieldSet, change, differing, docs_change};
use super::{Kind, Semver, WireImpact};

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
