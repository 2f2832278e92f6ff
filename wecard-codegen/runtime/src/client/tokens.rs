//! The token cache, shared by every client in the process with the same (base URL, app key,
//! ocode), and the record of every token issued to it, which redaction reads.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use super::config::Secret;

/// A cached token and when to stop using it.
#[derive(Clone)]
pub(super) struct CachedToken {
    pub(super) token: Secret,
    pub(super) refresh_at: Instant,
}

/// What tokens are cached by: (base URL, app key, ocode).
type TokenKey = (String, String, String);

/// At most this many issued tokens are remembered for redaction (the oldest are forgotten
/// first); query and JSON patterns are scrubbed whatever the token.
const REMEMBERED: usize = 1024;

/// The longest access token accepted, in bytes: WeCard's are a few dozen characters, and a
/// bound keeps the record of issued tokens small.
pub(super) const MAX_TOKEN_BYTES: usize = 4096;

/// Lifetimes longer than this are cut to it (refreshing early costs one token request).
pub(super) const MAX_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// The lifetime assumed when a token reply does not say (WeCard documents 7200 s).
pub(super) const DEFAULT_LIFETIME: Duration = Duration::from_secs(7200);

/// Every token issued for one key, oldest first.
#[derive(Default)]
struct Issued {
    order: VecDeque<String>,
    known: HashSet<String>,
}

/// One key's token: the cache, behind an async lock so that concurrent callers on a cold cache
/// wait for one fetch instead of each making their own, and the tokens it has held, behind a
/// plain lock that is never held across an `.await`.
#[derive(Default)]
pub(super) struct TokenState {
    pub(super) slot: tokio::sync::Mutex<Option<CachedToken>>,
    issued: Mutex<Issued>,
}

impl TokenState {
    /// Records a token before it is used anywhere.
    pub(super) fn remember(&self, token: &Secret) {
        let token = token.expose();
        if token.is_empty() {
            return;
        }
        let mut issued = match self.issued.lock() {
            Ok(issued) => issued,
            // A panic elsewhere while holding the lock leaves a set that is still valid.
            Err(poisoned) => poisoned.into_inner(),
        };
        if issued.known.insert(token.to_string()) {
            issued.order.push_back(token.to_string());
            while issued.order.len() > REMEMBERED {
                if let Some(oldest) = issued.order.pop_front() {
                    issued.known.remove(&oldest);
                }
            }
        }
    }

    /// Every remembered token, for redaction.
    pub(super) fn issued(&self) -> Vec<String> {
        let issued = match self.issued.lock() {
            Ok(issued) => issued,
            Err(poisoned) => poisoned.into_inner(),
        };
        issued.order.iter().cloned().collect()
    }
}

/// Token state shared by every client in the process, per [`TokenKey`].
static TOKENS: LazyLock<Mutex<HashMap<TokenKey, Arc<TokenState>>>> =
    LazyLock::new(Default::default);

/// The shared state for this key.
pub(super) fn shared(base_url: &str, app_key: &str, ocode: &str) -> Arc<TokenState> {
    let key = (base_url.to_string(), app_key.to_string(), ocode.to_string());
    match TOKENS.lock() {
        Ok(mut tokens) => Arc::clone(tokens.entry(key).or_default()),
        // A poisoned map only means another thread panicked while inserting: private state
        // still works, it just is not shared.
        Err(_) => Arc::new(TokenState::default()),
    }
}
