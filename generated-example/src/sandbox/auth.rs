//! Access tokens: issued per (app, school), expiring after the configured lifetime, told apart
//! when they fail (expired: 40002; never issued or revoked: 40005), and counted per app.
//!
//! A new token does not invalidate the app's earlier ones: each lives out its own lifetime (the
//! sources do not say otherwise, and concurrent clients of one app must not evict each other).
//!
//! Every table here is bounded, whatever callers send: requests are counted per key only for
//! configured apps (all others share one counter), and at most [`MAX_LIVE_TOKENS`] tokens are
//! kept (expired ones go first, then the oldest, which then answer 40005).

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::time::Duration;

use super::rng::XorShift;

/// The most tokens kept at once.
pub const MAX_LIVE_TOKENS: usize = 10_000;

/// Who a token was issued to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// The app's key.
    pub app_key: String,
    /// The school's code.
    pub ocode: String,
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRejection {
    /// The token was issued but its lifetime is over (40002).
    Expired,
    /// The token was never issued, or was revoked (40005).
    Unknown,
}

#[derive(Debug, Clone)]
struct Entry {
    session: Session,
    /// When it stops working, in clock milliseconds.
    expires_at: i64,
}

/// Every token issued and not revoked, with the per-app counters. `Debug` shows counts, never
/// a token.
pub struct Tokens {
    entries: HashMap<String, Entry>,
    lifetime: Duration,
    rng: XorShift,
    requests: BTreeMap<String, u64>,
    unknown_requests: u64,
    issued: BTreeMap<String, u64>,
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tokens")
            .field("known", &self.entries.len())
            .field("lifetime", &self.lifetime)
            .field("requests", &self.requests)
            .field("unknown_requests", &self.unknown_requests)
            .field("issued", &self.issued)
            .finish_non_exhaustive()
    }
}

impl Tokens {
    /// No tokens yet.
    pub fn new(lifetime: Duration, seed: u64) -> Self {
        Self {
            entries: HashMap::new(),
            lifetime,
            rng: XorShift::new(seed),
            requests: BTreeMap::new(),
            unknown_requests: 0,
            issued: BTreeMap::new(),
        }
    }

    /// The lifetime of new tokens.
    pub fn lifetime(&self) -> Duration {
        self.lifetime
    }

    /// Changes the lifetime of tokens issued from now on.
    pub fn set_lifetime(&mut self, lifetime: Duration) {
        self.lifetime = lifetime;
    }

    /// Counts one request to the token endpoint naming `app_key` (whether it succeeds or not).
    /// Only a `known` (configured) app gets a counter of its own; the key of any other is not
    /// kept, so callers cannot grow this table.
    pub fn count_request(&mut self, app_key: &str, known: bool) {
        if known {
            *self.requests.entry(app_key.to_string()).or_default() += 1;
        } else {
            self.unknown_requests += 1;
        }
    }

    /// How many token requests named an app that is not configured.
    pub fn unknown_requests(&self) -> u64 {
        self.unknown_requests
    }

    /// How many tokens are kept.
    pub fn live(&self) -> usize {
        self.entries.len()
    }

    /// Makes room for one more token: drops expired ones, then the one that expires first.
    fn make_room(&mut self, now: i64) {
        if self.entries.len() < MAX_LIVE_TOKENS {
            return;
        }
        self.entries.retain(|_, entry| now < entry.expires_at);
        while self.entries.len() >= MAX_LIVE_TOKENS {
            let oldest = self
                .entries
                .iter()
                .min_by_key(|(_, entry)| entry.expires_at)
                .map(|(token, _)| token.clone());
            match oldest {
                Some(token) => self.entries.remove(&token),
                None => break,
            };
        }
    }

    /// How many token requests named `app_key`.
    pub fn requests(&self, app_key: &str) -> u64 {
        self.requests.get(app_key).copied().unwrap_or(0)
    }

    /// How many tokens were issued to `app_key`.
    pub fn issued(&self, app_key: &str) -> u64 {
        self.issued.get(app_key).copied().unwrap_or(0)
    }

    /// Issues a token for `session` at clock time `now` (milliseconds); returns it with its
    /// lifetime in whole seconds.
    pub fn issue(&mut self, session: Session, now: i64) -> (String, i64) {
        self.make_room(now);
        let token = loop {
            let candidate = format!(
                "sbx{:016x}{:016x}",
                self.rng.next_u64(),
                self.rng.next_u64()
            );
            if !self.entries.contains_key(&candidate) {
                break candidate;
            }
        };
        let lifetime_ms = i64::try_from(self.lifetime.as_millis()).unwrap_or(i64::MAX);
        *self.issued.entry(session.app_key.clone()).or_default() += 1;
        self.entries.insert(
            token.clone(),
            Entry {
                session,
                expires_at: now.saturating_add(lifetime_ms),
            },
        );
        let seconds = i64::try_from(self.lifetime.as_secs()).unwrap_or(i64::MAX);
        (token, seconds)
    }

    /// Who `token` belongs to, if it is valid at clock time `now`.
    ///
    /// # Errors
    ///
    /// Whether it expired or is unknown.
    pub fn check(&self, token: &str, now: i64) -> Result<Session, TokenRejection> {
        match self.entries.get(token) {
            None => Err(TokenRejection::Unknown),
            Some(entry) if now >= entry.expires_at => Err(TokenRejection::Expired),
            Some(entry) => Ok(entry.session.clone()),
        }
    }

    /// Forgets every token: each one answers 40005 from now on.
    pub fn revoke_all(&mut self) {
        self.entries.clear();
    }

    /// Ends the lifetime of every token: each one answers 40002 from now on.
    pub fn expire_all(&mut self, now: i64) {
        for entry in self.entries.values_mut() {
            entry.expires_at = entry.expires_at.min(now);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session {
            app_key: "app".into(),
            ocode: "school".into(),
        }
    }

    #[test]
    fn tokens_expire_and_revoke_differently() {
        let mut tokens = Tokens::new(Duration::from_secs(10), 1);
        let (token, expires_in) = tokens.issue(session(), 1_000);
        assert_eq!(expires_in, 10);
        assert_eq!(tokens.check(&token, 10_999), Ok(session()));
        assert_eq!(tokens.check(&token, 11_000), Err(TokenRejection::Expired));
        assert_eq!(tokens.check("nope", 0), Err(TokenRejection::Unknown));
        tokens.revoke_all();
        assert_eq!(tokens.check(&token, 0), Err(TokenRejection::Unknown));
    }

    #[test]
    fn no_table_grows_with_what_callers_send() {
        let mut tokens = Tokens::new(Duration::from_secs(10), 1);
        let huge = "k".repeat(1 << 20);
        for i in 0..100 {
            tokens.count_request(&format!("{huge}{i}"), false);
        }
        assert_eq!(tokens.unknown_requests(), 100);
        assert!(tokens.requests.is_empty());
        tokens.count_request("app", true);
        assert_eq!(tokens.requests("app"), 1);
        let (first, _) = tokens.issue(session(), 0);
        for _ in 0..MAX_LIVE_TOKENS + 50 {
            tokens.issue(session(), 1);
        }
        assert_eq!(tokens.live(), MAX_LIVE_TOKENS);
        // The oldest went first.
        assert_eq!(tokens.check(&first, 2), Err(TokenRejection::Unknown));
    }
}
