//! The checked, resolved model of a spec: what the emitters and the derive macro read.
//!
//! Everything here is resolved (type names point at definitions, Rust names are computed) and
//! read-only: fields are private and exposed through accessors, so consumers cannot build an
//! inconsistent model. Order is the spec's order throughout, which keeps output deterministic.

mod events;
mod lower;
mod rules;
mod user;

pub use events::{Event, Events};
pub use rules::{Condition, Format, Level, Rule, RuleKind};
pub use user::{FIELD_TABLE_HEADER, User, UserField};

pub(crate) use user::UserNames;

pub(crate) use lower::lower;

use crate::spec::{EnumRepr, Handling, HttpMethod, Scalar, TokenPlacement};

/// The whole API, checked and resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub(crate) source_name: String,
    pub(crate) api: Api,
    pub(crate) changelog: Vec<Change>,
    pub(crate) enums: Vec<Enum>,
    pub(crate) records: Vec<Record>,
    pub(crate) error_codes: Vec<ErrorCode>,
    pub(crate) endpoints: Vec<Endpoint>,
    pub(crate) user: Option<UserNames>,
    pub(crate) events: Option<Events>,
}

impl Model {
    /// The spec file's name as given when loading (`spec/wecard.yaml`).
    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// The conventions shared by all endpoints.
    pub fn api(&self) -> &Api {
        &self.api
    }

    /// Dated changes, oldest first.
    pub fn changelog(&self) -> &[Change] {
        &self.changelog
    }

    /// Coded value sets.
    pub fn enums(&self) -> &[Enum] {
        &self.enums
    }

    /// Shared records.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// The error-code table.
    pub fn error_codes(&self) -> &[ErrorCode] {
        &self.error_codes
    }

    /// The endpoints, in spec order.
    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }

    /// The WeCard user (the spec's `user:`): the request that creates one and the record that
    /// describes one. `None` when the spec has no `user:` section.
    pub fn user(&self) -> Option<User<'_>> {
        let names = self.user.as_ref()?;
        Some(User {
            model: self,
            endpoint: self.endpoint(&names.create)?,
            member: self.record(&names.member)?,
            note: names.note.as_deref(),
        })
    }

    /// The push events (the spec's `events:`), or `None` when the spec has no such section.
    pub fn events(&self) -> Option<&Events> {
        self.events.as_ref()
    }

    /// Looks up an endpoint by id.
    pub fn endpoint(&self, id: &str) -> Option<&Endpoint> {
        self.endpoints.iter().find(|endpoint| endpoint.id == id)
    }

    /// Looks up a record by name.
    pub fn record(&self, name: &str) -> Option<&Record> {
        self.records.iter().find(|record| record.name == name)
    }

    /// Looks up an enum by name.
    pub fn enum_named(&self, name: &str) -> Option<&Enum> {
        self.enums.iter().find(|definition| definition.name == name)
    }

    /// How many distinct generated types there are: records, enums, and a request and a reply
    /// per endpoint.
    pub fn type_count(&self) -> usize {
        self.records.len() + self.enums.len() + 2 * self.endpoints.len()
    }
}

/// Conventions shared by all endpoints.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) base_url: String,
    pub(crate) method: HttpMethod,
    pub(crate) content_type: String,
    pub(crate) token_param: String,
    pub(crate) envelope: Vec<Field>,
    pub(crate) grant_instructions: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) source: Option<String>,
}

impl Api {
    /// Human name of the API.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the API is.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// Default base URL, without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Default HTTP method.
    pub fn method(&self) -> HttpMethod {
        self.method
    }

    /// Request media type.
    pub fn content_type(&self) -> &str {
        &self.content_type
    }

    /// Name of the access-token parameter.
    pub fn token_param(&self) -> &str {
        &self.token_param
    }

    /// Fields every enveloped reply carries (`errcode`, `errmsg`).
    pub fn envelope(&self) -> &[Field] {
        &self.envelope
    }

    /// How an app applies for the fields marked 需申请, in the source's words.
    pub fn grant_instructions(&self) -> Option<&str> {
        self.grant_instructions.as_deref()
    }

    /// What readers should know about the conventions.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// Where the conventions come from.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
}

/// A dated change to the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub(crate) date: String,
    pub(crate) description: String,
    pub(crate) note: Option<String>,
}

impl Change {
    /// `YYYY-MM-DD`.
    pub fn date(&self) -> &str {
        &self.date
    }

    /// What changed.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// A remark on the entry.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}

/// A coded value set, generated as an open enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enum {
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) repr: EnumRepr,
    pub(crate) values: Vec<EnumValue>,
    pub(crate) note: Option<String>,
    pub(crate) source: Option<String>,
}

