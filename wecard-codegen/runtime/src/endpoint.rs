//! What an endpoint is: its path, method, token placement and reply type; what a client does
//! about an error code.

/// Where an endpoint's access token travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenPlacement {
    /// As the `access_token` query parameter.
    Query,
    /// As the `access_token` field of the JSON body.
    Body,
    /// Nowhere: the endpoint issues tokens.
    None,
}

/// The HTTP method of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// `GET`: the request's fields travel in the query string.
    Get,
    /// `POST`: the request travels as a JSON body.
    Post,
}

impl HttpMethod {
    /// The method as HTTP writes it (`POST`).
    pub const fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
        }
    }
}

impl std::fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a request type knows about its endpoint.
pub trait Endpoint {
    /// The reply type.
    type Response: serde::de::DeserializeOwned;
    /// The endpoint's id in the spec (`create_user`).
    const ID: &'static str;
    /// The path below the base URL.
    const PATH: &'static str;
    /// The HTTP method.
    const METHOD: HttpMethod;
    /// Where the access token travels.
    const TOKEN: TokenPlacement;
    /// Whether the reply carries `errcode` and `errmsg`.
    const ENVELOPE: bool;
    /// Wire names of the request fields that must be present.
    const REQUIRED: &'static [&'static str];
}

/// What a client does about an error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorHandling {
    /// Drop the cached access token, fetch a new one and replay the call once.
    RefreshToken,
    /// The app's configuration is wrong (credentials, ocode, app not enabled): do not retry.
    Configuration,
    /// The request itself is wrong: fix it, do not retry.
    Request,
    /// The thing asked for does not exist.
    NotFound,
    /// The app lacks a grant for the API or a field.
    Permission,
    /// A code the spec does not list: treat as a failure of unknown cause.
    Unknown,
}

/// An API's error-code table, as generated from the spec: what the client needs to know about
/// a non-zero `errcode`.
pub trait ApiErrorCode:
    Copy + std::fmt::Debug + std::fmt::Display + PartialEq + Send + Sync + 'static
{
    /// The value for an `errcode` (unknown codes are kept, not refused).
    fn from_code(code: i64) -> Self;
    /// The `errcode`.
    fn code(&self) -> i64;
    /// What a client does about it.
    fn handling(&self) -> ErrorHandling;
}
