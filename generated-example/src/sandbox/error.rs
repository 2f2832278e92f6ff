//! API errors as the sandbox answers them: HTTP 200 with `{"errcode": N, "errmsg": "…"}`, like
//! the real API. The message is the code's description from the spec, then what exactly was
//! wrong; it never contains a credential.

use std::fmt;

use serde::Serialize;

use crate::wecard::{ErrorCode, RuleParams, ValidationErrors};

/// A refusal: an error code and its message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The code.
    pub code: ErrorCode,
    /// The message (`errmsg`).
    pub message: String,
}

impl ApiError {
    /// A refusal with the spec's description of `code` followed by `detail`.
    pub fn new(code: ErrorCode, detail: impl fmt::Display) -> Self {
        let description = code.description().unwrap_or("error");
        Self {
            code,
            message: format!("{description}: {detail}"),
        }
    }

    /// 40009 for a missing parameter.
    pub fn missing(name: &str) -> Self {
        Self::new(ErrorCode::MissingParameter, format!("{name} is missing"))
    }

    /// 40010 for an invalid parameter.
    pub fn invalid(detail: impl fmt::Display) -> Self {
        Self::new(ErrorCode::InvalidParameter, detail)
    }

    /// What a request's validation found: 40009 when a required value is missing or empty,
    /// else 40010.
    pub fn from_validation(errors: &ValidationErrors) -> Self {
        let missing = errors
            .errors()
            .iter()
            .any(|error| error.params == RuleParams::Required);
        let code = if missing {
            ErrorCode::MissingParameter
        } else {
            ErrorCode::InvalidParameter
        };
        Self::new(code, errors)
    }

    /// 40009 for the first field of `required` that the body lacks (or sends as `null`).
    pub fn check_required(
        body: &serde_json::Map<String, serde_json::Value>,
        required: &[&str],
    ) -> Result<(), Self> {
        match required
            .iter()
            .find(|name| body.get(**name).is_none_or(serde_json::Value::is_null))
        {
            Some(name) => Err(Self::missing(name)),
            None => Ok(()),
        }
    }

    /// The reply body.
    pub fn body(&self) -> ErrorBody<'_> {
        ErrorBody {
            errcode: self.code.code(),
            errmsg: &self.message,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code.code(), self.message)
    }
}

impl std::error::Error for ApiError {}

/// The body of an error reply: the envelope alone.
#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    /// The error code.
    pub errcode: i64,
    /// The message.
    pub errmsg: &'a str,
}