impl Enum {
    /// Rust type name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the codes mean.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Integer or string codes.
    pub fn repr(&self) -> EnumRepr {
        self.repr
    }

    /// The known codes.
    pub fn values(&self) -> &[EnumValue] {
        &self.values
    }

    /// Why choices were made.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// Where the codes come from.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
}

/// One known code of an enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumValue {
    pub(crate) code: Scalar,
    pub(crate) spec_name: String,
    pub(crate) variant: String,
    pub(crate) description: String,
    pub(crate) text: Option<String>,
    pub(crate) note: Option<String>,
}

impl EnumValue {
    /// The text a request sends where a text field carries this value, when a source gives one.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// The code on the wire.
    pub fn code(&self) -> &Scalar {
        &self.code
    }

    /// The name as written in the spec (`student`).
    pub fn spec_name(&self) -> &str {
        &self.spec_name
    }

    /// Rust variant name (`Student`).
    pub fn variant(&self) -> &str {
        &self.variant
    }

    /// What the code means.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// A remark on the code.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}

/// A shared record.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) fields: Vec<Field>,
    pub(crate) note: Option<String>,
    pub(crate) source: Option<String>,
}

impl Record {
    /// Rust type name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the record is.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Fields in wire order.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// Looks up a field by wire name.
    pub fn field(&self, wire_name: &str) -> Option<&Field> {
        self.fields
            .iter()
            .find(|field| field.wire_name == wire_name)
    }

    /// Wire names of the 需申请 fields, in wire order.
    pub fn grant_fields(&self) -> impl Iterator<Item = &str> {
        self.fields
            .iter()
            .filter(|field| field.needs_grant)
            .map(|field| field.wire_name.as_str())
    }

    /// Why choices were made.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// Where the record comes from.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
}

/// A resolved field type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    /// A string.
    String,
    /// A 64-bit signed integer.
    Int,
    /// A boolean.
    Bool,
    /// A zone-less datetime.
    DateTime,
    /// A list.
    List(Box<Type>),
    /// A spec enum, by Rust name.
    Enum(String),
    /// A spec record, by Rust name.
    Record(String),
}

impl Type {
    /// The innermost item type of nested lists.
    pub fn item(&self) -> &Type {
        match self {
            Type::List(inner) => inner.item(),
            other => other,
        }
    }

    /// How the type is written in a spec (`list<Member>`).
    pub fn spec_name(&self) -> String {
        match self {
            Type::String => "string".into(),
            Type::Int => "int".into(),
            Type::Bool => "bool".into(),
            Type::DateTime => "datetime".into(),
            Type::List(inner) => format!("list<{}>", inner.spec_name()),
            Type::Enum(name) | Type::Record(name) => name.clone(),
        }
    }
}

/// How a value is written when sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wire {
    /// In its type's natural JSON form.
    Natural,
    /// As a JSON string (an `int` sent as `"2022"`).
    String,
}

/// One field of a record, a request or a reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub(crate) wire_name: String,
    pub(crate) rust_name: String,
    pub(crate) ty: Type,
    pub(crate) required: bool,
    pub(crate) needs_grant: bool,
    pub(crate) since: Option<String>,
    pub(crate) description: String,
    pub(crate) example: Option<serde_json::Value>,
    pub(crate) default: Option<serde_json::Value>,
    pub(crate) rules: Vec<Rule>,
    pub(crate) wire: Wire,
    pub(crate) lenient: bool,
    pub(crate) nullable: bool,
    pub(crate) secret: bool,
    pub(crate) note: Option<String>,
}

impl Field {
    /// The JSON key.
    pub fn wire_name(&self) -> &str {
        &self.wire_name
    }

    /// The Rust field name, possibly raw (`r#type`).
    pub fn rust_name(&self) -> &str {
        &self.rust_name
    }

    /// The resolved type.
    pub fn ty(&self) -> &Type {
        &self.ty
    }

    /// Must be present.
    pub fn required(&self) -> bool {
        self.required
    }

    /// 需申请: only returned to apps granted this field.
    pub fn needs_grant(&self) -> bool {
        self.needs_grant
    }

    /// The changelog date on which the field appeared.
    pub fn since(&self) -> Option<&str> {
        self.since.as_deref()
    }

    /// What the field means.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// An example value.
    pub fn example(&self) -> Option<&serde_json::Value> {
        self.example.as_ref()
    }

    /// The example as it travels: a number is written as a JSON string where the field is sent
    /// as one (`wire: string`: `2022` becomes `"2022"`); anything else as the spec gives it.
    pub fn example_on_wire(&self) -> Option<serde_json::Value> {
        self.example.as_ref().map(|example| self.on_wire(example))
    }

