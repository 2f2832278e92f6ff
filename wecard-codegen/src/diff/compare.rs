//! Matching the two models item by item and describing each difference.
//!
//! Endpoints match by id (an unmatched pair with the same path is a rename), records and enums
//! by name, fields by wire name (an unmatched pair with the same Rust name is a wire rename),
//! enum values and error codes by code.

use std::collections::HashMap;

use crate::model::{Endpoint, Field, Model};
use crate::spec::TokenPlacement;

use super::Side;
use super::classify::{self, Usage};
use super::compare_field::FieldSet;
use super::locate::{Locator, Owner};
use super::{Change, Group, Kind, Semver, WireImpact};
use crate::source::Span;

/// Every difference between the two sides, in group order: api, endpoints, records, enums,
/// error codes, user, changelog.
pub(super) fn compare(old: &Side, new: &Side) -> Vec<Change> {
    let mut cx = Cx {
        old: old.model(),
        new: new.model(),
        oi: Index::new(old.model()),
        ni: Index::new(new.model()),
        ol: Locator::new(old.spec()),
        nl: Locator::new(new.spec()),
        old_usage: classify::usages(old.model()),
        new_usage: classify::usages(new.model()),
        out: Vec::new(),
    };
    cx.api();
    cx.endpoints();
    super::compare_types::records(&mut cx);
    super::compare_types::enums(&mut cx);
    super::compare_types::error_codes(&mut cx);
    super::compare_types::user(&mut cx);
    super::compare_types::changelog(&mut cx);
    cx.out
}

/// The comparison in progress.
pub(super) struct Cx<'a> {
    pub(super) old: &'a Model,
    pub(super) new: &'a Model,
    pub(super) oi: Index<'a>,
    pub(super) ni: Index<'a>,
    pub(super) ol: Locator<'a>,
    pub(super) nl: Locator<'a>,
    pub(super) old_usage: HashMap<String, Usage>,
    pub(super) new_usage: HashMap<String, Usage>,
    pub(super) out: Vec<Change>,
}

/// A model's endpoints, records and enums by name, for lookups in constant time.
pub(super) struct Index<'a> {
    endpoints: HashMap<&'a str, &'a Endpoint>,
    records: HashMap<&'a str, &'a crate::model::Record>,
    enums: HashMap<&'a str, &'a crate::model::Enum>,
}

impl<'a> Index<'a> {
    fn new(model: &'a Model) -> Self {
        Self {
            endpoints: model
                .endpoints()
                .iter()
                .map(|e| (e.id(), e))
                .rev()
                .collect(),
            records: model
                .records()
                .iter()
                .map(|r| (r.name(), r))
                .rev()
                .collect(),
            enums: model.enums().iter().map(|e| (e.name(), e)).rev().collect(),
        }
    }

    pub(super) fn endpoint(&self, id: &str) -> Option<&'a Endpoint> {
        self.endpoints.get(id).copied()
    }

    pub(super) fn record(&self, name: &str) -> Option<&'a crate::model::Record> {
        self.records.get(name).copied()
    }

    pub(super) fn enum_named(&self, name: &str) -> Option<&'a crate::model::Enum> {
        self.enums.get(name).copied()
    }
}

/// A change being described.
pub(super) fn change(kind: Kind, group: &Group, message: String) -> Change {
    Change {
        kind,
        group: group.clone(),
        message,
        wire: WireImpact::Safe,
        semver: Semver::Patch,
        docs_only: false,
        wire_why: None,
        rust_why: None,
        help: None,
        old: None,
        new: None,
        terms: Vec::new(),
        since: None,
    }
}

impl Change {
    pub(super) fn wire_is(mut self, wire: WireImpact, why: impl Into<String>) -> Self {
        self.wire = wire;
        if wire.is_breaking() {
            self.wire_why = Some(why.into());
        }
        self
    }

    pub(super) fn rust_is(mut self, semver: Semver, why: impl Into<String>) -> Self {
        self.semver = semver;
        self.rust_why = Some(why.into());
        self
    }

    pub(super) fn docs(mut self) -> Self {
        self.docs_only = true;
        self
    }

