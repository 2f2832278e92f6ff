//! The request body WeCard POSTs, and a receiver that turns it into a typed event and an ack.

use std::fmt;
use std::marker::PhantomData;

use serde::{Deserialize, Serialize};

use super::cipher::{Cipher, CipherError, KeyError};

/// A generated module's `Event` enum: one variant per documented event, typed by its payload,
/// and one that keeps any other code with its decrypted JSON.
pub trait PushEvent: Sized {
    /// Builds the event for `code` from its decrypted payload. An unknown code is not an
    /// error: it becomes the `Unknown` variant.
    ///
    /// # Errors
    ///
    /// When the payload of a documented event does not have the documented shape.
    fn from_push(code: &str, data: serde_json::Value) -> Result<Self, serde_json::Error>;

    /// The event code as WeCard writes it (`addUser`).
    fn code(&self) -> &str;

    /// The payload as JSON, as it is encrypted into `raw_data`.
    ///
    /// # Errors
    ///
    /// When the payload cannot be written as JSON (a map with non-string keys).
    fn to_data(&self) -> Result<serde_json::Value, serde_json::Error>;
}

/// The body of a push: `{app_key, school_code, event, raw_data}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushBody {
    /// The app the event is for.
    pub app_key: String,
    /// The school (its `ocode`) the event happened in.
    pub school_code: String,
    /// The event code (`addUser`).
    pub event: String,
    /// The encrypted payload, hex or base64.
    pub raw_data: String,
}

impl PushBody {
    /// The body that pushes `event` for `school_code`, its payload encrypted with `cipher`.
    ///
    /// # Errors
    ///
    /// When the payload cannot be written as JSON.
    pub fn seal<E: PushEvent>(
        cipher: &Cipher,
        app_key: &str,
        school_code: &str,
        event: &E,
    ) -> Result<Self, EventError> {
        let data = event.to_data().map_err(|_| EventError::Unserializable)?;
        let plaintext = serde_json::to_vec(&data).map_err(|_| EventError::Unserializable)?;
        let raw_data = cipher.encrypt(&plaintext).map_err(EventError::Cipher)?;
        Ok(Self {
            app_key: app_key.to_string(),
            school_code: school_code.to_string(),
            event: event.code().to_string(),
            raw_data,
        })
    }
}

/// An event a [`Receiver`] understood.
#[derive(Debug, Clone, PartialEq)]
pub struct Received<E> {
    /// The school the event happened in.
    pub school_code: String,
    /// The event, typed.
    pub event: E,
}

/// Why a push was refused. Never shows the app key, the secret or decrypted data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventError {
    /// The body is not the push JSON (`{app_key, school_code, event, raw_data}`).
    Body {
        /// What is wrong with it, in JSON terms (line and column).
        reason: String,
    },
    /// The body's `app_key` is not this receiver's.
    WrongAppKey,
    /// `raw_data` could not be decrypted.
    Cipher(CipherError),
    /// The decrypted payload is not JSON.
    NotJson,
    /// The payload of a documented event does not have its documented shape.
    Payload {
        /// The event code.
        code: String,
        /// What did not fit, in serde's words.
        reason: String,
    },
    /// An event to send could not be written as JSON.
    Unserializable,
}

impl EventError {
    /// The non-zero `code` of the reply a receiver gives for this error.
    pub fn reply_code(&self) -> i64 {
        match self {
            EventError::Body { .. } => 1,
            EventError::WrongAppKey => 2,
            EventError::Cipher(_) => 3,
            EventError::NotJson => 4,
            EventError::Payload { .. } => 5,
            EventError::Unserializable => 6,
        }
    }
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventError::Body { reason } => write!(
                f,
                "the body is not a push (JSON with app_key, school_code, event and raw_data): \
                 {reason}"
            ),
            EventError::WrongAppKey => {
                f.write_str("the push is for another app (its app_key is not this receiver's)")
            }
            EventError::Cipher(error) => error.fmt(f),
            EventError::NotJson => f.write_str(
                "raw_data decrypts, but not to JSON: check the app secret (its first 16 \
                 characters are the IV)",
            ),
            EventError::Payload { code, reason } => write!(
                f,
                "the payload of event `{code}` does not have its documented shape: {reason}"
            ),
            EventError::Unserializable => f.write_str("the event cannot be written as JSON"),
        }
    }
}

