//! Query strings: a `GET` request's fields and a token placed in the query.

/// A query string being built: `?a=1&b=2`, every key and value percent-encoded.
#[derive(Default)]
pub(super) struct Query {
    pub(super) text: String,
}

impl Query {
    pub(super) fn pair(&mut self, key: &str, value: &str) {
        self.text.push(if self.text.is_empty() { '?' } else { '&' });
        self.text.push_str(&percent_encode(key));
        self.text.push('=');
        self.text.push_str(&percent_encode(value));
    }

    /// A request's fields: scalars as their text, lists as the key repeated once per item,
    /// anything nested as JSON; absent and `null` fields are left out.
    pub(super) fn fields(&mut self, request: &serde_json::Value) {
        let serde_json::Value::Object(map) = request else {
            return;
        };
        for (key, value) in map {
            match value {
                serde_json::Value::Null => {}
                serde_json::Value::Array(items) => {
                    for item in items {
                        self.pair(key, &query_text(item));
                    }
                }
                other => self.pair(key, &query_text(other)),
            }
        }
    }
}

fn query_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Encodes everything but RFC 3986's unreserved characters, for a query value.
pub(super) fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
