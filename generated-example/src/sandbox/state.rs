//! Everything a running sandbox holds, behind one lock, and what one request does to it: the
//! checks every endpoint shares (token, app, school, grant, decoding, validation) before the
//! endpoint's [`Handler`] runs, and token issuance.
//!
//! The order of the checks, and so which error wins when several apply:
//! 1. the token endpoint: body → app credentials (40001) → ocode (40006) → enabled (40018);
//! 2. other endpoints: token present where the spec puts it (40009) → known (40005) → not
//!    expired (40002) → the app still enabled by the school (40018) → endpoint granted (40008)
//!    → body decodes (40009 for a missing field, 40010 otherwise) → `validate()` (40009 for a
//!    required value, 40010 otherwise) → the handler.
//!
//! A body that is not JSON answers 40010; an empty body reads as `{}`. A token in the wrong place
//! (query instead of body, or the reverse) counts as missing.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value};

use super::auth::{Session, TokenRejection, Tokens};
use super::clock::Clock;
use super::config::{AppConfig, DriftConfig, SandboxConfig};
use super::error::ApiError;
use super::faults::{Fault, FaultRule, Faults};
use super::handlers::{Ctx, Handler};
use super::push::Pusher;
use super::store::Store;
use crate::wecard::{
    Endpoint, ErrorCode, GetTokenRequest, GetTokenResponse, TOKEN_PARAM, TokenPlacement,
};

/// The sandbox's whole state.
#[derive(Debug)]
pub struct State {
    /// The apps, by key.
    pub apps: BTreeMap<String, AppConfig>,
    /// The schools' data.
    pub store: Store,
    /// Issued tokens and token counters.
    pub tokens: Tokens,
    /// The clock.
    pub clock: Clock,
    /// Active fault rules.
    pub faults: Faults,
    /// Requests received, by endpoint id.
    pub requests: BTreeMap<String, u64>,
    /// Queues push events, when the sandbox pushes.
    pub(super) pusher: Option<Pusher>,
    /// What it sends beyond the spec.
    pub drift: DriftConfig,
}

impl State {
    /// The state a config describes (with demo data in every school if it asks for it).
    pub fn new(config: &SandboxConfig) -> Self {
        let clock = Clock::default();
        let mut store = Store::new();
        for school in &config.schools {
            store.add_school(school.clone());
        }
        if config.demo_data {
            let now = clock.now();
            for school in &config.schools {
                store.seed_demo(&school.ocode, now);
            }
        }
        // The demo data is where the schools start from, not a change to push.
        let _ = store.take_events();
        let mut faults = Faults::default();
        if let Some((endpoint, code)) = &config.drift.error_code {
            faults.push(FaultRule::next(1, Fault::Errcode(*code)).on(endpoint));
        }
        Self {
            apps: config
                .apps
                .iter()
                .map(|app| (app.app_key.clone(), app.clone()))
                .collect(),
            store,
            tokens: Tokens::new(config.token_lifetime, config.seed),
            clock,
            faults,
            requests: BTreeMap::new(),
            pusher: None,
            drift: config.drift.clone(),
        }
    }

    /// Hands every change since the last call to the pusher (or forgets it when the sandbox
    /// does not push).
    pub fn flush_events(&mut self) {
        let events = self.store.take_events();
        if let Some(pusher) = &mut self.pusher {
            for (ocode, events) in events {
                pusher.queue(&ocode, events, self.apps.values());
            }
        }
    }

    /// Counts one request to `endpoint`.
    pub fn count_request(&mut self, endpoint: &str) {
        *self.requests.entry(endpoint.to_string()).or_default() += 1;
    }

    /// Answers a token request: a success body without `errcode`, or a failure body with
    /// `errcode` and `errmsg` and no `access_token`.
    pub fn issue_token(&mut self, body: &[u8]) -> GetTokenResponse {
        match self.try_issue_token(body) {
            Ok(reply) => reply,
            Err(error) => GetTokenResponse {
                errcode: Some(error.code.code()),
                errmsg: Some(error.message),
                ..GetTokenResponse::default()
            },
        }
    }

