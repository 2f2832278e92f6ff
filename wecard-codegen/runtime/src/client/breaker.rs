//! The circuit breaker: after a number of transport failures in a row, calls fail at once
//! (sending nothing) until a cooldown has passed.

use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Default)]
struct State {
    /// Transport failures since the last reply.
    consecutive: u32,
    /// While open: until when.
    open_until: Option<Instant>,
}

/// One client's breaker, shared by its clones.
pub(super) struct Breaker {
    threshold: Option<u32>,
    cooldown: Duration,
    state: Mutex<State>,
}

impl Breaker {
    pub(super) fn new(threshold: Option<u32>, cooldown: Duration) -> Self {
        Self {
            threshold: threshold.filter(|threshold| *threshold > 0),
            cooldown,
            state: Mutex::default(),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(state) => state,
            // Two counters cannot be left inconsistent by a panic.
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// `Err(failures)` while the breaker is open.
    pub(super) fn admit(&self) -> Result<(), u32> {
        let state = self.state();
        match state.open_until {
            Some(until) if Instant::now() < until => Err(state.consecutive),
            _ => Ok(()),
        }
    }

    /// A reply arrived (whatever it said): the server is reachable.
    pub(super) fn record_reply(&self) {
        let mut state = self.state();
        state.consecutive = 0;
        state.open_until = None;
    }

    /// An exchange failed without a reply.
    pub(super) fn record_failure(&self) {
        let Some(threshold) = self.threshold else {
            return;
        };
        let mut state = self.state();
        state.consecutive = state.consecutive.saturating_add(1);
        if state.consecutive >= threshold {
            state.open_until = Instant::now().checked_add(self.cooldown);
        }
    }
}
