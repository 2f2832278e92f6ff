//! Drift: what replies carry that the spec does not know. Fields kept in `unknown_fields`, codes
//! kept in an `Unknown(..)` variant (of a spec enum or of the error-code table), and fields the
//! spec marks required that a reply left out.
//!
//! Generated reply types implement [`Observe`]: after a reply is decoded, the client walks it
//! once, and only what it finds allocates. A reply that fails to decode is checked again as
//! plain JSON for required fields it lacks ([`Observe::missing`]), off the happy path. What is
//! found goes to the client's [`DriftLog`], which a caller reads ([`Client::drift`]) or drains
//! ([`Client::take_drift`]).
//!
//! [`Client::drift`]: super::Client::drift
//! [`Client::take_drift`]: super::Client::take_drift

use std::fmt;
use std::sync::Mutex;

/// At most this many characters of an observed value are kept.
const VALUE_CHARS: usize = 120;

/// At most this many distinct entries are kept; later ones are counted in
/// [`DriftLog::dropped`] only.
pub const MAX_DRIFT_ENTRIES: usize = 256;

/// What kind of drift an entry records.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// A field the spec does not describe (kept in the record's `unknown_fields`).
    UnknownField,
    /// A code the spec's enum does not list (kept in its `Unknown` variant).
    UnknownCode,
    /// An `errcode` the spec's error-code table does not list.
    UnknownErrorCode,
    /// A field the spec marks required that the reply left out.
    MissingField,
}

impl DriftKind {
    /// The kind as the report writes it (`unknown_field`).
    pub const fn as_str(self) -> &'static str {
        match self {
            DriftKind::UnknownField => "unknown_field",
            DriftKind::UnknownCode => "unknown_code",
            DriftKind::UnknownErrorCode => "unknown_error_code",
            DriftKind::MissingField => "missing_field",
        }
    }
}

impl fmt::Display for DriftKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing a reply carried (or lacked) that the spec does not know.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DriftEntry {
    /// The endpoint's id in the spec (`search_users`).
    pub endpoint: String,
    /// The spec record holding the field (`Member`), or `None` for a field of the endpoint's
    /// reply itself (and for an error code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// Where in the reply, by wire names from its root; `[]` marks a list's items
    /// (`users[].nickname`). Empty for an error code.
    pub path: String,
    /// What kind of drift.
    pub kind: DriftKind,
    /// For [`DriftKind::UnknownCode`], the spec enum (`Gender`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enum_name: Option<String>,
    /// The first value seen, as JSON text, cut short if long; `null` for a missing field. A
    /// field whose name suggests a credential is shown as `"<redacted>"`, and the client scrubs
    /// its app secret and its tokens from every value.
    pub value: String,
    /// How many times it was seen.
    pub count: u64,
}

impl fmt::Display for DriftEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.endpoint, self.kind)?;
        if let Some(record) = &self.record {
            write!(f, " in {record}")?;
        }
        if !self.path.is_empty() {
            write!(f, " at {}", self.path)?;
        }
        if let Some(name) = &self.enum_name {
            write!(f, " ({name})")?;
        }
        write!(f, ": {} (seen {}×)", self.value, self.count)
    }
}

/// Where a value sits in a reply: a chain of wire names on the stack, turned into a path only
/// when something is found.
#[derive(Debug, Clone, Copy)]
pub struct Place<'a> {
    parent: Option<&'a Place<'a>>,
    segment: &'a str,
    list: bool,
}

impl<'a> Place<'a> {
    /// The reply's root.
    pub const ROOT: Place<'static> = Place {
        parent: None,
        segment: "",
        list: false,
    };

    /// The field `name` of the record here.
    pub fn field<'b>(&'b self, name: &'b str) -> Place<'b> {
        Place {
            parent: Some(self),
            segment: name,
            list: false,
        }
    }

    /// The items of the list here.
    pub fn items(self) -> Place<'a> {
        Place { list: true, ..self }
    }

    /// `users[].nickname`.
    pub fn path(&self) -> String {
        let mut segments = Vec::new();
        let mut place = Some(self);
        while let Some(here) = place {
            if here.parent.is_some() {
                segments.push(here);
            }
            place = here.parent;
        }
        let mut path = String::new();
        for here in segments.iter().rev() {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(here.segment);
            if here.list {
                path.push_str("[]");
            }
        }
        path
    }
}

/// What one walk over one reply found; empty (and unallocated) when nothing was.
#[derive(Debug, Default)]
pub struct Findings {
    entries: Vec<DriftEntry>,
}

impl Findings {
    /// Nothing found yet.
    pub const fn new() -> Self {
        Self {
            entries: Vec::new(),
        }
    }

