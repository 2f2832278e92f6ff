//! Push events: WeCard POSTs `{app_key, school_code, event, raw_data}` to a school's URL, where
//! `raw_data` is the event's JSON payload encrypted with AES-128-CBC.
//!
//! - [`Cipher`] decrypts and encrypts `raw_data`: the key is the app key (16 bytes), the IV the
//!   first 16 characters of the app secret, the padding zero bytes. It reads hex and base64 (the
//!   sources disagree on which one WeCard sends) and writes the [`Encoding`] it is given.
//! - [`Receiver`] turns a request body into an event of a generated module's `Event` enum (any
//!   type implementing [`PushEvent`]) and the exact reply WeCard expects
//!   (`{"code":0,"message":"ok"}`, anything else makes WeCard retry).
//! - [`PushBody`] is the request body, for whoever sends pushes (the sandbox, a test).
//! - With the `axum` feature, `events::axum::handler` serves a receiver.
//!
//! No error here ever shows the app key or secret, nor a decrypted byte.

mod cipher;
mod receiver;

#[cfg(feature = "axum")]
pub mod axum;

pub use self::cipher::{Cipher, CipherError, Encoding, KeyError};
pub use self::receiver::{Ack, EventError, PushBody, PushEvent, Received, Receiver};
