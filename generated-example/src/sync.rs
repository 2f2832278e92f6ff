//! Keeping WeCard in step with a roster: every row validated, every valid row upserted with
//! bounded concurrency, retryable failures retried with backoff, and a report whose counts add
//! up.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::roster::{Problem, Roster, check_row};
use crate::wecard::ValidationLevel;
use crate::wecard::client::{Client, ClientError};

/// How to sync.
#[derive(Debug, Clone)]
pub struct SyncOptions {
    /// Upserts in flight at once (at least 1).
    pub concurrency: usize,
    /// Validate and report, but send nothing.
    pub dry_run: bool,
    /// Attempts per row, the first included (at least 1).
    pub max_attempts: u32,
    /// Wait before the first retry; doubled for each further one.
    pub backoff: Duration,
    /// Which rules a row must pass to be sent.
    pub level: ValidationLevel,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            concurrency: 8,
            dry_run: false,
            max_attempts: 5,
            backoff: Duration::from_millis(50),
            level: ValidationLevel::Default,
        }
    }
}

/// A row that was not sent because it breaks the API's rules.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InvalidRow {
    /// Its line in the roster.
    pub line: u64,
    /// Its card number, as written.
    pub card_number: String,
    /// Every problem.
    pub problems: Vec<Problem>,
}

/// A valid row that could not be upserted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FailedRow {
    /// Its line in the roster.
    pub line: u64,
    /// Its card number.
    pub card_number: String,
    /// Why, from the last attempt (never showing a credential).
    pub reason: String,
    /// How many attempts were made.
    pub attempts: u32,
}

/// What a sync did. `valid == upserted + failed.len()` and `rows == valid + skipped_invalid.len()`
/// (in a dry run nothing is upserted or failed).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SyncReport {
    /// Rows in the roster.
    pub rows: usize,
    /// Rows that passed validation.
    pub valid: usize,
    /// Rows upserted.
    pub upserted: usize,
    /// Rows left out as invalid, with their problems.
    pub skipped_invalid: Vec<InvalidRow>,
    /// Valid rows whose upsert failed, with reasons.
    pub failed: Vec<FailedRow>,
    /// Retries made in all (attempts beyond the first).
    pub retries: u64,
    /// Whether this was a dry run.
    pub dry_run: bool,
    /// Wall-clock time, in milliseconds.
    pub elapsed_ms: u64,
}

impl SyncReport {
    /// Whether every valid row was synced.
    pub fn complete(&self) -> bool {
        self.failed.is_empty() && (self.dry_run || self.upserted == self.valid)
    }
}

/// Where progress goes: a bar on a terminal, lines elsewhere, nothing in tests.
pub trait Progress: Send + Sync {
    /// `total` rows are about to be sent.
    fn start(&self, total: u64);
    /// One more row is done (upserted or failed).
    fn advance(&self);
    /// All rows are done.
    fn finish(&self);
}

/// Progress that goes nowhere.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn start(&self, _total: u64) {}
    fn advance(&self) {}
    fn finish(&self) {}
}

/// Validates every row of `roster` and upserts the valid ones through `client`.
///
/// # Errors
///
/// When no row could succeed: the credentials are refused (checked by fetching a token before
/// anything is sent). Failures of single rows are in the report instead.
pub async fn sync(
    client: &Client,
    roster: &Roster,
    options: &SyncOptions,
    progress: &dyn Progress,
) -> Result<SyncReport, ClientError> {
    let started = Instant::now();
    if !options.dry_run {
        client.access_token().await?;
    }
    let mut valid = Vec::new();
    let mut skipped_invalid = Vec::new();
    for row in &roster.rows {
        match check_row(roster, row, options.level) {
            Ok(request) => valid.push((row.line, request)),
            Err(problems) => skipped_invalid.push(InvalidRow {
                line: row.line,
                card_number: row.student.card_number.clone(),
                problems,
            }),
        }
    }
    let mut report = SyncReport {
        rows: roster.rows.len(),
        valid: valid.len(),
        upserted: 0,
        skipped_invalid,
        failed: Vec::new(),
        retries: 0,
        dry_run: options.dry_run,
        elapsed_ms: 0,
    };
    if !options.dry_run {
        progress.start(valid.len() as u64);
        let permits = Arc::new(Semaphore::new(options.concurrency.max(1)));
        let mut tasks = JoinSet::new();
        for (line, request) in valid {
            let client = client.clone();
            let permits = Arc::clone(&permits);
            let (max_attempts, backoff) = (options.max_attempts.max(1), options.backoff);
            tasks.spawn(async move {
                // Holding a permit for the whole row (retries included) bounds what is in flight.
                let _permit = permits.acquire_owned().await;
                let mut attempt = 1;
                loop {
                    match client.create_user(&request).await {
                        Ok(_) => return (line, request.card_number, attempt, None),
                        Err(error) if error.is_retryable() && attempt < max_attempts => {
                            tokio::time::sleep(delay(backoff, attempt, line)).await;
                            attempt += 1;
                        }
                        Err(error) => {
                            return (line, request.card_number, attempt, Some(error.to_string()));
                        }
                    }
                }
            });
        }
        while let Some(done) = tasks.join_next().await {
            progress.advance();
            match done {
                Ok((_, _, attempts, None)) => {
                    report.upserted += 1;
                    report.retries += u64::from(attempts - 1);
                }
                Ok((line, card_number, attempts, Some(reason))) => {
                    report.retries += u64::from(attempts - 1);
                    report.failed.push(FailedRow {
                        line,
                        card_number,
                        reason,
                        attempts,
                    });
                }
                // A task that panicked has no row to name; count it so the totals still add up.
                Err(error) => report.failed.push(FailedRow {
                    line: 0,
                    card_number: String::new(),
                    reason: format!("internal error: {error}"),
                    attempts: 0,
                }),
            }
        }
        progress.finish();
        report.failed.sort_by_key(|row| row.line);
    }
    report.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(report)
}

/// Exponential backoff with a little per-row jitter, so retries of a burst do not all land at
/// once.
fn delay(base: Duration, attempt: u32, line: u64) -> Duration {
    let exponential = base.saturating_mul(1 << (attempt - 1).min(8));
    let jitter = Duration::from_millis(line.wrapping_mul(2_654_435_761) % 17);
    exponential + jitter
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let base = Duration::from_millis(10);
        assert!(delay(base, 1, 0) < delay(base, 2, 0));
        assert!(delay(base, 2, 0) < delay(base, 3, 0));
        assert!(delay(base, 40, 7) <= base * 256 + Duration::from_millis(17));
    }
}
