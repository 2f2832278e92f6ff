//! The syntax tree of a spec file: what the YAML says, with a position on every node.
//!
//! These types are the spec format. `spec/wecard.schema.json` is derived from them (see
//! [`json_schema`](crate::spec::json_schema)), and `spec/README.md` documents each one. They are
//! filled by the decoder in [`decode`](super::decode), which reports every problem it meets rather
//! than stopping at the first; nothing here is resolved or checked yet (that is [`crate::check`]).

use std::sync::Arc;

use serde::Serialize;

use crate::pattern::{CompiledPattern, PatternError};
use crate::source::Span;

use super::type_expr::TypeExpr;

/// A value together with where it was written.
///
/// Serializes (and appears in the JSON Schema) as the bare value.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where the value starts in the spec file.
    pub span: Span,
}

impl<T> Located<T> {
    /// Pairs a value with its span.
    pub fn new(value: T, span: Span) -> Self {
        Self { value, span }
    }
}

impl<T: Serialize> Serialize for Located<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

#[cfg(feature = "json-schema")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Located<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }

    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

/// A whole spec file: the API's conventions, its vocabulary and its endpoints.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "json-schema",
    schemars(title = "WeCard API spec", deny_unknown_fields)
)]
pub struct Spec {
    /// Version of the spec format itself. Only `1` exists.
    pub wecard_spec: Located<u32>,
    /// Conventions shared by every endpoint.
    pub api: Api,
    /// Dated changes to the API, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changelog: Vec<ChangelogEntry>,
    /// Coded value sets (gender codes, identity classification, ...). Each becomes an open enum.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enums: Vec<EnumDef>,
    /// Records shared by several endpoints (the member, the organization, ...).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<RecordDef>,
    /// The error-code table.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub error_codes: Vec<ErrorCodeDef>,
    /// Which endpoint creates a user and which record a user is read back as: what
    /// `#[derive(WecardUser)]` maps a school's own struct onto.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<UserDef>,
    /// The push events WeCard POSTs to a school's URL, and what each one carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<EventsDef>,
    /// The endpoints, in the order they are documented and generated.
    pub endpoints: Vec<EndpointDef>,
}

/// The push events: WeCard POSTs `{app_key, school_code, event, raw_data}` to a school's URL,
/// `raw_data` being the payload, encrypted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(deny_unknown_fields))]
pub struct EventsDef {
    /// Name of the string enum whose values are the event codes (`EventType`). Every event
    /// listed must be one of its values; its Rust variant is that value's name.
    pub codes: Located<String>,
    /// What the pushes are, in the source's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Located<String>>,
    /// For readers: the facts of the sources and what is uncertain (encryption, encoding,
    /// retries), marked `uncertain: …`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Located<String>>,
    /// For maintainers: why the spec reads as it does. Never shown in the docs or the
    /// generated code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Located<String>>,
    /// Where the facts come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Located<String>>,
    /// The events whose payload is documented (or known to be undocumented), in order.
    pub list: Vec<EventDef>,
}

/// One push event.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(deny_unknown_fields))]
pub struct EventDef {
    /// The event code as sent in `event` (`addUser`), a value of the `codes` enum.
    pub code: Located<String>,
    /// The record the decrypted payload is (`Member`), or `undocumented` when no source gives
    /// its shape: the payload is then kept as raw JSON.
    pub payload: Located<String>,
    /// What the event means, in the source's words.
    pub description: Located<String>,
    /// For readers: facts about the event, and what is uncertain, marked `uncertain: …`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Located<String>>,
    /// For maintainers: why the spec reads as it does. Never shown in the docs or the
    /// generated code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Located<String>>,
    /// Where the event is documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Located<String>>,
}

/// The `payload` word for an event whose payload no source documents.
pub const UNDOCUMENTED_PAYLOAD: &str = "undocumented";

/// The WeCard user, as `#[derive(WecardUser)]` sees it: created through one endpoint's request,
/// read back as one record.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(deny_unknown_fields))]
pub struct UserDef {
    /// Id of the endpoint whose request creates (or updates) a user (`create_user`).
    pub create: Located<String>,
    /// Name of the record that describes a user in replies (`Member`).
    pub member: Located<String>,
    /// For readers: what the docs and rustdoc show beside the item (facts of the sources,
    /// and what is uncertain, marked `uncertain: …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Located<String>>,
    /// For maintainers: why the spec reads as it does (which source was followed, what was
    /// chosen and why). Never shown in the docs or the generated code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Located<String>>,
}

