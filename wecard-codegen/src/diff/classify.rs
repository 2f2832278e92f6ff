//! The verdicts: what a change does on the wire (given where the type travels) and to the Rust
//! this generator writes.
//!
//! The Rust rules follow the emitter (`emit::rust`): every generated struct has only public
//! fields and no `#[non_exhaustive]`, so users build requests with struct literals and adding
//! any field breaks those literals; optional fields are `Option<T>`, nullable ones
//! `Nullable<T>`; every enum (the spec's and `ErrorCode`) is open (`Unknown(..)`) but not
//! `#[non_exhaustive]`, so a match that names every variant breaks when one is added; structs
//! derive `Default` only when every required field's type has one; `NEEDS_GRANT` exists only
//! when some field is 需申请; the client has a method per endpoint that takes a token.

use std::collections::HashMap;

use crate::model::{Field, Model, Rule, RuleKind, Type};

use super::{Semver, WireImpact};

/// Which directions a type travels in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Usage {
    /// Sent in some request.
    pub(super) request: bool,
    /// Read from some reply.
    pub(super) reply: bool,
}

impl Usage {
    pub(super) const REQUEST: Usage = Usage {
        request: true,
        reply: false,
    };
    pub(super) const REPLY: Usage = Usage {
        request: false,
        reply: true,
    };

    pub(super) fn or(self, other: Usage) -> Usage {
        Usage {
            request: self.request || other.request,
            reply: self.reply || other.reply,
        }
    }

    /// The wire impact of a change that breaks old clients when in a request and old readers
    /// when in a reply.
    pub(super) fn breaks(self, clients: bool, readers: bool) -> WireImpact {
        let c = if self.request && clients {
            WireImpact::BreaksClients
        } else {
            WireImpact::Safe
        };
        let r = if self.reply && readers {
            WireImpact::BreaksReaders
        } else {
            WireImpact::Safe
        };
        c.and(r)
    }
}

/// Directions each record and enum travels in, by name, following records inside records.
pub(super) fn usages(model: &Model) -> HashMap<String, Usage> {
    let mut usage: HashMap<String, Usage> = HashMap::new();
    let mut pending: Vec<(String, Usage)> = Vec::new();
    let visit = |fields: &[Field], how: Usage, pending: &mut Vec<(String, Usage)>| {
        for field in fields {
            if let Type::Enum(name) | Type::Record(name) = field.ty().item() {
                pending.push((name.clone(), how));
            }
        }
    };
    for endpoint in model.endpoints() {
        visit(endpoint.request().fields(), Usage::REQUEST, &mut pending);
        visit(endpoint.response().fields(), Usage::REPLY, &mut pending);
    }
    visit(model.api().envelope(), Usage::REPLY, &mut pending);
    // Each name is widened at most twice (request, reply), so this ends.
    while let Some((name, how)) = pending.pop() {
        let entry = usage.entry(name.clone()).or_default();
        let widened = entry.or(how);
        if widened == *entry {
            continue;
        }
        *entry = widened;
        if let Some(record) = model.record(&name) {
            visit(record.fields(), widened, &mut pending);
        }
    }
    usage
}

/// Whether the emitter derives `Default` for a struct with these fields (the emitter's own rule).
pub(super) fn can_default(fields: &[Field]) -> bool {
    let fields: Vec<&Field> = fields.iter().collect();
    crate::emit::rust::can_default(&fields)
}

/// How many 需申请 fields a struct has (its `NEEDS_GRANT` exists when there is one).
pub(super) fn grant_count(fields: &[Field]) -> usize {
    fields.iter().filter(|f| f.needs_grant()).count()
}

/// The semver verdict of adding or removing the `NEEDS_GRANT` constant.
pub(super) fn grant_semver(old: usize, new: usize) -> Semver {
    match (old, new) {
        (0, n) if n > 0 => Semver::Minor,
        (o, 0) if o > 0 => Semver::Major,
        _ => Semver::Patch,
    }
}

/// How a rule changed: the set of accepted values shrank, grew, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum RuleShift {
    Tighter,
    Looser,
    Other,
}

/// The rules' identity for matching: what they check, at which level, under which condition.
fn rule_key(rule: &Rule) -> String {
    let what = match rule.kind() {
        RuleKind::Length { .. } => "length",
        RuleKind::Range { .. } => "range",
        RuleKind::Items { .. } => "items",
        RuleKind::Pattern(_) => "pattern",
        RuleKind::Format(_) => "format",
        RuleKind::OneOf(_) => "one_of",
    };
    let when = rule
        .when()
        .map(|c| format!(" when {} = {}", c.field(), c.equals()))
        .unwrap_or_default();
    format!("{what} {:?}{when}", rule.level())
}

/// Compares two bounded intervals: tighter when the new one is inside the old one.
fn bounds(old: (Option<i64>, Option<i64>), new: (Option<i64>, Option<i64>)) -> Option<RuleShift> {
    let lower = |a: Option<i64>| a.unwrap_or(i64::MIN);
    let upper = |a: Option<i64>| a.unwrap_or(i64::MAX);
    let tighter = lower(new.0) > lower(old.0) || upper(new.1) < upper(old.1);
    let looser = lower(new.0) < lower(old.0) || upper(new.1) > upper(old.1);
    match (tighter, looser) {
        (false, false) => None,
        (true, false) => Some(RuleShift::Tighter),
        (false, true) => Some(RuleShift::Looser),
        (true, true) => Some(RuleShift::Other),
    }
}

