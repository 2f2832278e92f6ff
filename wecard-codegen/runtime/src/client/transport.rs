//! The HTTP side of the client: what a [`Transport`] is asked and answers, and the default one on
//! `reqwest`, which never follows a redirect, never sends a `Referer`, and stops reading a reply
//! past its size limit.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// The reply size limit when none is configured: 16 MiB.
pub const DEFAULT_MAX_REPLY_BYTES: usize = 16 * 1024 * 1024;

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
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made.
    Connect,
    /// The exchange took longer than the timeout.
    Timeout,
    /// The server answered with a redirect, which is not followed: WeCard does not redirect,
    /// and following one would send the request (and its credentials) to another host.
    Redirect,
    /// The reply is larger than the configured limit; reading stopped there.
    TooLarge,
    /// Anything else (a broken connection, a protocol error).
    Other,
}

impl TransportErrorKind {
    /// Whether the failure says nothing about the server's health (a redirect, an oversized
    /// reply): such failures are neither retried nor counted by the circuit breaker.
    pub fn is_server_reply(self) -> bool {
        matches!(self, Self::Redirect | Self::TooLarge)
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "connection failed",
            Self::Timeout => "timed out",
            Self::Redirect => "redirect refused",
            Self::TooLarge => "reply too large",
            Self::Other => "transport error",
        })
    }
}

/// A failed HTTP exchange. Its message never contains the URL's path or query (which may carry
/// a token).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransportError {
    /// What kind of failure.
    pub kind: TransportErrorKind,
    /// What happened, without the URL.
    pub message: String,
}

impl TransportError {
    /// The error for a reply larger than `limit` bytes.
    pub fn too_large(limit: usize) -> Self {
        Self {
            kind: TransportErrorKind::TooLarge,
            message: format!(
                "the reply is larger than the limit of {limit} bytes ({}); reading stopped there (raise ClientConfig::max_reply_bytes if the reply is expected)",
                human_size(limit)
            ),
        }
    }

    /// The error for a redirect to `host` (`None` when the reply did not say where to).
    pub fn redirect(status: u16, host: Option<&str>) -> Self {
        let target = match host {
            Some(host) => format!("to host {host}"),
            None => "without a usable Location".to_string(),
        };
        Self {
            kind: TransportErrorKind::Redirect,
            message: format!(
                "HTTP {status} redirect {target} not followed: WeCard does not redirect, so the base URL is probably wrong"
            ),
        }
    }
}

/// `16 MiB`, `512 KiB`, `100 bytes`.
fn human_size(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= 1024 && bytes.is_multiple_of(1024) {
        format!("{} KiB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// The future a [`Transport`] returns.
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

/// An HTTP stack: `reqwest` by default ([`ReqwestTransport`]); implement it to use another, or a
/// test double.
///
/// A transport must not follow redirects (return the 3xx reply, or a
/// [`TransportErrorKind::Redirect`] error), must not send a `Referer`, and should stop reading a
/// reply past the size it was built for ([`TransportErrorKind::TooLarge`]). The client checks
/// the status and the size of whatever a transport returns again, but only the transport can
/// keep an oversized reply out of memory.
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

/// `host` or `host:port` of a URL, never its path or query.
fn host_of(url: &reqwest::Url) -> Option<String> {
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    })
}

/// Sends a built `reqwest` request and reads the reply, refusing redirects and stopping past
/// `limit` bytes.
async fn exchange(
    request: reqwest::RequestBuilder,
    sent_to: &str,
    limit: usize,
) -> Result<HttpResponse, TransportError> {
    let mut response = request.send().await.map_err(described)?;
    let status = response.status();
    if status.is_redirection() {
        let host = response
            .headers()
            .get(reqwest::header::LOCATION)
            .and_then(|location| location.to_str().ok())
            .and_then(|location| response.url().join(location).ok())
            .and_then(|target| host_of(&target));
        return Err(TransportError::redirect(status.as_u16(), host.as_deref()));
    }
    // A `reqwest::Client` supplied by the caller may follow redirects on its own: a reply from
    // anywhere but where the request was sent is refused all the same.
    let arrived_from = response.url().clone();
    let requested = reqwest::Url::parse(sent_to).ok();
    if requested.is_some_and(|requested| {
        requested.host_str() != arrived_from.host_str()
            || requested.port_or_known_default() != arrived_from.port_or_known_default()
            || requested.path() != arrived_from.path()
    }) {
        return Err(TransportError::redirect(
            status.as_u16(),
            host_of(&arrived_from).as_deref(),
        ));
    }
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(TransportError::too_large(limit));
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(described)? {
        if body.len() + chunk.len() > limit {
            return Err(TransportError::too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(HttpResponse {
        status: status.as_u16(),
        body,
    })
}

/// The default transport, on `reqwest` with rustls (no system TLS library needed): redirects
/// are not followed, no `Referer` is sent, and replies are read up to a size limit.
#[derive(Clone)]
pub struct ReqwestTransport {
    /// The client, or why it could not be built (reported on every exchange instead of a
    /// panic).
    http: Result<reqwest::Client, String>,
    max_reply_bytes: usize,
}

impl fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestTransport")
            .field("max_reply_bytes", &self.max_reply_bytes)
            .finish_non_exhaustive()
    }
}

impl Default for ReqwestTransport {
    fn default() -> Self {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .build()
            .map_err(|error| described(error).message);
        Self {
            http,
            max_reply_bytes: DEFAULT_MAX_REPLY_BYTES,
        }
    }
}

impl ReqwestTransport {
    /// Uses an existing `reqwest` client (its connection pool, proxy settings, …). Build it with
    /// `redirect(reqwest::redirect::Policy::none())`: a client that follows redirects has sent
    /// the request on before this transport sees the reply (which it then refuses).
    pub fn new(http: reqwest::Client) -> Self {
        Self {
            http: Ok(http),
            max_reply_bytes: DEFAULT_MAX_REPLY_BYTES,
        }
    }

    /// Sets the largest reply body read, in bytes (default [`DEFAULT_MAX_REPLY_BYTES`]).
    #[must_use]
    pub fn max_reply_bytes(mut self, limit: usize) -> Self {
        self.max_reply_bytes = limit;
        self
    }

    fn client(&self) -> Result<&reqwest::Client, TransportError> {
        self.http.as_ref().map_err(|message| TransportError {
            kind: TransportErrorKind::Other,
            message: format!("the HTTP client could not be built: {message}"),
        })
    }
}

impl Transport for ReqwestTransport {
    fn post<'a>(&'a self, url: &'a str, body: Vec<u8>, timeout: Duration) -> TransportFuture<'a> {
        Box::pin(async move {
            let request = self
                .client()?
                .post(url)
                .header("content-type", "application/json")
                .timeout(timeout)
                .body(body);
            exchange(request, url, self.max_reply_bytes).await
        })
    }

    fn get<'a>(&'a self, url: &'a str, timeout: Duration) -> TransportFuture<'a> {
        Box::pin(async move {
            let request = self.client()?.get(url).timeout(timeout);
            exchange(request, url, self.max_reply_bytes).await
        })
    }
}
