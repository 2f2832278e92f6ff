//! An async client for the WeCard open API: access tokens fetched lazily, cached, refreshed
//! before they expire and after the server says they are stale; requests validated before they
//! are sent; every failure a typed [`ClientError`] that never shows a credential.
//!
//! The client is generic over an [`Api`]: what a generated module knows about its own API (the
//! token endpoint's request and reply types, the error-code table, the default base URL). A
//! generated module wraps it in its own `client::Client` with one method per endpoint.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use super::{
    ApiErrorCode, Endpoint, ErrorHandling, HttpMethod, TokenPlacement, Validate, ValidationErrors,
    ValidationLevel,
};

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
    /// The access token; absent or empty means the endpoint refused.
    pub access_token: Option<Secret>,
    /// Its lifetime in seconds, if the reply says.
    pub expires_in: Option<i64>,
    /// The `errcode` of a refusal, if it sent one.
    pub errcode: Option<i64>,
    /// Whatever else a refusal said (`errmsg`, `error`, `error_description`), in that order.
    pub messages: Vec<String>,
}

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

/// How to reach WeCard and as whom.
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
    /// Time allowed for one HTTP exchange.
    pub timeout: Duration,
    /// A token is refreshed this long before it expires (at most half its lifetime).
    pub refresh_margin: Duration,
    /// Validation run before each request is sent; `None` sends requests unchecked.
    pub validation: Option<ValidationLevel>,
}

impl ClientConfig {
    /// A configuration for the public host with the default timeouts and default validation.
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
}

/// An HTTP reply as the client needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

/// Why an HTTP exchange failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// No connection could be made.
    Connect,
    /// The exchange took longer than the timeout.
    Timeout,
    /// Anything else (a broken connection, a protocol error).
    Other,
}

/// A failed HTTP exchange. Its message never contains the URL (which may carry a token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    /// What kind of failure.
    pub kind: TransportErrorKind,
    /// What happened, without the URL.
    pub message: String,
}

/// The future a [`Transport`] returns.
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

/// An HTTP stack: `reqwest` by default ([`ReqwestTransport`]); implement it to use another, or a
/// test double.
pub trait Transport: Send + Sync + 'static {
    /// POSTs a JSON `body` to `url` and returns the reply, whatever its status.
    fn post<'a>(&'a self, url: &'a str, body: Vec<u8>, timeout: Duration) -> TransportFuture<'a>;

    /// GETs `url` (the request's fields are already in its query) and returns the reply,
    /// whatever its status. Only APIs with `GET` endpoints need it; the default refuses.
    fn get<'a>(&'a self, url: &'a str, timeout: Duration) -> TransportFuture<'a> {
        let _ = (url, timeout);
        Box::pin(async {
            Err(TransportError {
                kind: TransportErrorKind::Other,
                message: "this transport does not send GET requests".into(),
            })
        })
    }
}

/// Turns a `reqwest` failure into a [`TransportError`] without the URL (it may carry a token).
fn described(error: reqwest::Error) -> TransportError {
    let kind = if error.is_timeout() {
        TransportErrorKind::Timeout
    } else if error.is_connect() {
        TransportErrorKind::Connect
    } else {
        TransportErrorKind::Other
    };
    let error = error.without_url();
    let mut message = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    TransportError { kind, message }
}

/// Sends a built `reqwest` request and reads the whole reply.
async fn exchange(request: reqwest::RequestBuilder) -> Result<HttpResponse, TransportError> {
    let response = request.send().await.map_err(described)?;
    let status = response.status().as_u16();
    let body = Vec::from(response.bytes().await.map_err(described)?);
    Ok(HttpResponse { status, body })
}

/// The default transport, on `reqwest` with rustls (no system TLS library needed).
#[derive(Debug, Clone, Default)]
pub struct ReqwestTransport {
    http: reqwest::Client,
}