    fn try_issue_token(&mut self, body: &[u8]) -> Result<GetTokenResponse, ApiError> {
        let object = parse_object(body)?;
        if let Some(Value::String(app_key)) = object.get("app_key") {
            let known = self.apps.contains_key(app_key);
            self.tokens.count_request(app_key, known);
        }
        ApiError::check_required(&object, <GetTokenRequest as Endpoint>::REQUIRED)?;
        // serde's message may quote the value, which must not be echoed for a credential.
        let request: GetTokenRequest = serde_json::from_value(Value::Object(object))
            .map_err(|_| ApiError::invalid("a field of the token request has the wrong type"))?;
        request
            .validate()
            .map_err(|errors| ApiError::from_validation(&errors))?;
        let app = self
            .apps
            .get(&request.app_key)
            .filter(|app| app.app_secret == request.app_secret)
            .ok_or_else(|| {
                ApiError::new(
                    ErrorCode::InvalidAppCredentials,
                    "unknown app_key, or app_secret does not match",
                )
            })?;
        if self.store.school(&request.ocode).is_none() {
            return Err(ApiError::new(
                ErrorCode::OcodeNotFound,
                format!("no school has ocode {}", request.ocode),
            ));
        }
        if !app.schools.contains(&request.ocode) {
            return Err(ApiError::new(
                ErrorCode::AppNotEnabled,
                format!("school {} has not enabled this app", request.ocode),
            ));
        }
        let session = Session {
            app_key: request.app_key,
            ocode: request.ocode.clone(),
        };
        let (token, expires_in) = self.tokens.issue(session, self.clock.now_millis());
        Ok(GetTokenResponse {
            token_type: Some("bearer".to_string()),
            access_token: Some(token),
            ocode: Some(request.ocode),
            expires_in: Some(expires_in),
            ..GetTokenResponse::default()
        })
    }

    /// Answers a request to the endpoint of `R`, whose query carried `query_token` (if any):
    /// the JSON reply, or the refusal.
    ///
    /// # Errors
    ///
    /// The refusal, to be sent as an error envelope.
    pub fn serve<R>(
        &mut self,
        query_token: Option<String>,
        body: &[u8],
    ) -> Result<Vec<u8>, ApiError>
    where
        R: Handler,
        R::Response: Serialize,
    {
        let parsed = parse_object(body);
        let (token, object) = match R::TOKEN {
            TokenPlacement::Body => {
                let mut object = parsed?;
                let token = match object.remove(TOKEN_PARAM) {
                    Some(Value::String(token)) => Some(token),
                    Some(_) => return Err(ApiError::invalid("access_token must be a string")),
                    None => None,
                };
                (token, Ok(object))
            }
            TokenPlacement::Query | TokenPlacement::None => (query_token, parsed),
        };
        let token = token
            .filter(|token| !token.is_empty())
            .ok_or_else(|| ApiError::missing(TOKEN_PARAM))?;
        let session = self
            .tokens
            .check(&token, self.clock.now_millis())
            .map_err(|rejection| match rejection {
                TokenRejection::Expired => ApiError::new(
                    ErrorCode::AccessTokenExpired,
                    "the access_token has expired",
                ),
                TokenRejection::Unknown => {
                    ApiError::new(ErrorCode::InvalidAccessToken, "unknown access_token")
                }
            })?;
        let app = self
            .apps
            .get(&session.app_key)
            .ok_or_else(|| ApiError::new(ErrorCode::InvalidAccessToken, "the app was removed"))?;
        if !app.schools.contains(&session.ocode) {
            return Err(ApiError::new(
                ErrorCode::AppNotEnabled,
                format!("school {} has not enabled this app", session.ocode),
            ));
        }
        if !app.endpoints.allows(R::ID) {
            return Err(ApiError::new(
                ErrorCode::PermissionDenied,
                format!("this app may not call {}", R::ID),
            ));
        }
        let school = self.store.school_mut(&session.ocode).ok_or_else(|| {
            ApiError::new(
                ErrorCode::OcodeNotFound,
                format!("no school has ocode {}", session.ocode),
            )
        })?;
        let object = object?;
        ApiError::check_required(&object, R::REQUIRED)?;
        let request: R = serde_json::from_value(Value::Object(object))
            .map_err(|e| ApiError::invalid(e.to_string()))?;
        request
            .check()
            .map_err(|errors| ApiError::from_validation(&errors))?;
        let mut ctx = Ctx {
            school,
            app,
            now: self.clock.now(),
            drift: &self.drift,
        };
        let reply = request.handle(&mut ctx);
        self.flush_events();
        let reply = reply?;
        serde_json::to_vec(&reply).map_err(|error| ApiError {
            code: ErrorCode::Unknown(-1),
            message: format!("sandbox internal error: {error}"),
        })
    }
}

/// The request body as a JSON object; an empty body is `{}`.
fn parse_object(body: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice(body) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(ApiError::invalid("the body must be a JSON object")),
        Err(error) => Err(ApiError::invalid(format!("the body is not JSON: {error}"))),
    }
}
