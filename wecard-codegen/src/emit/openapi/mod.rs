//! The spec as an OpenAPI document, for tools that read OpenAPI (Swagger UI, Postman, Prism,
//! oasdiff, generators for other languages).
//!
//! [`export`] (or the [`Export`] builder) turns a [`Model`] into an OpenAPI 3.1 document, or
//! 3.0.3 for tools that read only 3.0:
//!
//! - one operation per endpoint, `operationId` = the endpoint id, at its path and method; a
//!   `POST` takes its request as a JSON body (`components.schemas.<Request>`), a `GET` as query
//!   parameters;
//! - the access token as the `apiKey` security scheme `access_token` in the query; an endpoint
//!   whose token travels in the body lists it as the body's first, required property instead;
//! - the reply (HTTP 200) including the `errcode`/`errmsg` envelope;
//! - `components.schemas` for every record, enum (codes, with names and descriptions in
//!   `x-enum-varnames` / `x-enum-descriptions`), the error-code table (`ErrorCode`), and every
//!   request and reply;
//! - every default-level rule JSON Schema can express: `minLength`/`maxLength`,
//!   `minimum`/`maximum`, `minItems`/`maxItems`, `pattern` (anchored), `format` (`email`, `uri`;
//!   the others as `x-wecard-format`), `enum` for `one_of`; in 3.1, rules with a `when`
//!   condition as `if`/`then` on the enclosing object;
//! - in 3.1, `webhooks`: one per push event, its body (the payload encrypted in `raw_data`, whose
//!   record `x-wecard-payload` names) and the acknowledgement WeCard expects;
//! - descriptions in the spec's words, its examples (`examples` in 3.1, `example` in 3.0), and
//!   what OpenAPI cannot say as `x-wecard-*` extensions (listed in the README).
//!
//! The document depends only on the model: exporting twice gives the same value.

mod components;
mod operations;
mod schema;
mod webhooks;

use serde_json::{Map, Value, json};

use self::schema::Schemas;
use crate::Model;
use crate::spec::TokenPlacement;

/// The name of the access-token security scheme.
pub const SECURITY_SCHEME: &str = "access_token";

/// Which OpenAPI version to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OpenApiVersion {
    /// OpenAPI 3.1.0 (JSON Schema 2020-12): type arrays for `null`, `examples`, `if`/`then`.
    #[default]
    V3_1,
    /// OpenAPI 3.0.3: `nullable`, `example`, no conditional rules (they stay in `x-wecard-rules`).
    V3_0,
}

impl OpenApiVersion {
    /// The `openapi` field of the document (`3.1.0`, `3.0.3`).
    pub fn as_str(self) -> &'static str {
        match self {
            OpenApiVersion::V3_1 => "3.1.0",
            OpenApiVersion::V3_0 => "3.0.3",
        }
    }
}

/// Exports the model as an OpenAPI document of the given version.
pub fn export(model: &Model, version: OpenApiVersion) -> Value {
    Export::new(model).version(version).to_value()
}

/// Builder for an export: `Export::new(&model).version(OpenApiVersion::V3_0).to_json()`.
#[derive(Debug, Clone, Copy)]
pub struct Export<'a> {
    model: &'a Model,
    version: OpenApiVersion,
}

impl<'a> Export<'a> {
    /// An export of `model` as OpenAPI 3.1.
    pub fn new(model: &'a Model) -> Self {
        Self {
            model,
            version: OpenApiVersion::default(),
        }
    }

    /// Chooses the OpenAPI version.
    pub fn version(mut self, version: OpenApiVersion) -> Self {
        self.version = version;
        self
    }

    /// The document as a JSON value.
    pub fn to_value(&self) -> Value {
        document(self.model, self.version)
    }

    /// The document as pretty-printed JSON, ending with a newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(&self.to_value()).unwrap_or_default();
        text.push('\n');
        text
    }
}

fn document(model: &Model, version: OpenApiVersion) -> Value {
    let schemas = Schemas { model, version };
    let api = model.api();

    let mut components = Map::new();
    for definition in model.enums() {
        components.insert(
            definition.name().to_owned(),
            components::enumeration(definition),
        );
    }
    for record in model.records() {
        components.insert(
            record.name().to_owned(),
            components::record(&schemas, record),
        );
    }
    if !model.error_codes().is_empty() {
        components.insert(
            components::ERROR_CODE.to_owned(),
            components::error_codes(model.error_codes()),
        );
    }

    let mut paths = Map::new();
    for endpoint in model.endpoints() {
        let request = endpoint.request().type_name();
        let response = endpoint.response().type_name();
        let token = (endpoint.token() == TokenPlacement::Body
            && endpoint.method() == crate::spec::HttpMethod::Post)
            .then(operations::body_token);
        components.insert(
            request.to_owned(),
            components::request(&schemas, endpoint, token),
        );
        components.insert(
            response.to_owned(),
            components::response(&schemas, endpoint),
        );
        let operation = operations::operation(&schemas, endpoint, request, response);
        let method = endpoint.method().as_str().to_ascii_lowercase();
        let item = paths
            .entry(endpoint.path().to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            item.insert(method, operation);
        }
    }

    let mut info = Map::new();
    info.insert("title".into(), json!(api.name()));
    if let Some(description) = api.description() {
        info.insert("description".into(), json!(description));
    }
    let version_text = model
        .changelog()
        .last()
        .map_or_else(|| "1".to_owned(), |change| change.date().to_owned());
    info.insert("version".into(), json!(version_text));

    let mut document = Map::new();
    document.insert("openapi".into(), json!(version.as_str()));
    document.insert("info".into(), Value::Object(info));
    document.insert("servers".into(), json!([{ "url": api.base_url() }]));
    document.insert("paths".into(), Value::Object(paths));
    if let Some(events) = model.events()
        && version == OpenApiVersion::V3_1
    {
        document.insert(
            "webhooks".into(),
            webhooks::webhooks(events, api.content_type()),
        );
        if let Some(note) = events.note() {
            document.insert("x-wecard-events-note".into(), json!(note));
        }
    }
    document.insert(
        "components".into(),
        json!({
            "schemas": components,
            "securitySchemes": {
                SECURITY_SCHEME: {
                    "type": "apiKey",
                    "in": "query",
                    "name": api.token_param(),
                    "description": "The access token, in the query.",
                }
            }
        }),
    );
    let mut extensions = Map::new();
    extensions.insert("x-wecard-source-spec".into(), json!(model.source_name()));
    if let Some(note) = api.note() {
        extensions.insert("x-wecard-note".into(), json!(note));
    }
    if let Some(source) = api.source() {
        extensions.insert("x-wecard-source".into(), json!(source));
    }
    document.extend(extensions);
    Value::Object(document)
}
