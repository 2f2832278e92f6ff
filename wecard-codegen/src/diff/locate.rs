//! Where things are in a spec file: the syntax tree searched by the names the model uses.

use std::collections::HashMap;

use crate::source::Span;
use crate::spec::{
    EndpointDef, EnumDef, EnumValueDef, ErrorCodeDef, FieldDef, RecordDef, Scalar, Spec,
};

/// Whose fields: a record's, an endpoint's request or reply, or the envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Owner {
    /// A shared record, by name.
    Record(String),
    /// An endpoint's request, by endpoint id.
    Request(String),
    /// An endpoint's reply, by endpoint id.
    Reply(String),
    /// The `api.envelope` fields.
    Envelope,
}

/// Finds places in one spec. Everything is indexed once, so that placing every change of a
/// large spec costs time linear in its size.
#[derive(Debug)]
pub(super) struct Locator<'a> {
    spec: &'a Spec,
    endpoints: HashMap<&'a str, &'a EndpointDef>,
    records: HashMap<&'a str, &'a RecordDef>,
    enums: HashMap<&'a str, &'a EnumDef>,
    values: HashMap<(&'a str, &'a Scalar), &'a EnumValueDef>,
    codes: HashMap<i64, &'a ErrorCodeDef>,
    /// Fields by (owner kind, owner name, wire name); kinds: record, request, reply, envelope.
    fields: HashMap<(u8, &'a str, &'a str), &'a FieldDef>,
}

impl<'a> Locator<'a> {
    pub(super) fn new(spec: &'a Spec) -> Self {
        let mut fields = HashMap::new();
        let mut add = |kind: u8, owner: &'a str, list: &'a [FieldDef]| {
            for field in list {
                fields
                    .entry((kind, owner, field.name.value.as_str()))
                    .or_insert(field);
            }
        };
        for record in &spec.records {
            add(0, &record.name.value, &record.fields);
        }
        for endpoint in &spec.endpoints {
            if let Some(request) = &endpoint.request {
                add(1, &endpoint.id.value, &request.fields);
            }
            if let Some(response) = &endpoint.response {
                add(2, &endpoint.id.value, &response.fields);
            }
        }
        add(3, "", &spec.api.envelope);
        let mut values = HashMap::new();
        for definition in &spec.enums {
            for value in &definition.values {
                values
                    .entry((definition.name.value.as_str(), &value.value.value))
                    .or_insert(value);
            }
        }
        Self {
            spec,
            endpoints: first_by(&spec.endpoints, |e| e.id.value.as_str()),
            records: first_by(&spec.records, |r| r.name.value.as_str()),
            enums: first_by(&spec.enums, |e| e.name.value.as_str()),
            values,
            codes: spec
                .error_codes
                .iter()
                .rev()
                .map(|e| (e.code.value, e))
                .collect(),
            fields,
        }
    }

    /// A key of `api:` (`base_url`, `token_param`, `content_type`, `description`, ...).
    pub(super) fn api(&self, key: &str) -> Option<Span> {
        let api = &self.spec.api;
        let span = |v: &Option<crate::spec::Located<String>>| v.as_ref().map(|v| v.span);
        match key {
            "base_url" => Some(api.base_url.span),
            "token_param" => Some(api.token_param.span),
            "content_type" => Some(api.content_type.span),
            "method" => Some(api.method.span),
            "description" => span(&api.description),
            "note" => span(&api.note),
            "source" => span(&api.source),
            _ => None,
        }
        .or(Some(api.name.span))
    }

