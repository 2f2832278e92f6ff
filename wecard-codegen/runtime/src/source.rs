//! This crate's source, for generators that embed the runtime into a single generated file.

/// The crate root.
pub const LIB: &str = include_str!("lib.rs");

/// Every module file, by the name its `mod` item gives it, with the feature it needs (if any).
pub const MODULES: &[(&str, Option<&str>, &str)] = &[
    ("formats", None, include_str!("formats.rs")),
    ("rules", None, include_str!("rules.rs")),
    ("datetime", None, include_str!("datetime.rs")),
    ("endpoint", None, include_str!("endpoint.rs")),
    ("nullable", None, include_str!("nullable.rs")),
    ("user", None, include_str!("user.rs")),
    ("validation", None, include_str!("validation.rs")),
    ("__private", None, include_str!("__private.rs")),
    ("client", Some("client"), include_str!("client.rs")),
    ("breaker", Some("client"), include_str!("client/breaker.rs")),
    ("config", Some("client"), include_str!("client/config.rs")),
    ("drift", Some("client"), include_str!("client/drift.rs")),
    ("error", Some("client"), include_str!("client/error.rs")),
    ("paging", Some("client"), include_str!("client/paging.rs")),
    ("query", Some("client"), include_str!("client/query.rs")),
    ("redact", Some("client"), include_str!("client/redact.rs")),
    ("tokens", Some("client"), include_str!("client/tokens.rs")),
    (
        "transport",
        Some("client"),
        include_str!("client/transport.rs"),
    ),
    ("events", Some("events"), include_str!("events.rs")),
    ("cipher", Some("events"), include_str!("events/cipher.rs")),
    (
        "receiver",
        Some("events"),
        include_str!("events/receiver.rs"),
    ),
    ("axum", Some("axum"), include_str!("events/axum.rs")),
];
