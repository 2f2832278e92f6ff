//! Carrying out a [`Plan`]: creates and updates with bounded concurrency and retries, then
//! deletions in batches, every change written to a JSON-lines audit log.
//!
//! The log is also the journal that makes a run safe to kill. Each change is logged as `started`
//! before its request is sent and as `done` or `failed` when the answer comes. A run killed in
//! between leaves a `started` without an outcome; the next run (which plans afresh, so it never
//! repeats what was done) settles it: if the fresh plan no longer needs that change, the platform
//! has it and the log gets its `done`; otherwise it is logged `interrupted` and done again now.
//! Either way each change applied has exactly one `done` line.

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::calendar::civil_from_days;
use crate::plan::{FieldChange, Plan};
use crate::sync::{Progress, delay};
use crate::wecard::client::{Client, ClientError};
use crate::wecard::{BatchDeleteUsersRequest, GetUsersByCardNumbersRequest};

/// What a change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// A new member.
    Create,
    /// Fields of a member change.
    Update,
    /// A member is removed.
    Delete,
}

/// How a logged change ended (or that it began).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// About to be sent.
    Started,
    /// The platform has it.
    Done,
    /// The platform refused it, or it could not be sent.
    Failed,
    /// A run was killed while it was in flight, and the platform does not have it.
    Interrupted,
}

/// One line of the audit log. It holds no credential and no token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// When, UTC (`2026-09-01T08:00:00Z`).
    pub time: String,
    /// Which run wrote it.
    pub run: String,
    /// The member's card number.
    pub card_number: String,
    /// The change.
    pub action: Action,
    /// For an update, its fields old → new.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
    /// How it went.
    pub outcome: Outcome,
    /// Why it failed, or how an outcome was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How to apply.
#[derive(Debug, Clone)]
pub struct ApplyOptions {
    /// Creates and updates in flight at once (at least 1).
    pub concurrency: usize,
    /// Attempts per request, the first included (at least 1).
    pub max_attempts: u32,
    /// Wait before the first retry; doubled for each further one.
    pub backoff: Duration,
    /// Card numbers per batch-delete request.
    pub delete_batch: usize,
    /// The audit log (appended to).
    pub audit: PathBuf,
}

impl ApplyOptions {
    /// The defaults, logging to `audit`.
    pub fn new(audit: impl Into<PathBuf>) -> Self {
        Self {
            concurrency: 8,
            max_attempts: 5,
            backoff: Duration::from_millis(50),
            delete_batch: 100,
            audit: audit.into(),
        }
    }
}

/// A change that did not happen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailedChange {
    /// The card number.
    pub card_number: String,
    /// The change.
    pub action: Action,
    /// Why.
    pub reason: String,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApplyReport {
    /// Members created.
    pub created: usize,
    /// Members updated.
    pub updated: usize,
    /// Members deleted.
    pub deleted: usize,
    /// Changes of a killed earlier run found done and logged now.
    pub settled: usize,
    /// Changes that failed.
    pub failed: Vec<FailedChange>,
    /// Retries made in all.
    pub retries: u64,
    /// Wall-clock time, in milliseconds.
    pub elapsed_ms: u64,
}

/// Why a run could not start.
#[derive(Debug)]
pub enum ApplyError {
    /// The audit log cannot be read or written.
    Audit(PathBuf, std::io::Error),
    /// The credentials were refused.
    Client(ClientError),
}

impl std::fmt::Display for ApplyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApplyError::Audit(path, error) => {
                write!(f, "audit log {}: {error}", path.display())
            }
            ApplyError::Client(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for ApplyError {}

/// The audit log, appended a whole line at a time.
struct Audit {
    path: PathBuf,
    file: std::fs::File,
    run: String,
}

impl Audit {
    fn open(path: &Path) -> Result<Self, ApplyError> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|error| ApplyError::Audit(path.to_path_buf(), error))?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let run = format!("{:x}-{}", now.as_millis(), std::process::id());
        Ok(Self {
            path: path.to_path_buf(),
            file,
            run,
        })
    }

    fn write(
        &mut self,
        card_number: &str,
        action: Action,
        fields: &[FieldChange],
        outcome: Outcome,
        note: Option<String>,
    ) -> Result<(), ApplyError> {
        let run = self.run.clone();
        self.write_as(&run, card_number, action, fields, outcome, note)
    }

    /// Writes a line under another run's id (to settle that run's change).
    fn write_as(
        &mut self,
        run: &str,
        card_number: &str,
        action: Action,
        fields: &[FieldChange],
        outcome: Outcome,
        note: Option<String>,
    ) -> Result<(), ApplyError> {
        let entry = AuditEntry {
            time: utc_now(),
            run: run.to_string(),
            card_number: card_number.to_string(),
            action,
            fields: fields.to_vec(),
            outcome,
            note,
        };
        let mut line = serde_json::to_string(&entry).unwrap_or_default();
        line.push('\n');
        // One write per line, so a kill leaves whole lines (a torn last line is skipped when
        // read).
        self.file
            .write_all(line.as_bytes())
            .map_err(|error| ApplyError::Audit(self.path.clone(), error))
    }
}

