//! The HTTP side: binding 127.0.0.1, one route per endpoint of the spec (paths taken from the
//! generated [`Endpoint`] impls), fault injection around each request, graceful shutdown.

use std::collections::HashMap;
use std::io;
use std::net::Ipv4Addr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State as Extract};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde::Serialize;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use super::config::SandboxConfig;
use super::error::ApiError;
use super::faults::{Fault, FaultPlan};
use super::handle::SandboxHandle;
use super::handlers::Handler;
use super::push::{PushLog, Pusher};
use super::state::State;
use crate::wecard::{
    BatchDeleteUsersRequest, CreateUserRequest, Endpoint, ErrorCode, GetOrgsByIdsRequest,
    GetSchoolInfoRequest, GetTokenRequest, GetUsersByCardNumbersRequest, GetWxworkUserIdRequest,
    ListIdentityTypesRequest, ListOrgTypesRequest, ListOrgUsersRequest, ListOrgsRequest,
    ListUpdateRecordsRequest, SearchUsersRequest, TOKEN_PARAM,
};

/// The state shared by the server and its handle.
#[derive(Debug)]
pub struct Shared {
    state: Mutex<State>,
    /// The journal of push deliveries, when the sandbox pushes.
    pub(super) push: Option<Arc<PushLog>>,
}

impl Shared {
    /// The state, locked (a panic elsewhere while it was held does not make it unusable).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Starts a sandbox on 127.0.0.1 (port `config.port`, 0 for any free one) on the current Tokio
/// runtime. It runs until the returned handle is dropped or shut down.
///
/// # Errors
///
/// The port cannot be bound.
pub async fn start(config: SandboxConfig) -> io::Result<SandboxHandle> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
    let addr = listener.local_addr()?;
    let mut state = State::new(&config);
    let (push, push_task) = match config.push.clone() {
        Some(push) => {
            let (pusher, log, deliver) = Pusher::new(push);
            state.pusher = Some(pusher);
            (Some(log), Some(tokio::spawn(deliver)))
        }
        None => (None, None),
    };
    let shared = Arc::new(Shared {
        state: Mutex::new(state),
        push,
    });
    let app = router(Arc::clone(&shared));
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let serve = axum::serve(listener, app).with_graceful_shutdown(async move {
            // A dropped sender stops the server as surely as a sent signal.
            let _ = stopped.await;
        });
        // Accept errors are retried inside axum; an error here would mean the listener is gone.
        let _ = serve.await;
    });
    Ok(SandboxHandle::new(addr, shared, stop, task, push_task))
}

/// One route per endpoint of the spec.
fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(GetTokenRequest::PATH, post(token_endpoint))
        .route(
            GetSchoolInfoRequest::PATH,
            post(api_endpoint::<GetSchoolInfoRequest>),
        )
        .route(ListOrgsRequest::PATH, post(api_endpoint::<ListOrgsRequest>))
        .route(
            ListOrgTypesRequest::PATH,
            post(api_endpoint::<ListOrgTypesRequest>),
        )
        .route(
            GetOrgsByIdsRequest::PATH,
            post(api_endpoint::<GetOrgsByIdsRequest>),
        )
        .route(
            ListOrgUsersRequest::PATH,
            post(api_endpoint::<ListOrgUsersRequest>),
        )
        .route(
            GetUsersByCardNumbersRequest::PATH,
            post(api_endpoint::<GetUsersByCardNumbersRequest>),
        )
        .route(
            ListIdentityTypesRequest::PATH,
            post(api_endpoint::<ListIdentityTypesRequest>),
        )
        .route(
            SearchUsersRequest::PATH,
            post(api_endpoint::<SearchUsersRequest>),
        )
        .route(
            CreateUserRequest::PATH,
            post(api_endpoint::<CreateUserRequest>),
        )
        .route(
            BatchDeleteUsersRequest::PATH,
            post(api_endpoint::<BatchDeleteUsersRequest>),
        )
        .route(
            ListUpdateRecordsRequest::PATH,
            post(api_endpoint::<ListUpdateRecordsRequest>),
        )
        .route(
            GetWxworkUserIdRequest::PATH,
            post(api_endpoint::<GetWxworkUserIdRequest>),
        )
        .with_state(shared)
}