impl ReqwestTransport {
    /// Uses an existing `reqwest` client (its connection pool, proxy settings, …).
    pub fn new(http: reqwest::Client) -> Self {
        Self { http }
    }
}

impl Transport for ReqwestTransport {
    fn post<'a>(&'a self, url: &'a str, body: Vec<u8>, timeout: Duration) -> TransportFuture<'a> {
        Box::pin(exchange(
            self.http
                .post(url)
                .header("content-type", "application/json")
                .timeout(timeout)
                .body(body),
        ))
    }

    fn get<'a>(&'a self, url: &'a str, timeout: Duration) -> TransportFuture<'a> {
        Box::pin(exchange(self.http.get(url).timeout(timeout)))
    }
}

/// Why a call failed. `Display` and `Debug` never show the app secret or an access token.
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
        /// The server's message, as sent.
        errmsg: String,
    },
    /// The token endpoint refused to issue a token.
    Token {
        /// The `errcode` it sent, if any.
        errcode: Option<i64>,
        /// What it said (`errmsg`, `error`, or `error_description`).
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
}

impl<E: ApiErrorCode> ClientError<E> {
    /// Whether calling again may succeed: transport failures, HTTP 429 and 5xx, and replies that
    /// were cut off. API errors and invalid requests are not retryable (token errors are already
    /// retried once by the client).
    pub fn is_retryable(&self) -> bool {
        match self {
            ClientError::Transport { .. } | ClientError::Decode { .. } => true,
            ClientError::Http { status, .. } => *status == 429 || *status >= 500,
            ClientError::Validation { .. }
            | ClientError::Api { .. }
            | ClientError::Token { .. } => false,
        }
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
            } => write!(f, "access token refused: {message}"),
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
            } => write!(f, "{endpoint}: {kind:?} error: {message}"),
        }
    }
}

impl<E: fmt::Debug + fmt::Display> std::error::Error for ClientError<E> {}

/// At most this many characters of a body are kept in an error.
const EXCERPT_CHARS: usize = 200;

/// A cached token and when to stop using it.
#[derive(Clone)]
struct CachedToken {
    token: Secret,
    refresh_at: Instant,
}

/// One (base URL, app key, ocode)'s token, behind an async lock so that concurrent callers on a
/// cold cache wait for one fetch instead of each making their own.
type TokenSlot = tokio::sync::Mutex<Option<CachedToken>>;

/// What tokens are cached by: (base URL, app key, ocode).
type TokenKey = (String, String, String);

/// Tokens shared by every client in the process, per [`TokenKey`].
static TOKENS: LazyLock<Mutex<HashMap<TokenKey, Arc<TokenSlot>>>> = LazyLock::new(Default::default);

/// The reply's envelope, read before the reply itself.
#[derive(serde::Deserialize)]
struct Envelope {
    errcode: Option<i64>,
    errmsg: Option<String>,
}

/// The WeCard client for the API `A`. Cheap to clone; clones share the transport and the
/// token cache.
pub struct Client<A> {
    config: Arc<ClientConfig>,
    transport: Arc<dyn Transport>,
    slot: Arc<TokenSlot>,
    api: std::marker::PhantomData<fn() -> A>,
}

