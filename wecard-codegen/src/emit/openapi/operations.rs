//! `paths`: one operation per endpoint, with its parameters, body, security and reply.

use serde_json::{Map, Value, json};

use super::components::provenance;
use super::schema::{Schemas, reference};
use super::{OpenApiVersion, SECURITY_SCHEME};
use crate::model::{Endpoint, Field, Type};
use crate::spec::{HttpMethod, TokenPlacement};

/// The operation of one endpoint. `request` and `response` name its component schemas.
pub(super) fn operation(
    schemas: &Schemas<'_>,
    endpoint: &Endpoint,
    request: &str,
    response: &str,
) -> Value {
    let api = schemas.model.api();
    let mut operation = Map::new();
    operation.insert("operationId".into(), json!(endpoint.id()));
    operation.insert("summary".into(), json!(endpoint.summary()));
    if let Some(description) = endpoint.description() {
        operation.insert("description".into(), json!(description));
    }
    let mut parameters = Vec::new();
    match endpoint.method() {
        HttpMethod::Get => {
            for field in endpoint.request().fields() {
                parameters.push(query_parameter(schemas, field));
            }
        }
        HttpMethod::Post => {
            operation.insert(
                "requestBody".into(),
                json!({
                    "required": true,
                    "content": { api.content_type(): { "schema": reference(request) } },
                }),
            );
        }
    }
    if endpoint.method() == HttpMethod::Get && endpoint.token() == TokenPlacement::Body {
        // A GET has no body: the runtime carries a body token in the query like every field.
        parameters.insert(0, token_parameter(schemas));
    }
    if !parameters.is_empty() {
        operation.insert("parameters".into(), Value::Array(parameters));
    }
    let security = match endpoint.token() {
        TokenPlacement::Query => json!([{ SECURITY_SCHEME: [] }]),
        TokenPlacement::Body | TokenPlacement::None => json!([]),
    };
    operation.insert("security".into(), security);
    operation.insert(
        "x-wecard-token".into(),
        json!(match endpoint.token() {
            TokenPlacement::Query => "query",
            TokenPlacement::Body => "body",
            TokenPlacement::None => "none",
        }),
    );
    operation.insert(
        "responses".into(),
        json!({
            "200": {
                "description": reply_description(endpoint),
                "content": { "application/json": { "schema": reference(response) } },
            }
        }),
    );
    if let Some(paging) = endpoint.paging() {
        let mut value = json!({
            "page": paging.page(),
            "page_size": paging.page_size(),
            "total": paging.total(),
            "items": paging.items(),
        });
        if let (Some(max), Value::Object(map)) = (paging.max_page_size(), &mut value) {
            map.insert("max_page_size".into(), json!(max));
        }
        operation.insert("x-wecard-paging".into(), value);
    }
    let mut operation = Value::Object(operation);
    provenance(&mut operation, endpoint.note(), endpoint.source());
    operation
}

fn reply_description(endpoint: &Endpoint) -> String {
    if endpoint.envelope() {
        "The reply: errcode 0 is success; any other value is an error (see errmsg and ErrorCode)."
            .to_owned()
    } else {
        "The reply.".to_owned()
    }
}

/// A request field as a query parameter: scalars as text, lists as the key repeated, records as
/// JSON (the way the client writes a GET).
fn query_parameter(schemas: &Schemas<'_>, field: &Field) -> Value {
    let schema = schemas.field(field);
    let mut parameter = Map::new();
    parameter.insert("name".into(), json!(field.wire_name()));
    parameter.insert("in".into(), json!("query"));
    parameter.insert("description".into(), json!(field.description()));
    parameter.insert("required".into(), json!(field.required()));
    if matches!(field.ty().item(), Type::Record(_)) {
        parameter.insert(
            "content".into(),
            json!({ "application/json": { "schema": schema } }),
        );
    } else {
        if matches!(field.ty(), Type::List(_)) {
            parameter.insert("style".into(), json!("form"));
            parameter.insert("explode".into(), json!(true));
        }
        if let (OpenApiVersion::V3_0, Some(example)) = (schemas.version, field.example()) {
            parameter.insert("example".into(), example.clone());
        }
        parameter.insert("schema".into(), schema);
    }
    Value::Object(parameter)
}

/// The access token as a query parameter (a body token on a GET).
fn token_parameter(schemas: &Schemas<'_>) -> Value {
    json!({
        "name": schemas.model.api().token_param(),
        "in": "query",
        "required": true,
        "description": "The access token.",
        "schema": { "type": "string" },
        "x-wecard-secret": true,
    })
}

/// The schema of the access token carried in a request body.
pub(super) fn body_token() -> Value {
    json!({
        "type": "string",
        "description": "The access token.",
        "x-wecard-secret": true,
    })
}