/// The ids of the endpoints the sandbox serves (every endpoint of the spec), token endpoint
/// first.
pub const ENDPOINT_IDS: [&str; 13] = [
    GetTokenRequest::ID,
    GetSchoolInfoRequest::ID,
    ListOrgsRequest::ID,
    ListOrgTypesRequest::ID,
    GetOrgsByIdsRequest::ID,
    ListOrgUsersRequest::ID,
    GetUsersByCardNumbersRequest::ID,
    ListIdentityTypesRequest::ID,
    SearchUsersRequest::ID,
    CreateUserRequest::ID,
    BatchDeleteUsersRequest::ID,
    ListUpdateRecordsRequest::ID,
    GetWxworkUserIdRequest::ID,
];

/// Counts the request and decides its faults; waits out any injected latency.
async fn begin(shared: &Shared, endpoint: &str, is_token: bool) -> FaultPlan {
    let plan = {
        let mut state = shared.lock();
        state.count_request(endpoint);
        state.faults.plan(endpoint, is_token)
    };
    if !plan.delay.is_zero() {
        tokio::time::sleep(plan.delay).await;
    }
    plan
}

/// The reply of a fault that answers without processing, if the plan has one.
fn early_reply(shared: &Shared, plan: &FaultPlan) -> Option<Response> {
    match plan.fault.as_ref()? {
        Fault::HttpStatus(code) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut reply = (status, format!("sandbox: injected HTTP {code}\n")).into_response();
            if status == StatusCode::TOO_MANY_REQUESTS {
                reply
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            Some(reply)
        }
        Fault::NonJsonBody => Some(
            (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                "<html><head><title>502 Bad Gateway</title></head>\
                 <body><h1>502 Bad Gateway</h1></body></html>\n",
            )
                .into_response(),
        ),
        Fault::Errcode(code) => {
            let error = ApiError::new(ErrorCode::from_code(*code), "injected by the sandbox");
            Some(json_reply(to_json(&error.body()), false))
        }
        Fault::RevokeTokens => {
            shared.lock().tokens.revoke_all();
            None
        }
        Fault::Latency(_) | Fault::TruncatedBody => None,
    }
}

fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    // The sandbox's own reply types always serialize; an empty body would show up as a decode
    // error in the client, never as a panic here.
    serde_json::to_vec(value).unwrap_or_default()
}

/// A 200 JSON reply, cut in half when `truncate`.
fn json_reply(mut body: Vec<u8>, truncate: bool) -> Response {
    if truncate {
        body.truncate(body.len() / 2);
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response()
}

/// `POST /cgi-bin/oauth2/token`.
async fn token_endpoint(Extract(shared): Extract<Arc<Shared>>, body: Bytes) -> Response {
    let plan = begin(&shared, GetTokenRequest::ID, true).await;
    if let Some(reply) = early_reply(&shared, &plan) {
        return reply;
    }
    let reply = shared.lock().issue_token(&body);
    json_reply(to_json(&reply), plan.fault == Some(Fault::TruncatedBody))
}

/// Every other endpoint.
async fn api_endpoint<R>(Extract(shared): Extract<Arc<Shared>>, uri: Uri, body: Bytes) -> Response
where
    R: Handler,
    R::Response: Serialize,
{
    let plan = begin(&shared, R::ID, false).await;
    if let Some(reply) = early_reply(&shared, &plan) {
        return reply;
    }
    let query_token = Query::<HashMap<String, String>>::try_from_uri(&uri)
        .ok()
        .and_then(|Query(mut query)| query.remove(TOKEN_PARAM));
    let result = shared.lock().serve::<R>(query_token, &body);
    let body = match result {
        Ok(body) => body,
        Err(error) => to_json(&error.body()),
    };
    json_reply(body, plan.fault == Some(Fault::TruncatedBody))
}