    /// Whether nothing was found.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// What was found, in the order it was found.
    pub fn into_entries(self) -> Vec<DriftEntry> {
        self.entries
    }

    fn push(
        &mut self,
        at: &Place<'_>,
        record: Option<&str>,
        kind: DriftKind,
        enum_name: Option<&str>,
        value: String,
    ) {
        let path = at.path();
        let record = record.map(str::to_string);
        if let Some(entry) = self
            .entries
            .iter_mut()
            .find(|entry| entry.path == path && entry.kind == kind && entry.record == record)
        {
            entry.count += 1;
            return;
        }
        self.entries.push(DriftEntry {
            endpoint: String::new(),
            record,
            path,
            kind,
            enum_name: enum_name.map(str::to_string),
            value,
            count: 1,
        });
    }

    /// The field `name`, which the spec does not describe, in the record `record` (`None`: the
    /// endpoint's reply) at `at`, with its value.
    pub fn unknown_field(
        &mut self,
        at: &Place<'_>,
        record: Option<&str>,
        name: &str,
        value: &dyn fmt::Display,
    ) {
        let shown = if looks_secret(name) {
            "\"<redacted>\"".to_string()
        } else {
            clip(&value.to_string())
        };
        self.push(
            &at.field(name),
            record,
            DriftKind::UnknownField,
            None,
            shown,
        );
    }

    /// Every field of `fields`, a record's fields that the spec does not describe (kept as
    /// received), as [`Findings::unknown_field`] records each.
    pub fn unknown_fields(
        &mut self,
        at: &Place<'_>,
        record: Option<&str>,
        fields: &serde_json::Map<String, serde_json::Value>,
    ) {
        for (name, value) in fields {
            self.unknown_field(at, record, name, value);
        }
    }

    /// The code `code` of the enum `enum_name` at `at`, which the spec does not list.
    pub fn unknown_code(&mut self, at: &Place<'_>, enum_name: &str, code: &dyn fmt::Debug) {
        let shown = clip(&format!("{code:?}"));
        self.push(at, None, DriftKind::UnknownCode, Some(enum_name), shown);
    }

    /// The required field `name` of the record `record` (`None`: the endpoint's reply) at
    /// `at`, which the reply left out.
    pub fn missing_field(&mut self, at: &Place<'_>, record: Option<&str>, name: &str) {
        self.push(
            &at.field(name),
            record,
            DriftKind::MissingField,
            None,
            "null".to_string(),
        );
    }

    /// Each name of `required` that the JSON object `value` lacks, as
    /// [`Findings::missing_field`] records it, for the record `record` (`None`: the endpoint's
    /// reply) at `at`. Returns the object, for a look into its nested records; `None` when
    /// `value` is not an object (then nothing is recorded).
    pub fn missing_fields<'v>(
        &mut self,
        value: &'v serde_json::Value,
        at: &Place<'_>,
        record: Option<&str>,
        required: &[&str],
    ) -> Option<&'v serde_json::Map<String, serde_json::Value>> {
        let map = value.as_object()?;
        for name in required {
            if !map.contains_key(*name) {
                self.missing_field(at, record, name);
            }
        }
        Some(map)
    }
}

/// Whether a field's name suggests it holds a credential, so its value is never shown.
fn looks_secret(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    ["token", "secret", "password", "passwd", "credential", "key"]
        .iter()
        .any(|word| name.contains(word))
}

fn clip(text: &str) -> String {
    let mut clipped: String = text.chars().take(VALUE_CHARS).collect();
    if text.chars().nth(VALUE_CHARS).is_some() {
        clipped.push('…');
    }
    clipped
}

/// A reply value the client can walk for drift. Generated records, replies and enums implement
/// it; scalars find nothing.
pub trait Observe {
    /// Records into `out` what this value, at `at`, carries that the spec does not know.
    fn observe(&self, at: Place<'_>, out: &mut Findings);

    /// Records into `out` the required fields a reply, read as plain JSON because it could not
    /// be decoded, lacks at `at`. Only records and lists of them look.
    fn missing(value: &serde_json::Value, at: Place<'_>, out: &mut Findings)
    where
        Self: Sized,
    {
        let _ = (value, at, out);
    }
}

/// What a generated struct (a record or an endpoint's reply) tells the drift walk; every such
/// struct is [`Observe`] through it. The walk itself (unknown fields, then the fields that can
/// hold something unknown; required fields for a reply that could not be decoded) is here, once.
pub trait ObservedStruct {
    /// The spec record's name, or `None` for an endpoint's reply.
    const RECORD: Option<&'static str>;
    /// Wire names of its required fields.
    const REQUIRED: &'static [&'static str];

    /// The fields the server sent that the spec does not describe.
    fn unknown_fields(&self) -> &serde_json::Map<String, serde_json::Value>;

    /// Observes each field that can hold something unknown (records, enums, lists of them).
    fn observe_fields(&self, at: Place<'_>, out: &mut Findings) {
        let _ = (at, out);
    }

    /// For a reply read as plain JSON: what its record fields, in `map`, lack.
    fn missing_in_fields(
        map: &serde_json::Map<String, serde_json::Value>,
        at: Place<'_>,
        out: &mut Findings,
    ) {
        let _ = (map, at, out);
    }
}

impl<T: ObservedStruct> Observe for T {
    #[inline]
    fn observe(&self, at: Place<'_>, out: &mut Findings) {
        out.unknown_fields(&at, T::RECORD, self.unknown_fields());
        self.observe_fields(at, out);
    }

