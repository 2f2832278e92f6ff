//! The handle of a running sandbox: its URL, and the levers a test pulls (store, grants, tokens,
//! clock, faults, counters). Dropping it stops the server.

use std::collections::BTreeMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::config::{AppConfig, SchoolConfig};
use super::error::ApiError;
use super::faults::FaultRule;
use super::push::DeliveryAttempt;
use super::server::Shared;
use super::store::Store;
use crate::wecard::{CreateUserRequest, DateTime, ErrorCode, Member, UpdateRecord, UpdateType};

/// A running sandbox. Dropping it stops the server (gracefully: requests in flight finish, the
/// port is released at once); [`shutdown`](Self::shutdown) also waits for the end.
pub struct SandboxHandle {
    addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
    /// The push delivery task, stopped with the server (a retry may be hours away).
    push_task: Option<JoinHandle<()>>,
}

impl SandboxHandle {
    pub(super) fn new(
        addr: SocketAddr,
        shared: Arc<Shared>,
        stop: oneshot::Sender<()>,
        task: JoinHandle<()>,
        push_task: Option<JoinHandle<()>>,
    ) -> Self {
        Self {
            addr,
            shared,
            stop: Some(stop),
            task: Some(task),
            push_task,
        }
    }

    /// The base URL, `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops the server and waits until it has stopped (requests in flight finish first).
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        if let Some(push_task) = self.push_task.take() {
            push_task.abort();
        }
    }

    // ----- the store -----

    /// Runs `f` on the store (under the lock: keep it short, do not block in it). Changes it
    /// makes are pushed like those of the endpoints.
    pub fn with_store<R>(&self, f: impl FnOnce(&mut Store) -> R) -> R {
        let mut state = self.shared.lock();
        let result = f(&mut state.store);
        state.flush_events();
        result
    }

    /// A member of school `ocode`, as an app granted every field sees it.
    pub fn user(&self, ocode: &str, card_number: &str) -> Option<Member> {
        self.with_store(|store| {
            store
                .school(ocode)?
                .user(card_number)
                .map(|user| user.member.clone())
        })
    }

    /// Every member of school `ocode`, by card number.
    pub fn users(&self, ocode: &str) -> Vec<Member> {
        self.with_store(|store| {
            store
                .school(ocode)
                .map(|school| school.users().map(|user| user.member.clone()).collect())
                .unwrap_or_default()
        })
    }

    /// Creates or updates a member of school `ocode` as `create_user` would (journalled, at the
    /// sandbox clock's time), without validation.
    ///
    /// # Errors
    ///
    /// 40006 if there is no such school; 40010 if the record cannot be stored.
    pub fn upsert_user(
        &self,
        ocode: &str,
        request: CreateUserRequest,
    ) -> Result<UpdateType, ApiError> {
        let mut state = self.shared.lock();
        let now = state.clock.now();
        let school = state.store.school_mut(ocode).ok_or_else(|| {
            ApiError::new(
                ErrorCode::OcodeNotFound,
                format!("no school has ocode {ocode}"),
            )
        })?;
        let result = school.upsert_user(request, now).map_err(ApiError::invalid);
        state.flush_events();
        result
    }

    // ----- push events -----

    /// Every push delivery attempt so far, oldest first (empty when the sandbox does not push).
    pub fn push_journal(&self) -> Vec<DeliveryAttempt> {
        self.shared
            .push
            .as_ref()
            .map(|log| log.attempts())
            .unwrap_or_default()
    }

    /// Waits until every push queued so far is acknowledged or given up (at once when the
    /// sandbox does not push). With the unscaled schedule that can take hours.
    pub async fn pushes_settled(&self) {
        if let Some(log) = &self.shared.push {
            log.settled().await;
        }
    }

    /// The update-record journal of school `ocode`, oldest first.
    pub fn journal(&self, ocode: &str) -> Vec<UpdateRecord> {
        self.with_store(|store| {
            store
                .school(ocode)
                .map(|school| school.journal().to_vec())
                .unwrap_or_default()
        })
    }

    /// Adds (or replaces, emptied) a school.
    pub fn add_school(&self, school: SchoolConfig) {
        self.with_store(|store| store.add_school(school));
    }

    // ----- apps and grants -----

    /// Adds an app, or replaces the one with the same key.
    pub fn set_app(&self, app: AppConfig) {
        self.shared.lock().apps.insert(app.app_key.clone(), app);
    }

    /// Changes the app `app_key` (grants, enabled schools, secret); false if there is none.
    pub fn update_app(&self, app_key: &str, f: impl FnOnce(&mut AppConfig)) -> bool {
        match self.shared.lock().apps.get_mut(app_key) {
            Some(app) => {
                f(app);
                true
            }
            None => false,
        }
    }

    // ----- tokens and the clock -----

    /// How many token requests named `app_key` (successful or not, faults included), for a
    /// configured app; requests naming any other key are counted together by
    /// [`SandboxHandle::unknown_token_requests`].
    pub fn token_requests(&self, app_key: &str) -> u64 {
        self.shared.lock().tokens.requests(app_key)
    }

    /// How many token requests named an app key that is not configured.
    pub fn unknown_token_requests(&self) -> u64 {
        self.shared.lock().tokens.unknown_requests()
    }

    /// How many issued tokens are kept (at most [`super::auth::MAX_LIVE_TOKENS`]).
    pub fn live_tokens(&self) -> usize {
        self.shared.lock().tokens.live()
    }

    /// How many tokens were issued to `app_key`.
    pub fn tokens_issued(&self, app_key: &str) -> u64 {
        self.shared.lock().tokens.issued(app_key)
    }

    /// Forgets every token: each answers 40005 from now on.
    pub fn revoke_tokens(&self) {
        self.shared.lock().tokens.revoke_all();
    }

    /// Ends every token's lifetime now: each answers 40002 from now on.
    pub fn expire_tokens(&self) {
        let mut state = self.shared.lock();
        let now = state.clock.now_millis();
        state.tokens.expire_all(now);
    }

    /// The lifetime of tokens issued from now on.
    pub fn token_lifetime(&self) -> Duration {
        self.shared.lock().tokens.lifetime()
    }

    /// Changes the lifetime of tokens issued from now on.
    pub fn set_token_lifetime(&self, lifetime: Duration) {
        self.shared.lock().tokens.set_lifetime(lifetime);
    }

    /// Now, by the sandbox clock (Beijing time).
    pub fn now(&self) -> Option<DateTime> {
        self.shared.lock().clock.now()
    }

    /// Stops the clock at `at` (Beijing time): tokens age and journal entries are stamped by it.
    pub fn set_clock(&self, at: DateTime) {
        self.shared.lock().clock.set(at);
    }

    /// Moves the clock forward (tokens whose lifetime this crosses expire).
    pub fn advance_clock(&self, by: Duration) {
        self.shared.lock().clock.advance(by);
    }

    /// Follows the system clock again.
    pub fn reset_clock(&self) {
        self.shared.lock().clock.reset();
    }

    // ----- faults -----

    /// Adds a fault rule after the active ones.
    pub fn inject(&self, rule: FaultRule) {
        self.shared.lock().faults.push(rule);
    }

    /// Drops every fault rule.
    pub fn clear_faults(&self) {
        self.shared.lock().faults.clear();
    }

    /// How many fault rules are still active (a `next` rule goes once used up).
    pub fn active_faults(&self) -> usize {
        self.shared.lock().faults.active()
    }

    // ----- counters -----

    /// How many requests reached endpoint `id` (`search_users`, `get_token`), faults included.
    pub fn request_count(&self, id: &str) -> u64 {
        self.shared.lock().requests.get(id).copied().unwrap_or(0)
    }

    /// Requests received, by endpoint id.
    pub fn request_counts(&self) -> BTreeMap<String, u64> {
        self.shared.lock().requests.clone()
    }

    /// Resets the per-endpoint request counters.
    pub fn reset_request_counts(&self) {
        self.shared.lock().requests.clear();
    }
}

impl fmt::Debug for SandboxHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SandboxHandle")
            .field("addr", &self.addr)
            .field("running", &self.stop.is_some())
            .finish_non_exhaustive()
    }
}

impl Drop for SandboxHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(push_task) = self.push_task.take() {
            push_task.abort();
        }
    }
}
