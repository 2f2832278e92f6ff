//! An async client for the WeCard open API: access tokens fetched lazily, cached, refreshed
//! before they expire and after the server says they are stale; requests validated before they
//! are sent; every failure a typed [`ClientError`] that never shows a credential.
//!
//! The client is generic over an [`Api`]: what a generated module knows about its own API (the
//! token endpoint's request and reply types, the error-code table, the default base URL). A
//! generated module wraps it in its own `client::Client` with one method per endpoint.
//!
//! What the client refuses to do, whatever a server answers:
//!
//! - follow a redirect: a 3xx is a [`TransportErrorKind::Redirect`] error naming the target
//!   host (never its path or query), and no `Referer` is sent; any status but 2xx is a failure;
//! - read a reply past [`ClientConfig::max_reply_bytes`] (16 MiB by default);
//! - quote a credential: every text taken from a server or the HTTP stack is scrubbed of the
//!   app secret, of every token issued for this (base URL, app key, ocode), and of the value of
//!   any `access_token=…` or `"access_token": …` (and `app_secret`) it contains;
//! - use a token reply that makes no sense: a reply without a token is an error saying so, an
//!   `expires_in` of zero or less is an error, one above a day is cut to a day, and a missing
//!   one is taken as WeCard's documented 7200 seconds;
//! - keep trying a dead server: [`ClientConfig::deadline`] bounds the time spent in total, and
//!   the circuit breaker ([`ClientConfig::circuit_breaker`]) stops sending after a number of
//!   transport failures in a row.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{
    ApiErrorCode, Endpoint, ErrorHandling, HttpMethod, TokenPlacement, Validate, ValidationErrors,
};

mod breaker;
mod config;
mod drift;
mod error;
mod paging;
mod query;
mod redact;
mod tokens;
mod transport;

#[cfg(test)]
mod unit_tests;

pub use self::config::{ClientConfig, Secret};
pub use self::drift::{
    DriftEntry, DriftKind, DriftLog, Findings, MAX_DRIFT_ENTRIES, Observe, ObservedStruct, Place,
};
pub use self::error::ClientError;
pub use self::paging::{Paged, Pages};
pub use self::transport::{
    DEFAULT_MAX_REPLY_BYTES, HttpResponse, ReqwestTransport, Transport, TransportError,
    TransportErrorKind, TransportFuture,
};

use self::breaker::Breaker;
use self::query::Query;
use self::redact::Redactor;
use self::tokens::{CachedToken, TokenState};

/// What a generated module tells the client about its API.
pub trait Api: Send + Sync + 'static {
    /// The error-code table.
    type ErrorCode: ApiErrorCode;
    /// The request of the endpoint that issues access tokens.
    type TokenRequest: Endpoint + serde::Serialize + Validate + Send + Sync;
    /// The API's default base URL, without a trailing `/`.
    const DEFAULT_BASE_URL: &'static str;
    /// The name of the access-token parameter, in the query or the body.
    const TOKEN_PARAM: &'static str;
    /// The token request for these credentials.
    fn token_request(app_key: &str, app_secret: &Secret, ocode: &str) -> Self::TokenRequest;
    /// What a token reply grants.
    fn token_grant(reply: <Self::TokenRequest as Endpoint>::Response) -> TokenGrant;
}

/// What the token endpoint answered, read from its reply type.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TokenGrant {
    /// The access token; absent or empty means no token was issued.
    pub access_token: Option<Secret>,
    /// Its lifetime in seconds, if the reply says.
    pub expires_in: Option<i64>,
    /// The `errcode` of a refusal, if it sent one.
    pub errcode: Option<i64>,
    /// Whatever else a refusal said (`errmsg`, `error`, `error_description`), in that order.
    pub messages: Vec<String>,
}

/// At most this many characters of a body are kept in an error.
const EXCERPT_CHARS: usize = 200;

/// At most this many characters of a server's message are kept in an error.
const MESSAGE_CHARS: usize = 1000;