/// Conventions shared by every endpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(deny_unknown_fields))]
pub struct Api {
    /// Human name of the API.
    pub name: Located<String>,
    /// What the API is, in the source's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Located<String>>,
    /// Default base URL (`https://host`, no trailing slash). Clients let users override it.
    pub base_url: Located<String>,
    /// The HTTP method every endpoint uses unless it says otherwise.
    pub method: Located<HttpMethod>,
    /// Request body media type.
    pub content_type: Located<String>,
    /// Name of the access-token parameter, wherever an endpoint places it.
    pub token_param: Located<String>,
    /// Fields every reply carries beside its payload (`errcode`, `errmsg`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub envelope: Vec<FieldDef>,
    /// How an app applies for the fields marked `needs_grant` (需申请), in the source's words:
    /// shown with the 需申请 legend and on every page whose reply carries such fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant_instructions: Option<Located<String>>,
    /// For readers: what the docs and rustdoc show beside the item (facts of the sources,
    /// and what is uncertain, marked `uncertain: …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Located<String>>,
    /// For maintainers: why the spec reads as it does (which source was followed, what was
    /// chosen and why). Never shown in the docs or the generated code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Located<String>>,
    /// Where these facts come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Located<String>>,
}

/// HTTP methods an endpoint may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
pub enum HttpMethod {
    /// `GET`
    #[serde(rename = "GET")]
    Get,
    /// `POST`
    #[serde(rename = "POST")]
    Post,
}

impl HttpMethod {
    /// The method as written on the wire (`POST`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
        }
    }
}

/// One dated change to the API.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(deny_unknown_fields))]
pub struct ChangelogEntry {
    /// `YYYY-MM-DD`.
    pub date: Located<String>,
    /// What changed, in the source's words.
    pub description: Located<String>,
    /// For readers: what the docs and rustdoc show beside the item (facts of the sources,
    /// and what is uncertain, marked `uncertain: …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Located<String>>,
    /// For maintainers: why the spec reads as it does (which source was followed, what was
    /// chosen and why). Never shown in the docs or the generated code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Located<String>>,
}

/// A coded value set. Generated as an open enum: unknown values are kept, never rejected.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(deny_unknown_fields))]
pub struct EnumDef {
    /// Type name, `UpperCamelCase` (`Gender`, `IdentityClass`).
    pub name: Located<String>,
    /// What the codes mean, in the source's words.
    pub description: Located<String>,
    /// How a code is written on the wire.
    pub repr: Located<EnumRepr>,
    /// The known codes.
    pub values: Vec<EnumValueDef>,
    /// For readers: what the docs and rustdoc show beside the item (facts of the sources,
    /// and what is uncertain, marked `uncertain: …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Located<String>>,
    /// For maintainers: why the spec reads as it does (which source was followed, what was
    /// chosen and why). Never shown in the docs or the generated code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Located<String>>,
    /// Where these codes come from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Located<String>>,
}

/// How an enum's codes are written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum EnumRepr {
    /// Integer codes (`1`); a field may still accept `"1"` with `lenient: true`.
    Int,
    /// String codes (`addUser`).
    String,
}

/// One known code of an enum.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(deny_unknown_fields))]
pub struct EnumValueDef {
    /// The code as written on the wire: an integer or a string, matching the enum's `repr`.
    pub value: Located<Scalar>,
    /// Variant name, `snake_case` or `UpperCamelCase` (`student`).
    pub name: Located<String>,
    /// What the code means, in the source's words.
    pub description: Located<String>,
    /// The text a request sends where a text field carries this value (`男` for a gender
    /// written as text when creating a user), as a source shows it. Without it the value is
    /// never turned into text: a description is not a wire text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<Located<String>>,
    /// For readers: what the docs and rustdoc show beside the item (facts of the sources,
    /// and what is uncertain, marked `uncertain: …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Located<String>>,
    /// For maintainers: why the spec reads as it does (which source was followed, what was
    /// chosen and why). Never shown in the docs or the generated code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Located<String>>,
}

/// An integer or a string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Scalar {
    /// An integer.
    Int(i64),
    /// A string.
    String(String),
}

impl std::fmt::Display for Scalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scalar::Int(value) => write!(f, "{value}"),
            Scalar::String(value) => write!(f, "{value:?}"),
        }
    }
}

/// A record shared by several endpoints.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(deny_unknown_fields))]
pub struct RecordDef {
    /// Type name, `UpperCamelCase` (`Member`).
    pub name: Located<String>,
    /// What the record is, in the source's words.
    pub description: Located<String>,
    /// The record's fields, in wire order.
    pub fields: Vec<FieldDef>,
    /// For readers: what the docs and rustdoc show beside the item (facts of the sources,
    /// and what is uncertain, marked `uncertain: …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Located<String>>,
    /// For maintainers: why the spec reads as it does (which source was followed, what was
    /// chosen and why). Never shown in the docs or the generated code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Located<String>>,
    /// Where this record comes from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Located<String>>,
}

