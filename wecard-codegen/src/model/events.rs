//! The push events of the model: each event's code, Rust variant and payload record.

/// The spec's `events:` section, resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Events {
    pub(crate) codes: String,
    pub(crate) description: Option<String>,
    pub(crate) note: Option<String>,
    pub(crate) source: Option<String>,
    pub(crate) list: Vec<Event>,
}

impl Events {
    /// The enum whose values are the event codes (`EventType`).
    pub fn codes(&self) -> &str {
        &self.codes
    }

    /// What the pushes are.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// What is uncertain, and why choices were made.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// Where the facts come from.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// The events, in spec order.
    pub fn list(&self) -> &[Event] {
        &self.list
    }
}

/// One push event.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub(crate) code: String,
    pub(crate) variant: String,
    pub(crate) payload: Option<String>,
    pub(crate) description: String,
    pub(crate) note: Option<String>,
    pub(crate) source: Option<String>,
}

impl Event {
    /// The code on the wire (`addUser`).
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The Rust variant, the code enum's name for this value (`AddUser`).
    pub fn variant(&self) -> &str {
        &self.variant
    }

    /// The record the payload is, or `None` when the payload is undocumented (kept as JSON).
    pub fn payload(&self) -> Option<&str> {
        self.payload.as_deref()
    }

    /// What the event means.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// Why a choice was made.
    pub fn note(&self) -> Option<&str> {
        self.note.as_deref()
    }

    /// Where the event is documented.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }
}
