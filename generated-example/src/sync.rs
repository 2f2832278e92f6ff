//! Keeping WeCard in step with a roster: every row validated, every valid row upserted with
//! bounded concurrency, retryable failures retried with backoff, and a report whose counts add
//! up.
//!
//! A roster file is read twice as a stream (once for its repeated card numbers, once to send),
//! so memory does not grow with its length beyond the card numbers themselves.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::roster::{
    Duplicates, Headers, Problem, Roster, RosterError, RosterFile, Row, check_row_with,
};
use crate::wecard::client::{Client, ClientError, DriftEntry};
use crate::wecard::{GetUsersByCardNumbersRequest, ValidationLevel};

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
    /// After upserting, read the upserted members back and report those WeCard does not
    /// return.
    pub verify: bool,
}

impl Default for SyncOptions {
    fn default() -> Self {
        Self {
            concurrency: 8,
            dry_run: false,
            max_attempts: 5,
            backoff: Duration::from_millis(50),
            level: ValidationLevel::Default,
            verify: false,
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
    /// Nothing was sent for it: the circuit breaker was open or the deadline had passed.
    pub not_attempted: bool,
}

/// What a sync did. `valid == upserted + failed.len()` and `rows == valid + skipped_invalid.len()`
/// (in a dry run nothing is upserted or failed).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SyncReport {
    /// What was read: `CSV, GBK/GB18030`, `sheet 花名册 of a workbook`.
    pub source: String,
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
    /// With [`SyncOptions::verify`]: how many upserted members were read back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<usize>,
    /// With [`SyncOptions::verify`]: upserted card numbers WeCard did not return, or could not
    /// be asked about (see `verify_error`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unverified: Vec<String>,
    /// Why reading members back failed, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verify_error: Option<String>,
    /// What WeCard's replies carried that the spec does not know (the client's drift log): feed
    /// the report to `wecard-codegen drift` for proposed spec edits.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub drift: Vec<DriftEntry>,
}

impl SyncReport {
    /// Whether every valid row was synced.
    pub fn complete(&self) -> bool {
        self.failed.is_empty()
            && self.unverified.is_empty()
            && (self.dry_run || self.upserted == self.valid)
    }

