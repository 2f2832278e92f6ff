//! How to reach the API and as whom, and the limits a client keeps to: [`ClientConfig`], and
//! [`Secret`] for credentials.

use std::fmt;
use std::time::Duration;

use super::super::ValidationLevel;
use super::transport::DEFAULT_MAX_REPLY_BYTES;

/// A credential: shown as `<redacted>` by `Debug` and `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The credential itself, for sending it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_string())
    }
}

/// How to reach WeCard and as whom, and the limits the client keeps to.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Base URL without a trailing `/` (privately deployed schools use their own host); empty
    /// means the API's default.
    pub base_url: String,
    /// The app's key.
    pub app_key: String,
    /// The app's secret.
    pub app_secret: Secret,
    /// The school (subject) the app acts for.
    pub ocode: String,
    /// Time allowed for one HTTP exchange (default 10 s).
    pub timeout: Duration,
    /// A token is refreshed this long before it expires (at most half its lifetime; default
    /// 5 minutes).
    pub refresh_margin: Duration,
    /// Validation run before each request is sent; `None` sends requests unchecked.
    pub validation: Option<ValidationLevel>,
    /// The largest reply body read, in bytes (default 16 MiB); a larger reply is a
    /// [`TransportErrorKind::TooLarge`](super::TransportErrorKind::TooLarge) error, not retried.
    pub max_reply_bytes: usize,
    /// Total time the client may spend, counted from when it is built (default: none). Each
    /// exchange's timeout is cut to what is left; once it is spent, every call fails at once
    /// with [`ClientError::DeadlineExceeded`](super::ClientError::DeadlineExceeded).
    pub deadline: Option<Duration>,
    /// The circuit breaker: after this many transport failures in a row (no connection, no
    /// reply in time, a broken exchange) calls fail at once with
    /// [`ClientError::CircuitOpen`](super::ClientError::CircuitOpen), sending nothing, until
    /// `breaker_cooldown` has passed (default 5; `None` turns the breaker off).
    pub max_consecutive_failures: Option<u32>,
    /// How long the breaker stays open before calls are let through again (default 30 s); a
    /// reply of any kind closes it, another transport failure opens it again.
    pub breaker_cooldown: Duration,
}

impl ClientConfig {
    /// A configuration for the public host with the default timeouts, limits and validation.
    pub fn new(
        app_key: impl Into<String>,
        app_secret: impl Into<Secret>,
        ocode: impl Into<String>,
    ) -> Self {
        Self {
            base_url: String::new(),
            app_key: app_key.into(),
            app_secret: app_secret.into(),
            ocode: ocode.into(),
            timeout: Duration::from_secs(10),
            refresh_margin: Duration::from_secs(300),
            validation: Some(ValidationLevel::Default),
            max_reply_bytes: DEFAULT_MAX_REPLY_BYTES,
            deadline: None,
            max_consecutive_failures: Some(5),
            breaker_cooldown: Duration::from_secs(30),
        }
    }

    /// Uses another host (a private deployment, or a sandbox).
    #[must_use]
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = base_url.into().trim_end_matches('/').to_string();
        self
    }

    /// Sets the time allowed for one HTTP exchange.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// Sets how long before expiry a token is refreshed.
    #[must_use]
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.refresh_margin = margin;
        self
    }

    /// Sets the validation run before sending (`None`: send unchecked).
    #[must_use]
    pub fn validation(mut self, level: Option<ValidationLevel>) -> Self {
        self.validation = level;
        self
    }

    /// Sets the largest reply body read, in bytes.
    #[must_use]
    pub fn max_reply_bytes(mut self, limit: usize) -> Self {
        self.max_reply_bytes = limit;
        self
    }

    /// Sets the total time the client may spend, from when it is built (`None`: no limit).
    #[must_use]
    pub fn deadline(mut self, deadline: Option<Duration>) -> Self {
        self.deadline = deadline;
        self
    }

    /// Sets how many transport failures in a row open the circuit breaker (`None`: never), and
    /// how long it then stays open.
    #[must_use]
    pub fn circuit_breaker(mut self, failures: Option<u32>, cooldown: Duration) -> Self {
        self.max_consecutive_failures = failures;
        self.breaker_cooldown = cooldown;
        self
    }
}