fn shift(old: &RuleKind, new: &RuleKind) -> Option<RuleShift> {
    use RuleKind::*;
    match (old, new) {
        (Length { min: a, max: b }, Length { min: c, max: d })
        | (Range { min: a, max: b }, Range { min: c, max: d })
        | (Items { min: a, max: b }, Items { min: c, max: d }) => bounds((*a, *b), (*c, *d)),
        (OneOf(a), OneOf(b)) => {
            let fewer = a.iter().any(|v| !b.contains(v));
            let more = b.iter().any(|v| !a.contains(v));
            match (fewer, more) {
                (false, false) => None,
                (true, false) => Some(RuleShift::Tighter),
                (false, true) => Some(RuleShift::Looser),
                (true, true) => Some(RuleShift::Other),
            }
        }
        (a, b) if a == b => None,
        _ => Some(RuleShift::Other),
    }
}

/// Each difference between two fields' rules: a short description and how it shifts.
pub(super) fn rule_changes(old: &[Rule], new: &[Rule]) -> Vec<(String, RuleShift)> {
    let words = |rule: &Rule| {
        let (en, _) = rule.kind().words(&|s: &str| format!("`{s}`"));
        let when = rule
            .when()
            .map(|c| format!(" when `{}` is {}", c.field(), c.equals()))
            .unwrap_or_default();
        let level = match rule.level() {
            crate::model::Level::Strict => " (strict)",
            crate::model::Level::Default => "",
        };
        format!("{en}{when}{level}")
    };
    let mut out = Vec::new();
    let mut matched_new = vec![false; new.len()];
    for rule in old {
        let key = rule_key(rule);
        let found = new
            .iter()
            .enumerate()
            .find(|(i, r)| !matched_new[*i] && rule_key(r) == key);
        match found {
            Some((i, other)) => {
                if let Some(matched) = matched_new.get_mut(i) {
                    *matched = true;
                }
                if let Some(how) = shift(rule.kind(), other.kind()) {
                    out.push((
                        format!("must now {} (it had to {})", words(other), words(rule)),
                        how,
                    ));
                }
            }
            None => out.push((format!("no longer must {}", words(rule)), RuleShift::Looser)),
        }
    }
    for (rule, matched) in new.iter().zip(&matched_new) {
        if !matched {
            out.push((format!("now must {}", words(rule)), RuleShift::Tighter));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::Scalar;

    #[test]
    fn bounds_shift_by_what_they_accept() {
        let range = |min, max| RuleKind::Range { min, max };
        let shifted = |a, b| shift(&a, &b);
        assert_eq!(
            shifted(range(Some(0), Some(150)), range(Some(0), Some(150))),
            None
        );
        assert_eq!(
            shifted(range(Some(0), Some(150)), range(Some(0), Some(120))),
            Some(RuleShift::Tighter)
        );
        assert_eq!(
            shifted(range(Some(0), None), range(Some(0), Some(120))),
            Some(RuleShift::Tighter)
        );
        assert_eq!(
            shifted(range(Some(0), Some(150)), range(None, Some(150))),
            Some(RuleShift::Looser)
        );
        assert_eq!(
            shifted(range(Some(0), Some(150)), range(Some(10), Some(200))),
            Some(RuleShift::Other)
        );
    }

    #[test]
    fn one_of_shifts_by_subset() {
        let set = |codes: &[i64]| RuleKind::OneOf(codes.iter().map(|c| Scalar::Int(*c)).collect());
        assert_eq!(
            shift(&set(&[1, 2, 3]), &set(&[1, 2])),
            Some(RuleShift::Tighter)
        );
        assert_eq!(
            shift(&set(&[1, 2]), &set(&[2, 1, 3])),
            Some(RuleShift::Looser)
        );
        assert_eq!(shift(&set(&[1, 2]), &set(&[2, 3])), Some(RuleShift::Other));
        assert_eq!(shift(&set(&[1, 2]), &set(&[2, 1])), None);
        let pattern = |p: &str| RuleKind::Pattern(p.to_string());
        assert_eq!(
            shift(&pattern("a+"), &pattern("a*")),
            Some(RuleShift::Other)
        );
    }

    #[test]
    fn usage_decides_which_side_breaks() {
        let both = Usage::REQUEST.or(Usage::REPLY);
        assert_eq!(Usage::REQUEST.breaks(true, true), WireImpact::BreaksClients);
        assert_eq!(Usage::REPLY.breaks(true, true), WireImpact::BreaksReaders);
        assert_eq!(both.breaks(true, true), WireImpact::BreaksBoth);
        assert_eq!(both.breaks(false, false), WireImpact::Safe);
        assert_eq!(Usage::default().breaks(true, true), WireImpact::Safe);
        assert_eq!(grant_semver(0, 1), Semver::Minor);
        assert_eq!(grant_semver(2, 0), Semver::Major);
        assert_eq!(grant_semver(1, 2), Semver::Patch);
    }
}