/// The reply's envelope, read before the reply itself.
#[derive(serde::Deserialize)]
struct Envelope {
    errcode: Option<i64>,
    errmsg: Option<String>,
}

/// The WeCard client for the API `A`. Cheap to clone; clones share the transport, the token
/// cache, the circuit breaker and the deadline.
pub struct Client<A> {
    config: Arc<ClientConfig>,
    transport: Arc<dyn Transport>,
    tokens: Arc<TokenState>,
    breaker: Arc<Breaker>,
    drift: Arc<DriftLog>,
    deadline: Option<Instant>,
    api: std::marker::PhantomData<fn() -> A>,
}

impl<A> Clone for Client<A> {
    fn clone(&self) -> Self {
        Self {
            config: Arc::clone(&self.config),
            transport: Arc::clone(&self.transport),
            tokens: Arc::clone(&self.tokens),
            breaker: Arc::clone(&self.breaker),
            drift: Arc::clone(&self.drift),
            deadline: self.deadline,
            api: std::marker::PhantomData,
        }
    }
}

impl<A> fmt::Debug for Client<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl<A: Api> Client<A> {
    /// A client on the default `reqwest` transport, reading replies up to the configured size.
    pub fn new(config: ClientConfig) -> Self {
        let transport = ReqwestTransport::default().max_reply_bytes(config.max_reply_bytes);
        Self::with_transport(config, transport)
    }