    fn missing(value: &serde_json::Value, at: Place<'_>, out: &mut Findings) {
        if let Some(map) = out.missing_fields(value, &at, T::RECORD, T::REQUIRED) {
            T::missing_in_fields(map, at, out);
        }
    }
}

macro_rules! observe_nothing {
    ($($ty:ty),*) => {
        $(impl Observe for $ty {
            #[inline]
            fn observe(&self, _at: Place<'_>, _out: &mut Findings) {}
        })*
    };
}

observe_nothing!(String, i64, bool, super::super::DateTime);

impl<T: Observe> Observe for Option<T> {
    #[inline]
    fn observe(&self, at: Place<'_>, out: &mut Findings) {
        if let Some(value) = self {
            value.observe(at, out);
        }
    }

    fn missing(value: &serde_json::Value, at: Place<'_>, out: &mut Findings) {
        if !value.is_null() {
            T::missing(value, at, out);
        }
    }
}

impl<T: Observe> Observe for super::super::Nullable<T> {
    #[inline]
    fn observe(&self, at: Place<'_>, out: &mut Findings) {
        if let super::super::Nullable::Value(value) = self {
            value.observe(at, out);
        }
    }

    fn missing(value: &serde_json::Value, at: Place<'_>, out: &mut Findings) {
        if !value.is_null() {
            T::missing(value, at, out);
        }
    }
}

impl<T: Observe> Observe for Vec<T> {
    #[inline]
    fn observe(&self, at: Place<'_>, out: &mut Findings) {
        let at = at.items();
        for item in self {
            item.observe(at, out);
        }
    }

    fn missing(value: &serde_json::Value, at: Place<'_>, out: &mut Findings) {
        if let Some(items) = value.as_array() {
            let at = at.items();
            for item in items {
                T::missing(item, at, out);
            }
        }
    }
}

/// Every entry a client has found, merged by endpoint, record, path and kind, and bounded.
#[derive(Debug, Default)]
pub struct DriftLog {
    state: Mutex<LogState>,
}

#[derive(Debug, Default)]
struct LogState {
    entries: Vec<DriftEntry>,
    dropped: u64,
}

impl DriftLog {
    /// Adds what one reply of `endpoint` showed; `scrub` cleans every value of credentials.
    pub(super) fn record(
        &self,
        endpoint: &str,
        found: Vec<DriftEntry>,
        scrub: impl Fn(&str) -> String,
    ) {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        for mut entry in found {
            if let Some(known) = state.entries.iter_mut().find(|known| {
                known.endpoint == endpoint
                    && known.kind == entry.kind
                    && known.record == entry.record
                    && known.path == entry.path
                    && (known.kind != DriftKind::UnknownErrorCode || known.value == entry.value)
            }) {
                known.count += entry.count;
                continue;
            }
            if state.entries.len() >= MAX_DRIFT_ENTRIES {
                state.dropped += 1;
                continue;
            }
            entry.endpoint = endpoint.to_string();
            entry.value = scrub(&entry.value);
            state.entries.push(entry);
        }
    }

    /// Every entry so far.
    pub fn entries(&self) -> Vec<DriftEntry> {
        let state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        state.entries.clone()
    }

    /// Every entry so far, leaving the log empty.
    pub fn take(&self) -> Vec<DriftEntry> {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        state.dropped = 0;
        std::mem::take(&mut state.entries)
    }

    /// How many distinct entries were not kept because the log was full.
    pub fn dropped(&self) -> u64 {
        let state = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        state.dropped
    }
}

/// The entry for an `errcode` the error-code table does not list.
pub(super) fn unknown_error_code(code: i64) -> DriftEntry {
    DriftEntry {
        endpoint: String::new(),
        record: None,
        path: String::new(),
        kind: DriftKind::UnknownErrorCode,
        enum_name: None,
        value: code.to_string(),
        count: 1,
    }
}