    /// Whether every row was valid and every one was synced (or, in a dry run, would be): the
    /// only outcome `wecard-example sync` exits 0 for.
    pub fn clean(&self) -> bool {
        self.skipped_invalid.is_empty() && self.complete()
    }
}

/// Why a sync could not run at all.
#[derive(Debug)]
pub enum SyncError {
    /// The credentials were refused, or the API could not be reached.
    Client(ClientError),
    /// The roster could not be read (or changed between its two readings).
    Roster(RosterError),
}

impl std::fmt::Display for SyncError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SyncError::Client(error) => error.fmt(f),
            SyncError::Roster(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for SyncError {}

impl From<RosterError> for SyncError {
    fn from(error: RosterError) -> Self {
        SyncError::Roster(error)
    }
}

impl From<ClientError> for SyncError {
    fn from(error: ClientError) -> Self {
        SyncError::Client(error)
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
) -> Result<SyncReport, SyncError> {
    let valid = roster
        .rows
        .iter()
        .filter(|row| {
            check_row_with(&roster.headers, &roster.duplicates, row, options.level).is_ok()
        })
        .count();
    let rows = roster.rows.iter().cloned().map(Ok);
    let batch = Batch {
        headers: &roster.headers,
        duplicates: &roster.duplicates,
        source: &roster.source,
        valid,
    };
    sync_rows(client, batch, rows, options, progress).await
}

/// Validates and upserts a roster file, streaming its rows: a first reading finds repeated card
/// numbers and counts valid rows, the second sends them, never more than
/// `options.concurrency` at once.
///
/// # Errors
///
/// As [`sync`], and when the file cannot be read.
pub async fn sync_file(
    client: &Client,
    file: &RosterFile,
    options: &SyncOptions,
    progress: &dyn Progress,
) -> Result<SyncReport, SyncError> {
    let mut first = file.rows()?;
    let headers = first.headers().clone();
    let mut duplicates = Duplicates::default();
    let mut valid_lines = Vec::new();
    let mut any = false;
    for row in first.by_ref() {
        let row = row?;
        any = true;
        duplicates.add(&row.student.card_number, row.line);
        if check_row_with(&headers, &Duplicates::default(), &row, options.level).is_ok() {
            valid_lines.push((row.student.card_number, row.line));
        }
    }
    if !any {
        return Err(RosterError::Empty.into());
    }
    let duplicates = duplicates.finish();
    let valid = valid_lines
        .iter()
        .filter(|(card, _)| duplicates.lines_of(card).is_none())
        .count();
    drop(valid_lines);
    let source = file.describe();
    let batch = Batch {
        headers: &headers,
        duplicates: &duplicates,
        source: &source,
        valid,
    };
    sync_rows(client, batch, file.rows()?, options, progress).await
}

/// What every row of one roster is checked against.
struct Batch<'a> {
    headers: &'a Headers,
    duplicates: &'a Duplicates,
    source: &'a str,
    /// How many rows will be valid (for progress).
    valid: usize,
}

/// Why a row's upsert failed.
struct Failure {
    reason: String,
    not_attempted: bool,
}

/// (line, card number, attempts, failure)
type Outcome = (u64, String, u32, Option<Failure>);

async fn sync_rows(
    client: &Client,
    batch: Batch<'_>,
    rows: impl Iterator<Item = Result<Row, RosterError>>,
    options: &SyncOptions,
    progress: &dyn Progress,
) -> Result<SyncReport, SyncError> {
    let started = Instant::now();
    if !options.dry_run {
        client.access_token().await?;
        progress.start(batch.valid as u64);
    }
    let mut report = SyncReport {
        source: batch.source.to_string(),
        rows: 0,
        valid: 0,
        upserted: 0,
        skipped_invalid: Vec::new(),
        failed: Vec::new(),
        retries: 0,
        dry_run: options.dry_run,
        elapsed_ms: 0,
        verified: None,
        unverified: Vec::new(),
        verify_error: None,
        drift: Vec::new(),
    };
    let mut upserted_cards = Vec::new();
    let permits = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let mut tasks: JoinSet<Outcome> = JoinSet::new();
    for row in rows {
        let row = row?;
        report.rows += 1;
        let request = match check_row_with(batch.headers, batch.duplicates, &row, options.level) {
            Ok(request) => request,
            Err(problems) => {
                report.skipped_invalid.push(InvalidRow {
                    line: row.line,
                    card_number: row.student.card_number,
                    problems,
                });
                continue;
            }
        };
        report.valid += 1;
        if options.dry_run {
            continue;
        }
        // Waiting for a permit before spawning keeps at most `concurrency` rows in memory.
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            break;
        };
        while let Some(done) = tasks.try_join_next() {
            record(&mut report, done, progress, &mut upserted_cards);
        }
        let client = client.clone();
        let line = row.line;
        let (max_attempts, backoff) = (options.max_attempts.max(1), options.backoff);
        tasks.spawn(async move {
            let _permit = permit;
            let mut attempt = 1;
            loop {
                match client.create_user(&request).await {
                    Ok(_) => return (line, request.card_number, attempt, None),
                    Err(error) if error.is_retryable() && attempt < max_attempts => {
                        tokio::time::sleep(delay(backoff, attempt, line)).await;
                        attempt += 1;
                    }
                    Err(error) => {
                        let failure = Failure {
                            reason: error.to_string(),
                            not_attempted: error.is_not_attempted(),
                        };
                        return (line, request.card_number, attempt, Some(failure));
                    }
                }
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        record(&mut report, done, progress, &mut upserted_cards);
    }
    if !options.dry_run {
        progress.finish();
        if options.verify {
            verify(client, upserted_cards, &mut report).await;
        }
        report.drift = client.take_drift();
    }
    report.failed.sort_by_key(|row| row.line);
    report.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(report)
}

/// Card numbers asked for in one read-back request.
const VERIFY_BATCH: usize = 100;

/// Reads the upserted members back, 100 at a time; those not returned are unverified.
async fn verify(client: &Client, mut cards: Vec<String>, report: &mut SyncReport) {
    cards.sort();
    let mut verified = 0;
    for (index, chunk) in cards.chunks(VERIFY_BATCH).enumerate() {
        let request = GetUsersByCardNumbersRequest {
            card_numbers: chunk.to_vec(),
        };
        match client.get_users_by_card_numbers(&request).await {
            Ok(reply) => {
                let returned: std::collections::BTreeSet<&str> = reply
                    .userlist
                    .iter()
                    .flatten()
                    .map(|member| member.card_number.as_str())
                    .collect();
                for card in chunk {
                    if returned.contains(card.as_str()) {
                        verified += 1;
                    } else {
                        report.unverified.push(card.clone());
                    }
                }
            }
            Err(error) => {
                report.verify_error = Some(error.to_string());
                report
                    .unverified
                    .extend(cards[index * VERIFY_BATCH..].iter().cloned());
                break;
            }
        }
    }
    report.verified = Some(verified);
}

fn record(
    report: &mut SyncReport,
    done: Result<Outcome, tokio::task::JoinError>,
    progress: &dyn Progress,
    upserted_cards: &mut Vec<String>,
) {
    progress.advance();
    match done {
        Ok((_, card_number, attempts, None)) => {
            upserted_cards.push(card_number);
            report.upserted += 1;
            report.retries += u64::from(attempts - 1);
        }
        Ok((line, card_number, attempts, Some(failure))) => {
            report.retries += u64::from(attempts - 1);
            report.failed.push(FailedRow {
                line,
                card_number,
                reason: failure.reason,
                attempts,
                not_attempted: failure.not_attempted,
            });
        }
        // A task that panicked has no row to name; count it so the totals still add up.
        Err(error) => report.failed.push(FailedRow {
            line: 0,
            card_number: String::new(),
            reason: format!("internal error: {error}"),
            attempts: 0,
            not_attempted: false,
        }),
    }
}

/// Exponential backoff with a little per-row jitter, so retries of a burst do not all land at
/// once.
pub(crate) fn delay(base: Duration, attempt: u32, line: u64) -> Duration {
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
