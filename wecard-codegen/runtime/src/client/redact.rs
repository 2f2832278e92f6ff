//! Scrubbing credentials out of any text the client quotes (a server's message, a body excerpt,
//! an HTTP stack's error): the value after any `access_token=` / `"access_token": ` (or
//! `app_secret`) pattern, whatever it is, and every token issued for the client's key and the app
//! secret where one stands as a whole value.
//!
//! A credential is matched as a whole value, between characters that cannot continue it (not a
//! letter, digit, `_` or `-`), never as a piece of a longer word: a secret `s` leaves "error
//! sending request" as it is, where replacing every `s` would mangle the text and spell out the
//! secret. The client's own messages are built without credentials (the transport drops the
//! URL); this is for text quoted from elsewhere.

use super::query::percent_encode;

/// What replaces a credential.
pub(super) const MASK: &str = "<redacted>";

/// What to scrub.
pub(super) struct Redactor<'a> {
    /// The app secret and every token issued (raw; their percent-encoded forms are added).
    pub(super) secrets: Vec<String>,
    /// Parameter names whose values are scrubbed wherever they appear.
    pub(super) keys: &'a [&'a str],
}

impl Redactor<'_> {
    /// `text` with every credential replaced by [`MASK`].
    pub(super) fn redact(&self, text: &str) -> String {
        let mut text = text.to_string();
        for key in self.keys {
            text = scrub_after(&text, key);
        }
        for secret in &self.secrets {
            if secret.is_empty() {
                continue;
            }
            text = replace_whole(&text, secret);
            let encoded = percent_encode(secret);
            if encoded != *secret {
                text = replace_whole(&text, &encoded);
            }
        }
        text
    }
}

/// Whether `c` may continue a credential, so that a match next to it is part of a longer word.
fn continues(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// `text` with each occurrence of `value` that stands whole (no credential character right
/// before or after it) replaced by [`MASK`].
fn replace_whole(text: &str, value: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = text[from..].find(value) {
        let start = from + found;
        let end = start + value.len();
        let whole = !text[..start].chars().next_back().is_some_and(continues)
            && !text[end..].chars().next().is_some_and(continues);
        if whole {
            out.push_str(&text[copied..start]);
            out.push_str(MASK);
            copied = end;
            from = end;
        } else {
            // Step one character on: an overlapping occurrence may still stand whole.
            from = start + text[start..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// Replaces the value after each `key` followed by `=`, `:` or `%3D` (with quotes, backslashes
/// and spaces allowed around it), as in a query, a JSON object, or an escaped JSON string.
fn scrub_after(text: &str, key: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let key = key.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    while let Some(found) = lower[from..].find(key.as_str()) {
        let start = from + found + key.len();
        from = start;
        let Some(value_start) = value_start(&text[start..]) else {
            continue;
        };
        let value_start = start + value_start;
        let value_len = text[value_start..]
            .find(|c: char| c.is_whitespace() || "\"'\\&,;}<>#)".contains(c))
            .unwrap_or(text.len() - value_start);
        if value_len == 0 {
            continue;
        }
        out.push_str(&text[copied..value_start]);
        out.push_str(MASK);
        copied = value_start + value_len;
        from = copied;
    }
    out.push_str(&text[copied..]);
    out
}

/// Where a value starts after a key: past quotes, spaces and backslashes, one separator, and
/// more of the same. `None` when no separator follows.
fn value_start(rest: &str) -> Option<usize> {
    let filler = |c: char| c == '"' || c == '\'' || c == '\\' || c == ' ';
    let after_filler = rest.len() - rest.trim_start_matches(filler).len();
    let tail = &rest[after_filler..];
    let separator = if tail.starts_with('=') || tail.starts_with(':') {
        1
    } else if tail.len() >= 3 && tail[..3].eq_ignore_ascii_case("%3D") {
        3
    } else {
        return None;
    };
    let tail = &tail[separator..];
    let more = tail.len() - tail.trim_start_matches(filler).len();
    Some(after_filler + separator + more)
}