    /// A client on another transport. The deadline, if configured, starts now.
    pub fn with_transport(mut config: ClientConfig, transport: impl Transport) -> Self {
        if config.base_url.is_empty() {
            config.base_url = A::DEFAULT_BASE_URL.to_string();
        }
        let tokens = tokens::shared(&config.base_url, &config.app_key, &config.ocode);
        let breaker = Breaker::new(config.max_consecutive_failures, config.breaker_cooldown);
        // A deadline too far for the clock is no deadline.
        let deadline = config
            .deadline
            .and_then(|deadline| Instant::now().checked_add(deadline));
        Self {
            config: Arc::new(config),
            transport: Arc::new(transport),
            tokens,
            breaker: Arc::new(breaker),
            drift: Arc::default(),
            deadline,
            api: std::marker::PhantomData,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// What replies have carried so far that the spec does not know: unknown fields, unknown
    /// codes, unknown error codes, missing required fields. Clones of a client share one log.
    pub fn drift(&self) -> Vec<DriftEntry> {
        self.drift.entries()
    }

    /// As [`Client::drift`], and empties the log.
    pub fn take_drift(&self) -> Vec<DriftEntry> {
        self.drift.take()
    }

    /// How many distinct drift entries were not kept because the log held
    /// [`MAX_DRIFT_ENTRIES`] already (since the last [`Client::take_drift`]).
    pub fn drift_dropped(&self) -> u64 {
        self.drift.dropped()
    }

    /// Adds what a reply of `endpoint` showed to the drift log, scrubbed of credentials.
    fn note_drift(&self, endpoint: &str, found: Vec<DriftEntry>) {
        self.drift
            .record(endpoint, found, |value| self.clip(value, MESSAGE_CHARS));
    }

    /// Forgets the cached token, so the next call fetches a new one.
    pub async fn forget_token(&self) {
        *self.tokens.slot.lock().await = None;
    }

    /// A valid access token: the cached one, or a new one (fetched once however many callers
    /// are waiting).
    pub async fn access_token(&self) -> Result<Secret, ClientError<A::ErrorCode>> {
        let mut slot = self.tokens.slot.lock().await;
        if let Some(cached) = slot
            .as_ref()
            .filter(|cached| Instant::now() < cached.refresh_at)
        {
            return Ok(cached.token.clone());
        }
        let fetched = self.fetch_token().await?;
        let token = fetched.token.clone();
        *slot = Some(fetched);
        Ok(token)
    }

    /// Drops `used` from the cache if it is still the cached token (another caller may have
    /// refreshed it already).
    async fn drop_token(&self, used: &Secret) {
        let mut slot = self.tokens.slot.lock().await;
        if slot.as_ref().is_some_and(|cached| &cached.token == used) {
            *slot = None;
        }
    }

    async fn fetch_token(&self) -> Result<CachedToken, ClientError<A::ErrorCode>> {
        type TokenRequest<A> = <A as Api>::TokenRequest;
        let config = &self.config;
        let request = A::token_request(&config.app_key, &config.app_secret, &config.ocode);
        let endpoint = <TokenRequest<A> as Endpoint>::ID;
        let started = Instant::now();
        let response = self.exchange::<TokenRequest<A>>(&request, None).await?;
        // The token reply is never quoted in an error: it may hold the token itself.
        let not_shown = format!("({} bytes, not shown)", response.body.len());
        if !(200..300).contains(&response.status) {
            return Err(ClientError::Http {
                endpoint,
                status: response.status,
                body_excerpt: not_shown,
            });
        }
        let reply: <TokenRequest<A> as Endpoint>::Response = serde_json::from_slice(&response.body)
            .map_err(|error| ClientError::Decode {
                endpoint,
                message: without_quoted_values(&error.to_string()),
                body_excerpt: not_shown.clone(),
            })?;
        let grant = A::token_grant(reply);
        let said = self.clip(&grant.messages.join("; "), MESSAGE_CHARS);
        let token = grant
            .access_token
            .filter(|token| !token.expose().is_empty());
        let Some(token) = token else {
            return Err(match grant.errcode.filter(|code| *code != 0) {
                Some(code) => ClientError::Token {
                    errcode: Some(code),
                    message: if said.is_empty() {
                        "the token endpoint gave no reason".into()
                    } else {
                        said
                    },
                },
                None => ClientError::Token {
                    errcode: None,
                    message: format!(
                        "the token reply has no access_token{}{}",
                        match grant.errcode {
                            Some(_) => " although its errcode is 0 (success)",
                            None => " and no errcode",
                        },
                        if said.is_empty() {
                            String::new()
                        } else {
                            format!("; it says: {said}")
                        }
                    ),
                },
            });
        };
        // Remembered before it is used anywhere, so that any echo of it is scrubbed.
        self.tokens.remember(&token);
        if token.expose().len() > tokens::MAX_TOKEN_BYTES {
            return Err(ClientError::Token {
                errcode: None,
                message: format!(
                    "the token reply's access_token is {} bytes long; more than {} is not a token",
                    token.expose().len(),
                    tokens::MAX_TOKEN_BYTES
                ),
            });
        }
        let lifetime = token_lifetime(grant.expires_in).map_err(|message| ClientError::Token {
            errcode: None,
            message,
        })?;
        let margin = config.refresh_margin.min(lifetime / 2);
        let refresh_at = started
            .checked_add(lifetime - margin)
            .unwrap_or_else(Instant::now);
        Ok(CachedToken { token, refresh_at })
    }

    /// Sends `request` to its endpoint with `token` where the endpoint wants it: a `GET` carries
    /// every field in the query, a `POST` carries them as a JSON body. Keeps to the deadline,
    /// the circuit breaker and the reply size limit.
    async fn exchange<R>(
        &self,
        request: &R,
        token: Option<&Secret>,
    ) -> Result<HttpResponse, ClientError<A::ErrorCode>>
    where
        R: Endpoint + serde::Serialize,
    {
        let unwritable = |error: serde_json::Error| ClientError::Decode {
            endpoint: R::ID,
            message: format!("the request could not be written as JSON: {error}"),
            body_excerpt: String::new(),
        };
        let mut url = format!("{}{}", self.config.base_url, R::PATH);
        let mut query = Query::default();
        let body = match R::METHOD {
            HttpMethod::Get => {
                let value = serde_json::to_value(request).map_err(unwritable)?;
                query.fields(&value);
                if let Some(token) = token {
                    query.pair(A::TOKEN_PARAM, token.expose());
                }
                None
            }
            HttpMethod::Post => {
                if let Some(token) = token.filter(|_| R::TOKEN == TokenPlacement::Query) {
                    query.pair(A::TOKEN_PARAM, token.expose());
                }
                Some(match token.filter(|_| R::TOKEN == TokenPlacement::Body) {
                    Some(token) => {
                        let mut value = serde_json::to_value(request).map_err(unwritable)?;
                        if let serde_json::Value::Object(map) = &mut value {
                            map.insert(
                                A::TOKEN_PARAM.to_string(),
                                serde_json::Value::String(token.expose().to_string()),
                            );
                        }
                        serde_json::to_vec(&value).map_err(unwritable)?
                    }
                    None => serde_json::to_vec(request).map_err(unwritable)?,
                })
            }
        };
        url.push_str(&query.text);

        let mut timeout = self.config.timeout;
        // Whether the deadline, not the configured timeout, bounds this exchange.
        let mut cut = false;
        if let Some(deadline) = self.deadline {
            match deadline.checked_duration_since(Instant::now()) {
                Some(left) if !left.is_zero() => {
                    cut = left < timeout;
                    timeout = timeout.min(left);
                }
                _ => {
                    return Err(ClientError::DeadlineExceeded {
                        endpoint: R::ID,
                        attempted: false,
                    });
                }
            }
        }
        if let Err(failures) = self.breaker.admit() {
            return Err(ClientError::CircuitOpen {
                endpoint: R::ID,
                failures,
            });
        }
        let sent = match body {
            Some(body) => self.transport.post(&url, body, timeout),
            None => self.transport.get(&url, timeout),
        };
        // The transport is told the timeout; this holds it to it.
        let failure = match tokio::time::timeout(timeout, sent).await {
            Ok(Ok(response)) => {
                self.breaker.record_reply();
                if response.body.len() > self.config.max_reply_bytes {
                    TransportError::too_large(self.config.max_reply_bytes)
                } else {
                    return Ok(response);
                }
            }
            Ok(Err(error)) => error,
            Err(_) => TransportError {
                kind: TransportErrorKind::Timeout,
                message: format!("no reply within {} ms", timeout.as_millis()),
            },
        };
        if failure.kind.is_server_reply() {
            self.breaker.record_reply();
        } else {
            self.breaker.record_failure();
            let spent = self
                .deadline
                .is_some_and(|deadline| Instant::now() >= deadline);
            if spent || (cut && failure.kind == TransportErrorKind::Timeout) {
                return Err(ClientError::DeadlineExceeded {
                    endpoint: R::ID,
                    attempted: true,
                });
            }
        }
        Err(ClientError::Transport {
            endpoint: R::ID,
            kind: failure.kind,
            message: self.clip(&failure.message, MESSAGE_CHARS),
        })
    }

    /// `text` scrubbed of credentials and cut to `chars` characters.
    fn clip(&self, text: &str, chars: usize) -> String {
        // Enough is kept past the cut for a token straddling it to be recognised whole.
        let kept: String = text.chars().take(chars + tokens::MAX_TOKEN_BYTES).collect();
        let mut secrets = self.tokens.issued();
        secrets.push(self.config.app_secret.expose().to_string());
        let keys = [A::TOKEN_PARAM, "access_token", "app_secret"];
        let redacted = Redactor {
            secrets,
            keys: &keys,
        }
        .redact(&kept);
        let mut clipped: String = redacted.chars().take(chars).collect();
        if redacted.chars().nth(chars).is_some() || kept.len() < text.len() {
            clipped.push('…');
        }
        clipped
    }

    fn excerpt(&self, body: &[u8]) -> String {
        self.clip(&String::from_utf8_lossy(body), EXCERPT_CHARS)
    }

    /// Calls the endpoint of `request`: validates it, attaches the token where the endpoint
    /// wants it, and on an expired or invalid token refreshes it and replays the call once.
    ///
    /// Whatever the reply carries that the spec does not know is added to the drift log
    /// ([`Client::drift`]).
    pub async fn call<R>(&self, request: &R) -> Result<R::Response, ClientError<A::ErrorCode>>
    where
        R: Endpoint + serde::Serialize + Validate,
        R::Response: Observe,
    {
        if let Some(level) = self.config.validation {
            let mut errors = ValidationErrors::new();
            request.validate_into(level, &mut errors);
            if !errors.is_empty() {
                return Err(ClientError::Validation {
                    endpoint: R::ID,
                    errors,
                });
            }
        }
        let mut replayed = false;
        loop {
            let token = match R::TOKEN {
                TokenPlacement::None => None,
                TokenPlacement::Query | TokenPlacement::Body => Some(self.access_token().await?),
            };
            let response = self.exchange(request, token.as_ref()).await?;
            if !(200..300).contains(&response.status) {
                return Err(ClientError::Http {
                    endpoint: R::ID,
                    status: response.status,
                    body_excerpt: self.excerpt(&response.body),
                });
            }
            if R::ENVELOPE {
                let envelope: Envelope =
                    serde_json::from_slice(&response.body).map_err(|error| {
                        ClientError::Decode {
                            endpoint: R::ID,
                            message: self.clip(&error.to_string(), MESSAGE_CHARS),
                            body_excerpt: self.excerpt(&response.body),
                        }
                    })?;
                if let Some(code) = envelope.errcode.filter(|code| *code != 0) {
                    let code = A::ErrorCode::from_code(code);
                    if code.handling() == ErrorHandling::Unknown {
                        self.note_drift(R::ID, vec![drift::unknown_error_code(code.code())]);
                    }
                    if code.handling() == ErrorHandling::RefreshToken && !replayed {
                        if let Some(used) = &token {
                            self.drop_token(used).await;
                        }
                        replayed = true;
                        continue;
                    }
                    let errmsg = self.clip(&envelope.errmsg.unwrap_or_default(), MESSAGE_CHARS);
                    return Err(ClientError::Api {
                        endpoint: R::ID,
                        code,
                        errmsg,
                    });
                }
            }
            return match serde_json::from_slice::<R::Response>(&response.body) {
                Ok(reply) => {
                    let mut found = Findings::new();
                    reply.observe(Place::ROOT, &mut found);
                    if !found.is_empty() {
                        self.note_drift(R::ID, found.into_entries());
                    }
                    Ok(reply)
                }
                Err(error) => {
                    // Off the happy path: which required fields did the reply leave out?
                    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&response.body) {
                        let mut found = Findings::new();
                        R::Response::missing(&value, Place::ROOT, &mut found);
                        if !found.is_empty() {
                            self.note_drift(R::ID, found.into_entries());
                        }
                    }
                    Err(ClientError::Decode {
                        endpoint: R::ID,
                        message: self.clip(&error.to_string(), MESSAGE_CHARS),
                        body_excerpt: self.excerpt(&response.body),
                    })
                }
            };
        }
    }

    /// Every page of a paged endpoint, fetched one after another from `request`'s page (1 when
    /// unset); how many pages there are follows from the reply's total and the page size.
    pub fn pages<R>(&self, request: R) -> Pages<A, R>
    where
        R: Paged,
    {
        Pages {
            client: self.clone(),
            request,
            next_page: None,
            fetched: 0,
            done: false,
        }
    }
}

/// A token's lifetime from the reply's `expires_in`: absent is WeCard's documented 7200 s,
/// zero or less is an error (the token would be stale on arrival), more than a day is cut to a
/// day.
fn token_lifetime(expires_in: Option<i64>) -> Result<Duration, String> {
    match expires_in {
        None => Ok(tokens::DEFAULT_LIFETIME),
        Some(seconds) if seconds <= 0 => Err(format!(
            "the token reply's expires_in is {seconds}: a token must live at least 1 second"
        )),
        Some(seconds) => Ok(Duration::from_secs(seconds.unsigned_abs()).min(tokens::MAX_LIFETIME)),
    }
}

/// A decoding error's text with every `"…"` value emptied: the token reply may hold the token.
fn without_quoted_values(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut inside = false;
    for c in message.chars() {
        if c == '"' {
            if inside {
                out.push('…');
            }
            inside = !inside;
            out.push(c);
        } else if !inside {
            out.push(c);
        }
    }
    out
}