impl<A> Clone for Client<A> {
    fn clone(&self) -> Self {
        Self {
            config: Arc::clone(&self.config),
            transport: Arc::clone(&self.transport),
            slot: Arc::clone(&self.slot),
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
    /// A client on the default `reqwest` transport.
    pub fn new(config: ClientConfig) -> Self {
        Self::with_transport(config, ReqwestTransport::default())
    }

    /// A client on another transport.
    pub fn with_transport(mut config: ClientConfig, transport: impl Transport) -> Self {
        if config.base_url.is_empty() {
            config.base_url = A::DEFAULT_BASE_URL.to_string();
        }
        let key = (
            config.base_url.clone(),
            config.app_key.clone(),
            config.ocode.clone(),
        );
        let slot = match TOKENS.lock() {
            Ok(mut tokens) => Arc::clone(tokens.entry(key).or_default()),
            // A poisoned map only means another thread panicked while inserting: a private slot
            // still works, it just is not shared.
            Err(_) => Arc::new(TokenSlot::default()),
        };
        Self {
            config: Arc::new(config),
            transport: Arc::new(transport),
            slot,
            api: std::marker::PhantomData,
        }
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Forgets the cached token, so the next call fetches a new one.
    pub async fn forget_token(&self) {
        *self.slot.lock().await = None;
    }

    /// A valid access token: the cached one, or a new one (fetched once however many callers
    /// are waiting).
    pub async fn access_token(&self) -> Result<Secret, ClientError<A::ErrorCode>> {
        let mut slot = self.slot.lock().await;
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
        let mut slot = self.slot.lock().await;
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
                message: error.to_string(),
                body_excerpt: not_shown.clone(),
            })?;
        let grant = A::token_grant(reply);
        let Some(token) = grant
            .access_token
            .filter(|token| !token.expose().is_empty())
        else {
            let message = if grant.messages.is_empty() {
                "the reply has no access_token".to_string()
            } else {
                grant.messages.join("; ")
            };
            return Err(ClientError::Token {
                errcode: grant.errcode,
                message: self.redact(&message),
            });
        };
        let expires_in = grant
            .expires_in
            .and_then(|seconds| u64::try_from(seconds).ok())
            .unwrap_or(7200);
        let lifetime = Duration::from_secs(expires_in);
        let margin = config.refresh_margin.min(lifetime / 2);
        // A lifetime too long for the clock to represent is as good as a year.
        let refresh_at = started
            .checked_add(lifetime - margin)
            .unwrap_or_else(|| started + Duration::from_secs(365 * 24 * 3600));
        Ok(CachedToken { token, refresh_at })
    }

    /// Sends `request` to its endpoint with `token` where the endpoint wants it: a `GET` carries
    /// every field in the query, a `POST` carries them as a JSON body.
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
        let timeout = self.config.timeout;
        let sent = match body {
            Some(body) => self.transport.post(&url, body, timeout).await,
            None => self.transport.get(&url, timeout).await,
        };
        sent.map_err(|error| ClientError::Transport {
            endpoint: R::ID,
            kind: error.kind,
            message: self.redact(&error.message),
        })
    }

    /// Replaces the app secret and any cached token in `text`.
    fn redact(&self, text: &str) -> String {
        let mut text = text.to_string();
        let secret = self.config.app_secret.expose();
        if !secret.is_empty() {
            text = text.replace(secret, "<redacted>");
        }
        if let Ok(slot) = self.slot.try_lock() {
            let cached = slot
                .as_ref()
                .filter(|cached| !cached.token.expose().is_empty());
            if let Some(cached) = cached {
                text = text.replace(cached.token.expose(), "<redacted>");
            }
        }
        text
    }

    fn excerpt(&self, body: &[u8]) -> String {
        let text = String::from_utf8_lossy(body);
        let mut excerpt: String = text.chars().take(EXCERPT_CHARS).collect();
        if text.chars().count() > EXCERPT_CHARS {
            excerpt.push('…');
        }
        self.redact(&excerpt)
    }

