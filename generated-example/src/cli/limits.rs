//! How long the program keeps trying against an API that does not answer: an overall deadline
//! and a circuit breaker, from `--deadline` and `--max-transport-failures`, applied to every
//! client the program makes.

use std::sync::OnceLock;
use std::time::Duration;

use generated_example::wecard::client::ClientConfig;

/// The limits given on the command line.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// No request leaves after this long from the start (none by default).
    pub deadline: Option<Duration>,
    /// After this many transport failures in a row (no connection, no reply in time), nothing
    /// more is sent for the cool-down and the rows left are reported as not attempted.
    pub max_transport_failures: u32,
}

/// How long the breaker stays open before one more try.
const COOLDOWN: Duration = Duration::from_secs(30);

static LIMITS: OnceLock<Limits> = OnceLock::new();

/// Records the limits for every client made from now on (the first call wins).
pub fn set(limits: Limits) {
    let _ = LIMITS.set(limits);
}

/// `config` with the program's limits.
pub fn apply(config: ClientConfig) -> ClientConfig {
    match LIMITS.get() {
        Some(limits) => config
            .deadline(limits.deadline)
            .circuit_breaker(Some(limits.max_transport_failures.max(1)), COOLDOWN),
        None => config,
    }
}