    pub(super) fn at(mut self, old: Option<Span>, new: Option<Span>) -> Self {
        self.old = old;
        self.new = new;
        self
    }

    pub(super) fn terms(mut self, terms: &[&str]) -> Self {
        self.terms.extend(terms.iter().map(|t| (*t).to_string()));
        self
    }
}

/// `a` and `b` differ: the names of the keys whose values differ.
pub(super) fn differing<'k>(pairs: &[(&'k str, bool)]) -> Vec<&'k str> {
    pairs
        .iter()
        .filter(|(_, same)| !same)
        .map(|(k, _)| *k)
        .collect()
}

/// A docs-only change listing which keys changed.
pub(super) fn docs_change(
    group: &Group,
    what: &str,
    keys: &[&str],
    old: Option<Span>,
    new: Option<Span>,
) -> Change {
    let keys: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    change(
        Kind::DocsChanged,
        group,
        format!("{} of {what} changed", keys.join(", ")),
    )
    .docs()
    .rust_is(Semver::Patch, "only documentation changes")
    .at(old, new)
}

impl Cx<'_> {
    pub(super) fn push(&mut self, change: Change) {
        self.out.push(change);
    }

    fn api(&mut self) {
        let (a, b) = (self.old.api(), self.new.api());
        let group = Group::Api;
        for (key, old, new, why) in [
            (
                "base_url",
                a.base_url(),
                b.base_url(),
                "old clients keep calling the old host by default",
            ),
            (
                "token_param",
                a.token_param(),
                b.token_param(),
                "old clients send the access token under the old name",
            ),
            (
                "content_type",
                a.content_type(),
                b.content_type(),
                "old clients send bodies of the old media type",
            ),
        ] {
            if old != new {
                let c = change(
                    Kind::ApiChanged,
                    &group,
                    format!("`api.{key}` changed from `{old}` to `{new}`"),
                )
                .wire_is(WireImpact::BreaksClients, why)
                .rust_is(Semver::Patch, "only a constant's value changes")
                .at(self.ol.api(key), self.nl.api(key))
                .terms(&[key]);
                self.push(c);
            }
        }
        let keys = differing(&[
            ("name", a.name() == b.name()),
            ("description", a.description() == b.description()),
            ("note", a.note() == b.note()),
            ("source", a.source() == b.source()),
        ]);
        if let Some(&first) = keys.first() {
            self.push(docs_change(
                &group,
                "the api",
                &keys,
                self.ol.api(first),
                self.nl.api(first),
            ));
        }
        let fields = FieldSet {
            group: Group::Api,
            old_owner: Owner::Envelope,
            new_owner: Owner::Envelope,
            type_name: "the envelope".into(),
            usage: Usage::REPLY,
            shared: true,
        };
        self.fields(&fields, a.envelope(), b.envelope());
    }

    fn endpoints(&mut self) {
        let (old, new) = (self.old, self.new);
        // Endpoints only in the new spec, by path: the candidates for a rename.
        let mut new_only: HashMap<&str, &Endpoint> = HashMap::new();
        for endpoint in new.endpoints().iter().rev() {
            if self.oi.endpoint(endpoint.id()).is_none() {
                new_only.insert(endpoint.path(), endpoint);
            }
        }
        let mut renamed_to: HashMap<&str, &Endpoint> = HashMap::new();
        for endpoint in old.endpoints() {
            if self.ni.endpoint(endpoint.id()).is_some() {
                continue;
            }
            if let Some(target) = new_only.remove(endpoint.path()) {
                renamed_to.insert(endpoint.id(), target);
            }
        }
        for endpoint in old.endpoints() {
            if let Some(other) = self.ni.endpoint(endpoint.id()) {
                self.endpoint(endpoint, other);
            } else if let Some(other) = renamed_to.get(endpoint.id()) {
                let group = Group::Endpoint(other.id().to_string());
                let c = change(
                    Kind::EndpointRenamed,
                    &group,
                    format!(
                        "endpoint `{}` renamed to `{}` (same path `{}`)",
                        endpoint.id(),
                        other.id(),
                        other.path()
                    ),
                )
                .rust_is(
                    Semver::Major,
                    format!(
                        "the client method `{}` and the types `{}`, `{}` are renamed",
                        endpoint.id(),
                        endpoint.request().type_name(),
                        endpoint.response().type_name()
                    ),
                )
                .at(
                    self.ol.endpoint(endpoint.id(), "id"),
                    self.nl.endpoint(other.id(), "id"),
                )
                .terms(&[endpoint.id(), other.id(), other.path(), other.summary()]);
                self.push(c);
                self.endpoint(endpoint, other);
            } else {
                let group = Group::Endpoint(endpoint.id().to_string());
                let c = change(
                    Kind::EndpointRemoved,
                    &group,
                    format!(
                        "endpoint `{}` (`{}`) removed",
                        endpoint.id(),
                        endpoint.path()
                    ),
                )
                .wire_is(WireImpact::BreaksClients, "old clients still call it")
                .rust_is(
                    Semver::Major,
                    format!(
                        "`{}`, `{}` and the client method `{}` disappear",
                        endpoint.request().type_name(),
                        endpoint.response().type_name(),
                        endpoint.id()
                    ),
                )
                .at(self.ol.endpoint(endpoint.id(), "id"), None)
                .terms(&[endpoint.id(), endpoint.path(), endpoint.summary()]);
                self.push(c);
            }
        }
        let renamed: std::collections::HashSet<&str> =
            renamed_to.values().map(|e| e.id()).collect();
        for endpoint in new.endpoints() {
            if self.oi.endpoint(endpoint.id()).is_some() || renamed.contains(endpoint.id()) {
                continue;
            }
            let group = Group::Endpoint(endpoint.id().to_string());
            let c = change(
                Kind::EndpointAdded,
                &group,
                format!("endpoint `{}` (`{}`) added", endpoint.id(), endpoint.path()),
            )
            .rust_is(
                Semver::Minor,
                format!(
                    "new types `{}`, `{}`{}",
                    endpoint.request().type_name(),
                    endpoint.response().type_name(),
                    if endpoint.token() == TokenPlacement::None {
                        String::new()
                    } else {
                        format!(" and a new client method `{}`", endpoint.id())
                    }
                ),
            )
            .at(None, self.nl.endpoint(endpoint.id(), "id"))
            .terms(&[endpoint.id(), endpoint.path(), endpoint.summary()]);
            self.push(c);
        }
    }

    fn endpoint(&mut self, a: &Endpoint, b: &Endpoint) {
        let group = Group::Endpoint(b.id().to_string());
        let (oid, nid) = (a.id(), b.id());
        let terms = [b.id(), b.path(), b.summary(), a.path()];
        if a.path() != b.path() {
            let c = change(
                Kind::PathChanged,
                &group,
                format!("path changed from `{}` to `{}`", a.path(), b.path()),
            )
            .wire_is(WireImpact::BreaksClients, "old clients call the old path")
            .rust_is(Semver::Patch, "the client method keeps its signature")
            .at(self.ol.endpoint(oid, "path"), self.nl.endpoint(nid, "path"))
            .terms(&terms);
            self.push(c);
        }
        if a.method() != b.method() {
            let c = change(
                Kind::MethodChanged,
                &group,
                format!(
                    "method changed from {} to {}",
                    a.method().as_str(),
                    b.method().as_str()
                ),
            )
            .wire_is(WireImpact::BreaksClients, "old clients use the old method")
            .rust_is(Semver::Patch, "the client method keeps its signature")
            .at(
                self.ol.endpoint(oid, "method"),
                self.nl.endpoint(nid, "method"),
            )
            .terms(&terms);
            self.push(c);
        }
        if a.token() != b.token() {
            let name = |t: TokenPlacement| match t {
                TokenPlacement::Query => "query",
                TokenPlacement::Body => "body",
                TokenPlacement::None => "none",
            };
            let (semver, why) = match (a.token(), b.token()) {
                (TokenPlacement::None, _) => {
                    (Semver::Minor, format!("the client gains a method `{nid}`"))
                }
                (_, TokenPlacement::None) => (
                    Semver::Major,
                    format!("the client loses its method `{oid}`"),
                ),
                _ => (
                    Semver::Patch,
                    "the client places the token itself; no signature changes".to_string(),
                ),
            };
            let c = change(
                Kind::TokenMoved,
                &group,
                format!(
                    "the access token moved from `{}` to `{}`",
                    name(a.token()),
                    name(b.token())
                ),
            )
            .wire_is(
                WireImpact::BreaksClients,
                "old clients send the token where the server no longer looks",
            )
            .rust_is(semver, why)
            .at(
                self.ol.endpoint(oid, "token"),
                self.nl.endpoint(nid, "token"),
            )
            .terms(&terms);
            self.push(c);
        }
        if a.envelope() != b.envelope() {
            let c = change(
                Kind::EnvelopeChanged,
                &group,
                format!(
                    "the reply {} the envelope (`errcode`, `errmsg`)",
                    if b.envelope() {
                        "now carries"
                    } else {
                        "no longer carries"
                    }
                ),
            )
            .wire_is(
                WireImpact::BreaksReaders,
                "old readers look for the error code where it no longer is",
            )
            .rust_is(
                Semver::Major,
                format!(
                    "`{}` {} the envelope's fields",
                    b.response().type_name(),
                    if b.envelope() { "gains" } else { "loses" }
                ),
            )
            .at(
                self.ol.endpoint(oid, "envelope"),
                self.nl.endpoint(nid, "envelope"),
            )
            .terms(&terms);
            self.push(c);
        }
        if a.paging() != b.paging() {
            let (message, semver, why) = match (a.paging(), b.paging()) {
                (None, Some(_)) => (
                    "the endpoint now pages".to_string(),
                    Semver::Minor,
                    "the reply gains a `Paged` implementation",
                ),
                (Some(_), None) => (
                    "the endpoint no longer pages".to_string(),
                    Semver::Major,
                    "the reply loses its `Paged` implementation",
                ),
                _ => (
                    "how the endpoint pages changed".to_string(),
                    Semver::Patch,
                    "the paging code changes, not its signature",
                ),
            };
            let c = change(Kind::PagingChanged, &group, message)
                .rust_is(semver, why)
                .at(
                    self.ol.endpoint(oid, "paging"),
                    self.nl.endpoint(nid, "paging"),
                )
                .terms(&terms);
            self.push(c);
        }
        let keys = differing(&[
            ("summary", a.summary() == b.summary()),
            ("description", a.description() == b.description()),
            ("note", a.note() == b.note()),
            ("source", a.source() == b.source()),
            (
                "request.description",
                a.request().description() == b.request().description(),
            ),
            ("request.note", a.request().note() == b.request().note()),
            (
                "response.description",
                a.response().description() == b.response().description(),
            ),
            ("response.note", a.response().note() == b.response().note()),
        ]);
        if let Some(&first) = keys.first() {
            let c = docs_change(
                &group,
                &format!("endpoint `{nid}`"),
                &keys,
                self.ol.endpoint(oid, first),
                self.nl.endpoint(nid, first),
            );
            self.push(c);
        }
        for (old_owner, new_owner, usage, am, bm) in [
            (
                Owner::Request(oid.into()),
                Owner::Request(nid.into()),
                Usage::REQUEST,
                a.request(),
                b.request(),
            ),
            (
                Owner::Reply(oid.into()),
                Owner::Reply(nid.into()),
                Usage::REPLY,
                a.response(),
                b.response(),
            ),
        ] {
            let set = FieldSet {
                group: group.clone(),
                old_owner,
                new_owner,
                type_name: bm.type_name().to_string(),
                usage,
                shared: false,
            };
            self.fields(&set, am.fields(), bm.fields());
            // A reply struct holds the envelope's fields too.
            let whole = |model: &Model, endpoint: &Endpoint, message: &crate::model::Message| {
                let envelope = if usage.reply && endpoint.envelope() {
                    model.api().envelope()
                } else {
                    &[]
                };
                envelope
                    .iter()
                    .chain(message.fields())
                    .cloned()
                    .collect::<Vec<Field>>()
            };
            let (old_all, new_all) = (whole(self.old, a, am), whole(self.new, b, bm));
            self.struct_traits(&set, &old_all, &new_all);
        }
    }
}
