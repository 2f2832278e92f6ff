//! Fault injection: rules that make the sandbox misbehave on purpose, for the next N matching
//! requests or with a probability drawn from a seeded generator (so a run is reproducible).
//!
//! Rules are tried in the order they were added. A [`Fault::Latency`] rule that fires adds its
//! delay and the search goes on; the first other fault that fires decides the reply. Gateway-like
//! faults ([`Fault::HttpStatus`], [`Fault::NonJsonBody`], [`Fault::Errcode`]) answer without
//! touching the store; [`Fault::TruncatedBody`] processes the request (its changes happen) and
//! cuts the reply; [`Fault::RevokeTokens`] revokes every token and then processes the request.

use std::time::Duration;

use super::rng::XorShift;

/// A way to misbehave.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// Wait this long before answering (normally, unless another fault also fires).
    Latency(Duration),
    /// Answer with this HTTP status and a short text body (429 also sends `Retry-After: 1`).
    HttpStatus(u16),
    /// Process the request, then send only the first half of the JSON reply, with a
    /// `Content-Length` that matches what is sent (so the client sees a decode error, not a
    /// transport error).
    TruncatedBody,
    /// Answer 200 with an HTML page, as a misconfigured gateway would.
    NonJsonBody,
    /// Answer 200 with `{"errcode": N, "errmsg": …}` without processing the request; on the token
    /// endpoint this is a failed token reply.
    Errcode(i64),
    /// Revoke every access token, then process the request (which then fails with 40005 if it
    /// carried one).
    RevokeTokens,
}

/// Which requests a rule looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultTarget {
    /// Every endpoint except the token endpoint (the default).
    Api,
    /// One endpoint, by its spec id (`search_users`, `get_token`).
    Endpoint(String),
    /// Every endpoint, the token endpoint included.
    Any,
}

impl FaultTarget {
    fn matches(&self, endpoint: &str, is_token: bool) -> bool {
        match self {
            Self::Api => !is_token,
            Self::Endpoint(id) => id == endpoint,
            Self::Any => true,
        }
    }
}

#[derive(Debug, Clone)]
enum Trigger {
    /// Fires on the next `remaining` matching requests, then the rule is dropped.
    Next { remaining: u32 },
    /// Fires on each matching request with this probability.
    Probability { probability: f64, rng: XorShift },
}

/// A fault, which requests it hits, and when.
#[derive(Debug, Clone)]
pub struct FaultRule {
    fault: Fault,
    target: FaultTarget,
    trigger: Trigger,
}

impl FaultRule {
    /// `fault` on each of the next `count` matching requests.
    pub fn next(count: u32, fault: Fault) -> Self {
        Self {
            fault,
            target: FaultTarget::Api,
            trigger: Trigger::Next { remaining: count },
        }
    }

    /// `fault` on each matching request with `probability` (clamped to 0–1), drawn from a
    /// generator seeded with `seed`.
    pub fn with_probability(probability: f64, seed: u64, fault: Fault) -> Self {
        Self {
            fault,
            target: FaultTarget::Api,
            trigger: Trigger::Probability {
                probability: probability.clamp(0.0, 1.0),
                rng: XorShift::new(seed),
            },
        }
    }

    /// Only requests to endpoint `id` (a spec id such as `search_users`, or `get_token`).
    pub fn on(mut self, id: &str) -> Self {
        self.target = FaultTarget::Endpoint(id.to_string());
        self
    }

    /// Sets which requests the rule looks at.
    pub fn target(mut self, target: FaultTarget) -> Self {
        self.target = target;
        self
    }

    /// The fault.
    pub fn fault(&self) -> &Fault {
        &self.fault
    }
}

/// What the rules decided for one request.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FaultPlan {
    /// Total delay before answering.
    pub delay: Duration,
    /// The fault that decides the reply, if any.
    pub fault: Option<Fault>,
}

/// The active rules.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    rules: Vec<FaultRule>,
}

impl Faults {
    /// Adds a rule after the others.
    pub fn push(&mut self, rule: FaultRule) {
        self.rules.push(rule);
    }

    /// Drops every rule.
    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// How many rules are active (a `next` rule is dropped once used up).
    pub fn active(&self) -> usize {
        self.rules.len()
    }

    /// Decides what happens to one request to `endpoint`.
    pub fn plan(&mut self, endpoint: &str, is_token: bool) -> FaultPlan {
        let mut plan = FaultPlan::default();
        for rule in &mut self.rules {
            if plan.fault.is_some() {
                break;
            }
            if !rule.target.matches(endpoint, is_token) {
                continue;
            }
            let fires = match &mut rule.trigger {
                Trigger::Next { remaining } => {
                    let fires = *remaining > 0;
                    *remaining = remaining.saturating_sub(1);
                    fires
                }
                Trigger::Probability { probability, rng } => rng.next_f64() < *probability,
            };
            if !fires {
                continue;
            }
            match &rule.fault {
                Fault::Latency(delay) => plan.delay += *delay,
                other => plan.fault = Some(other.clone()),
            }
        }
        self.rules
            .retain(|rule| !matches!(rule.trigger, Trigger::Next { remaining: 0 }));
        plan
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_rules_fire_then_vanish() {
        let mut faults = Faults::default();
        faults.push(FaultRule::next(1, Fault::Latency(Duration::from_millis(5))));
        faults.push(FaultRule::next(2, Fault::HttpStatus(500)).on("search_users"));
        let plan = faults.plan("list_orgs", false);
        assert_eq!(plan.delay, Duration::from_millis(5));
        assert_eq!(plan.fault, None);
        assert_eq!(faults.plan("get_token", true), FaultPlan::default());
        assert_eq!(
            faults.plan("search_users", false).fault,
            Some(Fault::HttpStatus(500))
        );
        assert_eq!(
            faults.plan("search_users", false).fault,
            Some(Fault::HttpStatus(500))
        );
        assert_eq!(faults.active(), 0);
    }

    #[test]
    fn probabilities_are_reproducible() {
        let run = || {
            let mut faults = Faults::default();
            faults.push(FaultRule::with_probability(0.3, 42, Fault::Errcode(40002)));
            (0..200)
                .map(|_| faults.plan("x", false).fault.is_some())
                .collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first, run());
        let hits = first.iter().filter(|hit| **hit).count();
        assert!((30..90).contains(&hits), "{hits}");
    }
}
