//! Where things are in a spec file: the syntax tree searched by the names the model uses.

use crate::source::Span;
use crate::spec::{EndpointDef, FieldDef, Scalar, Spec};

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

/// Finds places in one spec.
#[derive(Debug, Clone, Copy)]
pub(super) struct Locator<'a> {
    spec: &'a Spec,
}

impl<'a> Locator<'a> {
    pub(super) fn new(spec: &'a Spec) -> Self {
        Self { spec }
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
        self.spec.endpoints.iter().find(|e| e.id.value == id)
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

    fn fields(&self, owner: &Owner) -> Option<&'a [FieldDef]> {
        match owner {
            Owner::Record(name) => self
                .spec
                .records
                .iter()
                .find(|r| &r.name.value == name)
                .map(|r| r.fields.as_slice()),
            Owner::Request(id) => self
                .endpoint_def(id)
                .and_then(|e| e.request.as_ref())
                .map(|m| m.fields.as_slice()),
            Owner::Reply(id) => self
                .endpoint_def(id)
                .and_then(|e| e.response.as_ref())
                .map(|m| m.fields.as_slice()),
            Owner::Envelope => Some(self.spec.api.envelope.as_slice()),
        }
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
        let Some(field) = self
            .fields(owner)
            .and_then(|fields| fields.iter().find(|f| f.name.value == wire_name))
        else {
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
        let record = self.spec.records.iter().find(|r| r.name.value == name)?;
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
        let definition = self.spec.enums.iter().find(|e| e.name.value == name)?;
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
        let definition = self.spec.enums.iter().find(|e| e.name.value == name)?;
        let Some(value) = definition.values.iter().find(|v| &v.value.value == code) else {
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
        let entry = self
            .spec
            .error_codes
            .iter()
            .find(|e| e.code.value == code)?;
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
