//! [`ClientError`]: why a call failed, in words that never show a credential.

use std::fmt;

use super::super::{ApiErrorCode, ValidationErrors};
use super::transport::TransportErrorKind;

/// Why a call failed. `Display` and `Debug` never show the app secret or an access token: every
/// text quoted from a server or an HTTP stack is scrubbed of both first.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientError<E> {
    /// The request breaks the API's rules; nothing was sent.
    Validation {
        /// The endpoint's id.
        endpoint: &'static str,
        /// Every violation.
        errors: ValidationErrors,
    },
    /// The API answered with a non-zero `errcode`.
    Api {
        /// The endpoint's id.
        endpoint: &'static str,
        /// The code, known or not.
        code: E,
        /// The server's message (scrubbed of credentials, and cut short if very long).
        errmsg: String,
    },
    /// The token endpoint did not issue a usable token: it refused (with an `errcode`), or its
    /// reply lacks the token or gives it an impossible lifetime.
    Token {
        /// The non-zero `errcode` it sent, if any.
        errcode: Option<i64>,
        /// What is wrong: what the server said, or what its reply lacks.
        message: String,
    },
    /// The server answered with an HTTP status other than 2xx.
    Http {
        /// The endpoint's id.
        endpoint: &'static str,
        /// The status.
        status: u16,
        /// The start of the body.
        body_excerpt: String,
    },
    /// The reply could not be read as the endpoint's reply type.
    Decode {
        /// The endpoint's id.
        endpoint: &'static str,
        /// What did not fit.
        message: String,
        /// The start of the body.
        body_excerpt: String,
    },
    /// The HTTP exchange itself failed.
    Transport {
        /// The endpoint's id.
        endpoint: &'static str,
        /// What kind of failure.
        kind: TransportErrorKind,
        /// What happened.
        message: String,
    },
    /// The circuit breaker is open after transport failures in a row: nothing was sent.
    CircuitOpen {
        /// The endpoint's id.
        endpoint: &'static str,
        /// How many exchanges in a row failed.
        failures: u32,
    },
    /// The client's overall deadline
    /// ([`ClientConfig::deadline`](super::ClientConfig::deadline)) has passed.
    DeadlineExceeded {
        /// The endpoint's id.
        endpoint: &'static str,
        /// Whether the request was on its way when time ran out (the server may have acted on
        /// it); `false` means nothing was sent.
        attempted: bool,
    },
}

impl<E: ApiErrorCode> ClientError<E> {
    /// Whether calling again may succeed: transport failures (but not a refused redirect or an
    /// oversized reply), HTTP 429 and 5xx, and replies that were cut off. API errors, invalid
    /// requests, an open circuit breaker and a spent deadline are not retryable (token errors
    /// are already retried once by the client).
    pub fn is_retryable(&self) -> bool {
        match self {
            ClientError::Transport { kind, .. } => !kind.is_server_reply(),
            ClientError::Decode { .. } => true,
            ClientError::Http { status, .. } => *status == 429 || *status >= 500,
            ClientError::Validation { .. }
            | ClientError::Api { .. }
            | ClientError::Token { .. }
            | ClientError::CircuitOpen { .. }
            | ClientError::DeadlineExceeded { .. } => false,
        }
    }

    /// Whether the request was never sent: it was invalid, the circuit breaker was open, or the
    /// deadline had passed before it left. A caller working through many requests can report
    /// these as not attempted.
    pub fn is_not_attempted(&self) -> bool {
        matches!(
            self,
            ClientError::Validation { .. }
                | ClientError::CircuitOpen { .. }
                | ClientError::DeadlineExceeded {
                    attempted: false,
                    ..
                }
        )
    }

    /// The API error code, when the API sent one.
    pub fn error_code(&self) -> Option<E> {
        match self {
            ClientError::Api { code, .. } => Some(*code),
            ClientError::Token {
                errcode: Some(code),
                ..
            } => Some(E::from_code(*code)),
            _ => None,
        }
    }
}

impl<E: fmt::Display> fmt::Display for ClientError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Validation { endpoint, errors } => {
                write!(f, "{endpoint}: invalid request: {errors}")
            }
            ClientError::Api {
                endpoint,
                code,
                errmsg,
            } => write!(f, "{endpoint}: WeCard error {code}: {errmsg}"),
            ClientError::Token {
                errcode: Some(code),
                message,
            } => write!(f, "access token refused ({code}): {message}"),
            ClientError::Token {
                errcode: None,
                message,
            } => write!(f, "no usable access token: {message}"),
            ClientError::Http {
                endpoint,
                status,
                body_excerpt,
            } => write!(f, "{endpoint}: HTTP {status}: {body_excerpt}"),
            ClientError::Decode {
                endpoint,
                message,
                body_excerpt,
            } => {
                write!(
                    f,
                    "{endpoint}: unreadable reply ({message}): {body_excerpt}"
                )
            }
            ClientError::Transport {
                endpoint,
                kind,
                message,
            } => write!(f, "{endpoint}: {kind}: {message}"),
            ClientError::CircuitOpen { endpoint, failures } => write!(
                f,
                "{endpoint}: not sent: the last {failures} exchanges failed in a row, so the client stopped trying for now (ClientConfig::circuit_breaker)"
            ),
            ClientError::DeadlineExceeded {
                endpoint,
                attempted: true,
            } => write!(
                f,
                "{endpoint}: the client's overall deadline passed while waiting for the reply (ClientConfig::deadline)"
            ),
            ClientError::DeadlineExceeded {
                endpoint,
                attempted: false,
            } => write!(
                f,
                "{endpoint}: not sent: the client's overall deadline has passed (ClientConfig::deadline)"
            ),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for ClientError<E> {}