    /// Calls the endpoint of `request`: validates it, attaches the token where the endpoint
    /// wants it, and on an expired or invalid token refreshes it and replays the call once.
    pub async fn call<R>(&self, request: &R) -> Result<R::Response, ClientError<A::ErrorCode>>
    where
        R: Endpoint + serde::Serialize + Validate,
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
                            message: error.to_string(),
                            body_excerpt: self.excerpt(&response.body),
                        }
                    })?;
                if let Some(code) = envelope.errcode.filter(|code| *code != 0) {
                    let code = A::ErrorCode::from_code(code);
                    if code.handling() == ErrorHandling::RefreshToken && !replayed {
                        if let Some(used) = &token {
                            self.drop_token(used).await;
                        }
                        replayed = true;
                        continue;
                    }
                    let errmsg = self.redact(&envelope.errmsg.unwrap_or_default());
                    return Err(ClientError::Api {
                        endpoint: R::ID,
                        code,
                        errmsg,
                    });
                }
            }
            return serde_json::from_slice(&response.body).map_err(|error| ClientError::Decode {
                endpoint: R::ID,
                message: error.to_string(),
                body_excerpt: self.excerpt(&response.body),
            });
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

/// A query string being built: `?a=1&b=2`, every key and value percent-encoded.
#[derive(Default)]
struct Query {
    text: String,
}

impl Query {
    fn pair(&mut self, key: &str, value: &str) {
        self.text.push(if self.text.is_empty() { '?' } else { '&' });
        self.text.push_str(&percent_encode(key));
        self.text.push('=');
        self.text.push_str(&percent_encode(value));
    }

    /// A request's fields: scalars as their text, lists as the key repeated once per item,
    /// anything nested as JSON; absent and `null` fields are left out.
    fn fields(&mut self, request: &serde_json::Value) {
        let serde_json::Value::Object(map) = request else {
            return;
        };
        for (key, value) in map {
            match value {
                serde_json::Value::Null => {}
                serde_json::Value::Array(items) => {
                    for item in items {
                        self.pair(key, &query_text(item));
                    }
                }
                other => self.pair(key, &query_text(other)),
            }
        }
    }
}

fn query_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// Encodes everything but RFC 3986's unreserved characters, for a query value.
fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Paged endpoints: how to ask for a page and read it. Implemented by generated code.
pub trait Paged: Endpoint + serde::Serialize + Validate + Clone {
    /// What a page holds.
    type Item;
    /// The largest page size the server accepts, if the spec says.
    const MAX_PAGE_SIZE: Option<i64>;
    /// The page number asked for, if set.
    fn page(&self) -> Option<i64>;
    /// The page size asked for, if set.
    fn page_size(&self) -> Option<i64>;
    /// Asks for `page` of `page_size` items.
    fn set_page(&mut self, page: i64, page_size: i64);
    /// The reply's total item count and its items.
    fn into_page(response: Self::Response) -> (Option<i64>, Vec<Self::Item>);
}

/// Pages of a paged endpoint; see [`Client::pages`].
#[derive(Debug)]
pub struct Pages<A, R> {
    client: Client<A>,
    request: R,
    next_page: Option<i64>,
    fetched: i64,
    done: bool,
}

impl<A: Api, R: Paged> Pages<A, R> {
    /// The next page's items, or `None` after the last page.
    pub async fn next(&mut self) -> Option<Result<Vec<R::Item>, ClientError<A::ErrorCode>>> {
        if self.done {
            return None;
        }
        let page = self.next_page.or(self.request.page()).unwrap_or(1).max(1);
        let page_size = self
            .request
            .page_size()
            .or(R::MAX_PAGE_SIZE)
            .unwrap_or(100)
            .max(1);
        self.request.set_page(page, page_size);
        let (total, items) = match self.client.call(&self.request).await {
            Ok(response) => R::into_page(response),
            Err(error) => return Some(Err(error)),
        };
        self.fetched += items.len() as i64;
        self.next_page = Some(page + 1);
        let seen = page.saturating_mul(page_size);
        self.done = items.is_empty() || total.is_none_or(|total| seen >= total);
        Some(Ok(items))
    }

    /// Every item of every remaining page, in order.
    pub async fn collect_all(mut self) -> Result<Vec<R::Item>, ClientError<A::ErrorCode>> {
        let mut all = Vec::new();
        while let Some(page) = self.next().await {
            all.extend(page?);
        }
        Ok(all)
    }
}
