//! `webhooks` (OpenAPI 3.1 only): one per push event, the body WeCard POSTs and the reply it
//! expects. The payload is encrypted in `raw_data`, so its record is named in
//! `x-wecard-payload` rather than described as the body.

use serde_json::{Map, Value, json};

use super::schema::reference;
use crate::model::{Event, Events};

/// The `webhooks` object: event code to path item.
pub(super) fn webhooks(events: &Events, content_type: &str) -> Value {
    let mut hooks = Map::new();
    for event in events.list() {
        hooks.insert(
            event.code().to_owned(),
            json!({ "post": operation(event, content_type) }),
        );
    }
    Value::Object(hooks)
}

fn operation(event: &Event, content_type: &str) -> Value {
    let body = json!({
        "type": "object",
        "required": ["app_key", "school_code", "event", "raw_data"],
        "properties": {
            "app_key": { "type": "string", "description": "The app the event is for." },
            "school_code": { "type": "string", "description": "The school (its ocode)." },
            "event": { "type": "string", "const": event.code() },
            "raw_data": {
                "type": "string",
                "description": "The payload as JSON, AES-128-CBC encrypted (key: the app key; IV: the first 16 characters of the app secret; zero padding), hex or base64.",
            },
        },
    });
    let ack = json!({
        "type": "object",
        "required": ["code", "message"],
        "properties": {
            "code": { "type": "integer", "const": 0 },
            "message": { "type": "string", "examples": ["ok"] },
        },
    });
    let mut operation = Map::new();
    operation.insert("summary".into(), json!(event.description()));
    operation.insert(
        "requestBody".into(),
        json!({ "required": true, "content": { content_type: { "schema": body } } }),
    );
    operation.insert(
        "responses".into(),
        json!({
            "200": {
                "description": "The acknowledgement; any other reply makes WeCard retry.",
                "content": { "application/json": { "schema": ack } },
            }
        }),
    );
    operation.insert("security".into(), json!([]));
    operation.insert(
        "x-wecard-payload".into(),
        match event.payload() {
            Some(record) => reference(record),
            None => json!({ "description": "Undocumented: kept as JSON." }),
        },
    );
    if let Some(note) = event.note() {
        operation.insert("x-wecard-note".into(), json!(note));
    }
    if let Some(source) = event.source() {
        operation.insert("x-wecard-source".into(), json!(source));
    }
    Value::Object(operation)
}