    fn endpoint_def(&self, id: &str) -> Option<&'a EndpointDef> {
        self.endpoints.get(id).copied()
    }

    /// A key of an endpoint (`path`, `token`, `method`, `paging`, `summary`, ...), or its id.
    pub(super) fn endpoint(&self, id: &str, key: &str) -> Option<Span> {
        let endpoint = self.endpoint_def(id)?;
        let text = |v: &Option<crate::spec::Located<String>>| v.as_ref().map(|v| v.span);
        match key {
            "path" => Some(endpoint.path.span),
            "token" => Some(endpoint.token.span),
            "summary" => Some(endpoint.summary.span),
            "method" => endpoint.method.as_ref().map(|m| m.span),
            "envelope" => endpoint.envelope.as_ref().map(|e| e.span),
            "paging" => endpoint.paging.as_ref().map(|p| p.page.span),
            "description" => text(&endpoint.description),
            "note" => text(&endpoint.note),
            "source" => text(&endpoint.source),
            _ => None,
        }
        .or(Some(endpoint.id.span))
    }

    fn field_def(&self, owner: &Owner, wire_name: &str) -> Option<&'a FieldDef> {
        let key = match owner {
            Owner::Record(name) => (0, name.as_str()),
            Owner::Request(id) => (1, id.as_str()),
            Owner::Reply(id) => (2, id.as_str()),
            Owner::Envelope => (3, ""),
        };
        self.fields.get(&(key.0, key.1, wire_name)).copied()
    }

    /// Where the owner itself is: the record's name, the endpoint's id, the envelope's first field.
    pub(super) fn owner(&self, owner: &Owner) -> Option<Span> {
        match owner {
            Owner::Record(name) => self.record(name, "name"),
            Owner::Request(id) | Owner::Reply(id) => self.endpoint(id, "id"),
            Owner::Envelope => self.api("name"),
        }
    }

    /// A key of a field (`type`, `required`, `rules`, `description`, ...), or its name.
    pub(super) fn field(&self, owner: &Owner, wire_name: &str, key: &str) -> Option<Span> {
        let Some(field) = self.field_def(owner, wire_name) else {
            return self.owner(owner);
        };
        let text = |v: &Option<crate::spec::Located<String>>| v.as_ref().map(|v| v.span);
        let flag = |v: &Option<crate::spec::Located<bool>>| v.as_ref().map(|v| v.span);
        match key {
            "type" => Some(field.ty.span),
            "required" => flag(&field.required),
            "needs_grant" => flag(&field.needs_grant),
            "lenient" => flag(&field.lenient),
            "nullable" => flag(&field.nullable),
            "secret" => flag(&field.secret),
            "since" => text(&field.since),
            "rust_name" => text(&field.rust_name),
            "description" => Some(field.description.span),
            "note" => text(&field.note),
            "example" => field.example.as_ref().map(|e| e.span),
            "default" => field.default.as_ref().map(|e| e.span),
            "wire" => field.wire.as_ref().map(|e| e.span),
            "rules" => field.rules.first().map(|r| r.span),
            _ => None,
        }
        .or(Some(field.name.span))
    }

    /// A key of a record (`description`, `note`, `source`), or its name.
    pub(super) fn record(&self, name: &str, key: &str) -> Option<Span> {
        let record = self.records.get(name)?;
        let text = |v: &Option<crate::spec::Located<String>>| v.as_ref().map(|v| v.span);
        match key {
            "description" => Some(record.description.span),
            "note" => text(&record.note),
            "source" => text(&record.source),
            _ => None,
        }
        .or(Some(record.name.span))
    }

    /// A key of an enum (`repr`, `description`, ...), or its name.
    pub(super) fn enumeration(&self, name: &str, key: &str) -> Option<Span> {
        let definition = self.enums.get(name)?;
        let text = |v: &Option<crate::spec::Located<String>>| v.as_ref().map(|v| v.span);
        match key {
            "repr" => Some(definition.repr.span),
            "description" => Some(definition.description.span),
            "note" => text(&definition.note),
            "source" => text(&definition.source),
            _ => None,
        }
        .or(Some(definition.name.span))
    }

    /// A key of one code of an enum (`name`, `description`, `note`), or its value.
    pub(super) fn enum_value(&self, name: &str, code: &Scalar, key: &str) -> Option<Span> {
        let definition = self.enums.get(name)?;
        let Some(value) = self.values.get(&(name, code)) else {
            return Some(definition.name.span);
        };
        match key {
            "name" => Some(value.name.span),
            "description" => Some(value.description.span),
            "note" => value.note.as_ref().map(|n| n.span),
            _ => None,
        }
        .or(Some(value.value.span))
    }

    /// A key of one error code (`name`, `handling`, `description`, ...), or its code.
    pub(super) fn error_code(&self, code: i64, key: &str) -> Option<Span> {
        let entry = self.codes.get(&code)?;
        let text = |v: &Option<crate::spec::Located<String>>| v.as_ref().map(|v| v.span);
        match key {
            "name" => Some(entry.name.span),
            "handling" => Some(entry.handling.span),
            "description" => Some(entry.description.span),
            "meaning" => text(&entry.meaning),
            "note" => text(&entry.note),
            _ => None,
        }
        .or(Some(entry.code.span))
    }

    /// The `user:` section (`create`, `member`).
    pub(super) fn user(&self, key: &str) -> Option<Span> {
        let user = self.spec.user.as_ref()?;
        match key {
            "member" => Some(user.member.span),
            _ => Some(user.create.span),
        }
    }

    /// The changelog entry at `index`, by its date.
    pub(super) fn changelog(&self, index: usize) -> Option<Span> {
        self.spec.changelog.get(index).map(|e| e.date.span)
    }
}

/// Items by key; the first of duplicates wins (a checked spec has none).
fn first_by<'a, T>(items: &'a [T], key: impl Fn(&'a T) -> &'a str) -> HashMap<&'a str, &'a T> {
    let mut map = HashMap::new();
    for item in items {
        map.entry(key(item)).or_insert(item);
    }
    map
}