/// One field of a record, a request or a reply.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(deny_unknown_fields))]
pub struct FieldDef {
    /// The name on the wire (the JSON key), exactly as the API spells it.
    pub name: Located<String>,
    /// Rust field name, when the one derived from `name` is not wanted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rust_name: Option<Located<String>>,
    /// The field's type: `string`, `int`, `bool`, `datetime`, `list<T>`, or the name of an enum or a
    /// record.
    #[serde(rename = "type")]
    pub ty: Located<TypeExpr>,
    /// Must be present (in a request: the caller must give it; in a reply: the server always sends it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<Located<bool>>,
    /// 需申请: only returned to apps that applied for this field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs_grant: Option<Located<bool>>,
    /// The changelog date (`YYYY-MM-DD`) on which the field appeared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<Located<String>>,
    /// What the field means, in the source's words (Chinese as written).
    pub description: Located<String>,
    /// An example value, as the source shows it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<Located<serde_json::Value>>,
    /// A default the server applies when the field is absent (documentation only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Located<serde_json::Value>>,
    /// Validation rules, checked before a request is sent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Located<RuleDef>>,
    /// How the value is written when we send it, when that differs from its type's natural JSON
    /// form (`string`: an `int` sent as `"2022"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wire: Option<Located<WireForm>>,
    /// Accept both a number and a numeric string when reading, whatever `wire` says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lenient: Option<Located<bool>>,
    /// The server may send an explicit `null`, which must be kept apart from an absent field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nullable: Option<Located<bool>>,
    /// A credential (`app_secret`, an access token): generated code never shows its value in
    /// `Debug` output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Located<bool>>,
    /// For readers: what the docs and rustdoc show beside the item (facts of the sources,
    /// and what is uncertain, marked `uncertain: …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Located<String>>,
    /// For maintainers: why the spec reads as it does (which source was followed, what was
    /// chosen and why). Never shown in the docs or the generated code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Located<String>>,
}

/// How a value is written on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum WireForm {
    /// As a JSON number.
    Number,
    /// As a JSON string.
    String,
}

/// One validation rule: exactly one of `length`, `range`, `items`, `pattern`, `format` or
/// `one_of`, optionally with `level` and `when`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(deny_unknown_fields))]
pub struct RuleDef {
    // `length`, `range` and `items` are placed at their key rather than their value: the key
    // says what the rule checks. (Doc comments here become the JSON Schema's descriptions.)
    /// Length of a string, in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<Located<Bounds>>,
    /// Value of an integer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<Located<Bounds>>,
    /// Number of items in a list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Located<Bounds>>,
    /// A regular expression the whole string must match (implicitly anchored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<Located<PatternDef>>,
    /// A named format; see `spec/README.md` for the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Located<String>>,
    /// The value must be one of these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub one_of: Option<Located<Vec<Scalar>>>,
    /// `default` rules always run; `strict` rules are data-quality checks a caller opts into.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Located<RuleLevel>>,
    /// Apply the rule only when another field of the same request has a given value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<Condition>,
    /// For readers: what the docs and rustdoc show beside the item (facts of the sources,
    /// and what is uncertain, marked `uncertain: …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Located<String>>,
    /// For maintainers: why the spec reads as it does (which source was followed, what was
    /// chosen and why). Never shown in the docs or the generated code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Located<String>>,
}

/// A `pattern:` as written, compiled once when it is read.
///
/// Serializes (and appears in the JSON Schema) as the pattern's text.
#[derive(Debug, Clone)]
pub struct PatternDef {
    /// The pattern as written (Rust `regex` syntax).
    pub source: String,
    compiled: Result<Arc<CompiledPattern>, PatternError>,
}

impl PatternDef {
    /// Compiles `source`; a pattern that does not compile keeps the reason, for `check` to report.
    pub fn compile(source: String) -> Self {
        let compiled = crate::pattern::compile(&source).map(Arc::new);
        Self { source, compiled }
    }

    /// The compiled pattern, or why it does not compile.
    pub fn compiled(&self) -> Result<&Arc<CompiledPattern>, &PatternError> {
        self.compiled.as_ref()
    }
}

impl PartialEq for PatternDef {
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
    }
}

impl Serialize for PatternDef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.source.serialize(serializer)
    }
}

