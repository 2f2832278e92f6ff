//! Markdown reference docs.
