//! An axum handler that serves a [`Receiver`].

use std::sync::Arc;

use super::receiver::{EventError, PushEvent, Received, Receiver};

/// A `POST` route that answers pushes with `receiver` and hands each outcome to `on_event`
/// (called on the request's task: keep it short, store the event and process it later, as
/// WeCard advises).
///
/// ```ignore
/// let app = axum::Router::new().route("/wecard/events", handler(receiver, |outcome| { … }));
/// ```
pub fn handler<E, F, S>(receiver: Receiver<E>, on_event: F) -> ::axum::routing::MethodRouter<S>
where
    E: PushEvent + Send + 'static,
    F: Fn(Result<Received<E>, EventError>) + Send + Sync + 'static,
    S: Clone + Send + Sync + 'static,
{
    let shared = Arc::new((receiver, on_event));
    ::axum::routing::post(move |body: ::axum::body::Bytes| {
        let shared = Arc::clone(&shared);
        async move {
            let (ack, outcome) = shared.0.handle(&body);
            (shared.1)(outcome);
            (
                [(::axum::http::header::CONTENT_TYPE, "application/json")],
                ack.to_bytes(),
            )
        }
    })
}