#[cfg(feature = "json-schema")]
impl schemars::JsonSchema for PatternDef {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        String::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        String::schema_id()
    }

    fn inline_schema() -> bool {
        String::inline_schema()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

/// Inclusive lower and upper bounds; at least one is given.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(deny_unknown_fields))]
pub struct Bounds {
    /// Smallest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Located<i64>>,
    /// Largest allowed value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Located<i64>>,
}

/// Which validation level a rule belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum RuleLevel {
    /// Always checked.
    Default,
    /// Checked only when the caller asks for strict validation.
    Strict,
}

/// "Only when field `field` equals `equals`."
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(deny_unknown_fields))]
pub struct Condition {
    /// Wire name of a sibling field.
    pub field: Located<String>,
    /// The value it must have (compared by its wire code for enums).
    pub equals: Located<Scalar>,
}

/// One row of the error-code table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(deny_unknown_fields))]
pub struct ErrorCodeDef {
    /// The `errcode` value.
    pub code: Located<i64>,
    /// Variant name, `snake_case` or `UpperCamelCase` (`access_token_expired`).
    pub name: Located<String>,
    /// The meaning, in the source's words.
    pub description: Located<String>,
    /// The meaning in English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meaning: Option<Located<String>>,
    /// What a client does about it.
    pub handling: Located<Handling>,
    /// For readers: what the docs and rustdoc show beside the item (facts of the sources,
    /// and what is uncertain, marked `uncertain: …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Located<String>>,
    /// For maintainers: why the spec reads as it does (which source was followed, what was
    /// chosen and why). Never shown in the docs or the generated code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Located<String>>,
}

/// What a client does about an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Handling {
    /// Drop the cached access token, fetch a new one and replay the call once.
    RefreshToken,
    /// The app's configuration is wrong (credentials, ocode, app not enabled): do not retry.
    Configuration,
    /// The request itself is wrong: fix it, do not retry.
    Request,
    /// The thing asked for does not exist.
    NotFound,
    /// The app lacks a grant for the API or a field.
    Permission,
}

/// One endpoint.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(deny_unknown_fields))]
pub struct EndpointDef {
    /// Identifier, `snake_case` (`create_user`): names the client method and, in `UpperCamelCase`,
    /// the request and reply types (`CreateUserRequest`, `CreateUserResponse`).
    pub id: Located<String>,
    /// Short title, in the source's words (新增用户).
    pub summary: Located<String>,
    /// What the endpoint does, in the source's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Located<String>>,
    /// Path below the base URL, starting with `/`.
    pub path: Located<String>,
    /// The HTTP method, when it differs from `api.method`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Located<HttpMethod>>,
    /// Where the access token travels.
    pub token: Located<TokenPlacement>,
    /// Whether the reply carries `api.envelope` (default `true`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envelope: Option<Located<bool>>,
    /// The request body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<MessageDef>,
    /// The reply payload (beside the envelope).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response: Option<MessageDef>,
    /// How the endpoint pages, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<PagingDef>,
    /// For readers: what the docs and rustdoc show beside the item (facts of the sources,
    /// and what is uncertain, marked `uncertain: …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Located<String>>,
    /// For maintainers: why the spec reads as it does (which source was followed, what was
    /// chosen and why). Never shown in the docs or the generated code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Located<String>>,
    /// Where the endpoint is documented.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Located<String>>,
}

/// Where an endpoint's access token travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TokenPlacement {
    /// As the query parameter `api.token_param`.
    Query,
    /// As the JSON body field `api.token_param`.
    Body,
    /// Not at all (the token endpoint itself).
    None,
}

/// A request body or a reply payload.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(deny_unknown_fields))]
pub struct MessageDef {
    /// What the message carries, when it needs saying.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Located<String>>,
    /// The fields, in wire order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldDef>,
    /// For readers: what the docs and rustdoc show beside the item (facts of the sources,
    /// and what is uncertain, marked `uncertain: …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Located<String>>,
    /// For maintainers: why the spec reads as it does (which source was followed, what was
    /// chosen and why). Never shown in the docs or the generated code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale: Option<Located<String>>,
}

/// How a paged endpoint pages: by page number, with the total count in the reply.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "json-schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "json-schema", schemars(deny_unknown_fields))]
pub struct PagingDef {
    /// Request field holding the 1-based page number.
    pub page: Located<String>,
    /// Request field holding the page size.
    pub page_size: Located<String>,
    /// Reply field holding the total number of items.
    pub total: Located<String>,
    /// Reply field holding the page's items (a list).
    pub items: Located<String>,
    /// Largest page size the server accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_page_size: Option<Located<i64>>,
}