impl std::error::Error for EventError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EventError::Cipher(error) => Some(error),
            _ => None,
        }
    }
}

/// The reply a receiver gives: `{"code":0,"message":"ok"}` when the event was understood (WeCard
/// stops retrying), a non-zero code and a short message otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ack {
    /// 0 for success.
    pub code: i64,
    /// `ok`, or what went wrong.
    pub message: String,
}

impl Ack {
    /// The success reply WeCard expects.
    pub fn ok() -> Self {
        Self {
            code: 0,
            message: "ok".to_string(),
        }
    }

    /// The reply for an error: its code and its message.
    pub fn error(error: &EventError) -> Self {
        Self {
            code: error.reply_code(),
            message: error.to_string(),
        }
    }

    /// Whether this is the success reply.
    pub fn is_ok(&self) -> bool {
        self.code == 0
    }

    /// The reply as JSON bytes (`{"code":0,"message":"ok"}`).
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_else(|_| br#"{"code":0,"message":"ok"}"#.to_vec())
    }
}

/// Receives pushes for one app: checks the app key, decrypts, parses, and answers.
///
/// `Debug` shows neither the key nor the secret.
pub struct Receiver<E> {
    app_key: String,
    cipher: Cipher,
    event: PhantomData<fn() -> E>,
}

impl<E> fmt::Debug for Receiver<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("app_key", &"<redacted>")
            .field("cipher", &self.cipher)
            .finish()
    }
}

impl<E> Clone for Receiver<E> {
    fn clone(&self) -> Self {
        Self {
            app_key: self.app_key.clone(),
            cipher: self.cipher.clone(),
            event: PhantomData,
        }
    }
}

impl<E: PushEvent> Receiver<E> {
    /// A receiver for the app with this key and secret.
    ///
    /// # Errors
    ///
    /// When the key and secret cannot make an AES-128 cipher ([`KeyError`]).
    pub fn new(app_key: &str, app_secret: &str) -> Result<Self, KeyError> {
        Ok(Self {
            app_key: app_key.to_string(),
            cipher: Cipher::new(app_key, app_secret)?,
            event: PhantomData,
        })
    }

    /// Handles one request body: the reply to send (always, whatever the body) and what it
    /// held. Never panics, whatever the bytes.
    pub fn handle(&self, body: &[u8]) -> (Ack, Result<Received<E>, EventError>) {
        let outcome = self.receive(body);
        let ack = match &outcome {
            Ok(_) => Ack::ok(),
            Err(error) => Ack::error(error),
        };
        (ack, outcome)
    }

    fn receive(&self, body: &[u8]) -> Result<Received<E>, EventError> {
        let push: PushBody = serde_json::from_slice(body).map_err(|error| EventError::Body {
            reason: position(&error),
        })?;
        if push.app_key != self.app_key {
            return Err(EventError::WrongAppKey);
        }
        let plaintext = self
            .cipher
            .decrypt(&push.raw_data)
            .map_err(EventError::Cipher)?;
        let data: serde_json::Value =
            serde_json::from_slice(&plaintext).map_err(|_| EventError::NotJson)?;
        let event = E::from_push(&push.event, data).map_err(|error| EventError::Payload {
            code: push.event.clone(),
            reason: position(&error),
        })?;
        Ok(Received {
            school_code: push.school_code,
            event,
        })
    }
}

/// serde_json's message without any quoted input: its category and position (when it read
/// text) only, since the input may be a member's personal data.
fn position(error: &serde_json::Error) -> String {
    let what = match error.classify() {
        serde_json::error::Category::Io => "unreadable",
        serde_json::error::Category::Syntax => "malformed JSON",
        serde_json::error::Category::Data => "a field is missing or has the wrong type",
        serde_json::error::Category::Eof => "the JSON ends early",
    };
    if error.line() == 0 {
        return what.to_string();
    }
    format!("{what} at line {} column {}", error.line(), error.column())
}