/// Reads an audit log (missing: empty); lines that do not parse (a torn last line) are skipped.
///
/// # Errors
///
/// When the file exists but cannot be read.
pub fn read_audit(path: &Path) -> std::io::Result<Vec<AuditEntry>> {
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => return Err(error),
    };
    let mut entries = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        if let Ok(entry) = serde_json::from_str(&line?) {
            entries.push(entry);
        }
    }
    Ok(entries)
}

/// Changes logged `started` with no outcome after them.
fn unsettled(entries: &[AuditEntry]) -> Vec<&AuditEntry> {
    let mut open: HashMap<(&str, &str, Action), &AuditEntry> = HashMap::new();
    for entry in entries {
        let key = (entry.run.as_str(), entry.card_number.as_str(), entry.action);
        if entry.outcome == Outcome::Started {
            open.insert(key, entry);
        } else {
            open.remove(&key);
        }
    }
    let mut open: Vec<&AuditEntry> = open.into_values().collect();
    open.sort_by(|a, b| (&a.time, &a.card_number).cmp(&(&b.time, &b.card_number)));
    open
}

fn utc_now() -> String {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(seconds / 86_400).unwrap_or(0);
    let (year, month, day) = civil_from_days(days);
    let of_day = seconds % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60
    )
}

type UpsertOutcome = (usize, u32, Result<(), String>);