    /// `value` (an example, a default, a placeholder of this field's type) as it travels.
    pub fn on_wire(&self, value: &serde_json::Value) -> serde_json::Value {
        match value {
            serde_json::Value::Number(number)
                if self.wire == Wire::String && !matches!(self.ty, Type::List(_)) =>
            {
                serde_json::Value::String(number.to_string())
            }
            other => other.clone(),
        }
    }

    /// The server's default when absent.
    pub fn default(&self) -> Option<&serde_json::Value> {
        self.default.as_ref()
    }

    /// Validation rules.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// How the value is written when sent.
    pub fn wire(&self) -> Wire {
        self.wire
    }

    /// Numbers and numeric strings stand for each other when read.
    pub fn lenient(&self) -> bool {
        self.lenient
    }

    /// An explicit `null` is kept apart from an absent field.
    pub fn nullable(&self) -> bool {
        self.nullable
    }

    /// A credential whose value generated code never shows in `Debug` output.
    pub fn secret(&self) -> bool {
        self.secret
    }

    /// Why choices were made.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}

/// One row of the error-code table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorCode {
    pub(crate) code: i64,
    pub(crate) spec_name: String,
    pub(crate) variant: String,
    pub(crate) description: String,
    pub(crate) meaning: Option<String>,
    pub(crate) handling: Handling,
    pub(crate) note: Option<String>,
}

impl ErrorCode {
    /// The `errcode` value.
    pub fn code(&self) -> i64 {
        self.code
    }

    /// The name as written in the spec.
    pub fn spec_name(&self) -> &str {
        &self.spec_name
    }

    /// Rust variant name.
    pub fn variant(&self) -> &str {
        &self.variant
    }

    /// The meaning, in the source's words.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The meaning in English.
    pub fn meaning(&self) -> Option<&str> {
        self.meaning.as_deref()
    }

    /// What a client does about it.
    pub fn handling(&self) -> Handling {
        self.handling
    }

    /// A remark on the code.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}

/// A request body or reply payload.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub(crate) type_name: String,
    pub(crate) description: Option<String>,
    pub(crate) fields: Vec<Field>,
    pub(crate) note: Option<String>,
}

impl Message {
    /// Rust type name (`CreateUserRequest`).
    pub fn type_name(&self) -> &str {
        &self.type_name
    }

    /// What the message carries.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The endpoint's own fields (the envelope and a body token are not among them).
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// Looks up a field by wire name.
    pub fn field(&self, wire_name: &str) -> Option<&Field> {
        self.fields
            .iter()
            .find(|field| field.wire_name == wire_name)
    }

    /// Why choices were made.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }
}

/// How a paged endpoint pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paging {
    pub(crate) page: String,
    pub(crate) page_size: String,
    pub(crate) total: String,
    pub(crate) items: String,
    pub(crate) max_page_size: Option<i64>,
}

impl Paging {
    /// Request field with the 1-based page number.
    pub fn page(&self) -> &str {
        &self.page
    }

    /// Request field with the page size.
    pub fn page_size(&self) -> &str {
        &self.page_size
    }

    /// Reply field with the total count.
    pub fn total(&self) -> &str {
        &self.total
    }

    /// Reply field with the page's items.
    pub fn items(&self) -> &str {
        &self.items
    }

    /// Largest page size the server accepts.
    pub fn max_page_size(&self) -> Option<i64> {
        self.max_page_size
    }
}

/// One endpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct Endpoint {
    pub(crate) id: String,
    pub(crate) summary: String,
    pub(crate) description: Option<String>,
    pub(crate) path: String,
    pub(crate) method: HttpMethod,
    pub(crate) token: TokenPlacement,
    pub(crate) envelope: bool,
    pub(crate) request: Message,
    pub(crate) response: Message,
    pub(crate) paging: Option<Paging>,
    pub(crate) note: Option<String>,
    pub(crate) source: Option<String>,
}

impl Endpoint {
    /// The id, also the client method name (`create_user`).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Short title.
    pub fn summary(&self) -> &str {
        &self.summary
    }

    /// What it does.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// Path below the base URL.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// HTTP method.
    pub fn method(&self) -> HttpMethod {
        self.method
    }

    /// Where the access token travels.
    pub fn token(&self) -> TokenPlacement {
        self.token
    }

    /// Whether the reply carries the envelope fields.
    pub fn envelope(&self) -> bool {
        self.envelope
    }

    /// The request body (possibly with no fields).
    pub fn request(&self) -> &Message {
        &self.request
    }

    /// The reply payload (possibly with no fields).
    pub fn response(&self) -> &Message {
        &self.response
    }

    /// How it pages, if it does.
    pub fn paging(&self) -> Option<&Paging> {
        self.paging.as_ref()
    }

    /// Why choices were made.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// Where it is documented.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
}