/// Carries out `plan` (which the caller has checked with the deletion guard and, for a saved
/// plan, against the platform): first settles what a killed earlier run left unsettled in the
/// audit log, then creates and updates, then deletes.
///
/// # Errors
///
/// When the audit log cannot be written or the credentials are refused; failures of single
/// changes are in the report.
pub async fn apply(
    client: &Client,
    plan: &Plan,
    options: &ApplyOptions,
    progress: &dyn Progress,
) -> Result<ApplyReport, ApplyError> {
    let started = Instant::now();
    client.access_token().await.map_err(ApplyError::Client)?;
    let earlier = read_audit(&options.audit)
        .map_err(|error| ApplyError::Audit(options.audit.clone(), error))?;
    let mut audit = Audit::open(&options.audit)?;
    let mut report = ApplyReport::default();

    let pending: HashSet<(&str, Action)> = plan
        .create
        .iter()
        .map(|u| (u.card_number.as_str(), Action::Create))
        .chain(
            plan.update
                .iter()
                .map(|u| (u.card_number.as_str(), Action::Update)),
        )
        .chain(
            plan.delete
                .iter()
                .map(|d| (d.card_number.as_str(), Action::Delete)),
        )
        .collect();
    for entry in unsettled(&earlier) {
        let key = (entry.card_number.as_str(), entry.action);
        let (outcome, note) = if pending.contains(&key) {
            (
                Outcome::Interrupted,
                "run was killed; done again by this run",
            )
        } else {
            report.settled += 1;
            (Outcome::Done, "run was killed; found done on the platform")
        };
        let settled_by = format!("{note} (run {})", audit.run);
        audit.write_as(
            &entry.run,
            &entry.card_number,
            entry.action,
            &entry.fields,
            outcome,
            Some(settled_by),
        )?;
    }

    let total = plan.create.len() + plan.update.len() + plan.delete.len();
    progress.start(total as u64);
    let upserts: Vec<(Action, &crate::plan::Upsert)> = plan
        .create
        .iter()
        .map(|u| (Action::Create, u))
        .chain(plan.update.iter().map(|u| (Action::Update, u)))
        .collect();
    let permits = Arc::new(Semaphore::new(options.concurrency.max(1)));
    let mut tasks: JoinSet<UpsertOutcome> = JoinSet::new();
    let (max_attempts, backoff) = (options.max_attempts.max(1), options.backoff);
    let settle = |report: &mut ApplyReport,
                  audit: &mut Audit,
                  done: Result<UpsertOutcome, tokio::task::JoinError>|
     -> Result<(), ApplyError> {
        progress.advance();
        let Ok((index, attempts, result)) = done else {
            return Ok(());
        };
        let (action, upsert) = upserts[index];
        report.retries += u64::from(attempts.saturating_sub(1));
        match result {
            Ok(()) => {
                match action {
                    Action::Create => report.created += 1,
                    _ => report.updated += 1,
                }
                audit.write(
                    &upsert.card_number,
                    action,
                    &upsert.changes,
                    Outcome::Done,
                    None,
                )
            }
            Err(reason) => {
                report.failed.push(FailedChange {
                    card_number: upsert.card_number.clone(),
                    action,
                    reason: reason.clone(),
                });
                audit.write(
                    &upsert.card_number,
                    action,
                    &upsert.changes,
                    Outcome::Failed,
                    Some(reason),
                )
            }
        }
    };
    for (index, (action, upsert)) in upserts.iter().enumerate() {
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            break;
        };
        while let Some(done) = tasks.try_join_next() {
            settle(&mut report, &mut audit, done)?;
        }
        audit.write(
            &upsert.card_number,
            *action,
            &upsert.changes,
            Outcome::Started,
            None,
        )?;
        let client = client.clone();
        let request = upsert.request.clone();
        let line = upsert.line;
        tasks.spawn(async move {
            let _permit = permit;
            let mut attempt = 1;
            loop {
                match client.create_user(&request).await {
                    Ok(_) => return (index, attempt, Ok(())),
                    Err(error) if error.is_retryable() && attempt < max_attempts => {
                        tokio::time::sleep(delay(backoff, attempt, line)).await;
                        attempt += 1;
                    }
                    Err(error) => return (index, attempt, Err(error.to_string())),
                }
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        settle(&mut report, &mut audit, done)?;
    }

    for batch in plan.delete.chunks(options.delete_batch.max(1)) {
        for deletion in batch {
            audit.write(
                &deletion.card_number,
                Action::Delete,
                &[],
                Outcome::Started,
                None,
            )?;
        }
        let cards: Vec<String> = batch.iter().map(|d| d.card_number.clone()).collect();
        let (outcomes, retries) = delete_batch(client, cards, max_attempts, backoff).await;
        report.retries += retries;
        for (card_number, outcome) in outcomes {
            progress.advance();
            match outcome {
                Ok(()) => {
                    report.deleted += 1;
                    audit.write(&card_number, Action::Delete, &[], Outcome::Done, None)?;
                }
                Err(reason) => {
                    audit.write(
                        &card_number,
                        Action::Delete,
                        &[],
                        Outcome::Failed,
                        Some(reason.clone()),
                    )?;
                    report.failed.push(FailedChange {
                        card_number,
                        action: Action::Delete,
                        reason,
                    });
                }
            }
        }
    }
    progress.finish();
    report.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(report)
}

/// Deletes `cards` in one request (retried when it may be); a card the reply lists as not
/// deleted counts as deleted when the platform no longer has it (an earlier attempt that was
/// cut off may have deleted it).
async fn delete_batch(
    client: &Client,
    cards: Vec<String>,
    max_attempts: u32,
    backoff: Duration,
) -> (Vec<(String, Result<(), String>)>, u64) {
    let request = BatchDeleteUsersRequest {
        card_numbers: cards.clone(),
    };
    let mut attempt = 1;
    let reply = loop {
        match client.batch_delete_users(&request).await {
            Ok(reply) => break Ok(reply),
            Err(error) if error.is_retryable() && attempt < max_attempts => {
                tokio::time::sleep(delay(backoff, attempt, 0)).await;
                attempt += 1;
            }
            Err(error) => break Err(error.to_string()),
        }
    };
    let retries = u64::from(attempt - 1);
    let failed: HashMap<String, String> = match reply {
        Ok(reply) => reply
            .failed_list
            .unwrap_or_default()
            .into_iter()
            .map(|failure| {
                let reason = failure
                    .reason
                    .unwrap_or_else(|| "not deleted (no reason given)".into());
                (failure.card_number, reason)
            })
            .collect(),
        Err(reason) => cards.iter().map(|c| (c.clone(), reason.clone())).collect(),
    };
    let mut still_there = HashSet::new();
    if !failed.is_empty() {
        let check = GetUsersByCardNumbersRequest {
            card_numbers: failed.keys().cloned().collect(),
        };
        match client.get_users_by_card_numbers(&check).await {
            Ok(reply) => still_there.extend(
                reply
                    .userlist
                    .unwrap_or_default()
                    .into_iter()
                    .map(|m| m.card_number),
            ),
            // Unknown: keep every failure as reported.
            Err(_) => still_there.extend(failed.keys().cloned()),
        }
    }
    let outcomes = cards
        .into_iter()
        .map(|card| {
            let outcome = match failed.get(&card) {
                Some(reason) if still_there.contains(&card) => Err(reason.clone()),
                _ => Ok(()),
            };
            (card, outcome)
        })
        .collect();
    (outcomes, retries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(run: &str, card: &str, action: Action, outcome: Outcome) -> AuditEntry {
        AuditEntry {
            time: "2026-01-01T00:00:00Z".into(),
            run: run.into(),
            card_number: card.into(),
            action,
            fields: Vec::new(),
            outcome,
            note: None,
        }
    }

    #[test]
    fn only_starts_without_an_outcome_are_unsettled() {
        let entries = [
            entry("a", "1", Action::Create, Outcome::Started),
            entry("a", "1", Action::Create, Outcome::Done),
            entry("a", "2", Action::Delete, Outcome::Started),
            entry("a", "3", Action::Update, Outcome::Started),
            entry("a", "3", Action::Update, Outcome::Failed),
        ];
        let open: Vec<&str> = unsettled(&entries)
            .iter()
            .map(|e| e.card_number.as_str())
            .collect();
        assert_eq!(open, ["2"]);
        assert!(utc_now().ends_with('Z'));
    }
}
