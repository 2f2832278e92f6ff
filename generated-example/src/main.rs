//! `wecard-example`: keeps WeCard in step with a school's student roster.
//!
//! Credentials come from `WECARD_BASE_URL`, `WECARD_APP_KEY`, `WECARD_APP_SECRET` and
//! `WECARD_OCODE`. With none of them set, the program starts a local sandbox and says so, so
//! everything can be tried without an account.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};
use generated_example::apply::ApplyOptions;
use generated_example::roster::cells::csv_safe;
use generated_example::roster::{Roster, RosterFile, check_row};
use generated_example::sandbox::{DriftConfig, SandboxHandle};
use generated_example::sync::{SyncError, SyncOptions, SyncReport, sync_file};
use generated_example::wecard::client::{Client, ClientConfig};
use generated_example::wecard::{
    BatchDeleteUsersRequest, DateTime, GetUsersByCardNumbersRequest, ListUpdateRecordsRequest,
    SearchUsersRequest, ValidationLevel,
};

/// Prints a line to stdout. When the reader has gone (`… | head`), the program ends quietly
/// instead of panicking the way `println!` does on a closed pipe.
macro_rules! say {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        if let Err(error) = ::std::writeln!(::std::io::stdout().lock(), $($arg)*) {
            if error.kind() == ::std::io::ErrorKind::BrokenPipe {
                ::std::process::exit(0);
            }
        }
    }};
}

#[path = "cli/embedded.rs"]
mod embedded;
#[path = "cli/limits.rs"]
mod limits;
#[path = "cli/listen.rs"]
mod listen;
#[path = "cli/plan.rs"]
mod plan_cli;
#[path = "cli/progress.rs"]
mod progress;
#[path = "cli/serve.rs"]
mod serve;

/// What `--help` adds after the commands: where credentials come from, and the exit codes.
const AFTER_HELP: &str = "\
Credentials come from WECARD_BASE_URL, WECARD_APP_KEY, WECARD_APP_SECRET and WECARD_OCODE.
With none of them set, every command runs against an embedded WeCard sandbox on 127.0.0.1
(it says so on stderr; nothing leaves this machine). It keeps its members between runs in
WECARD_SANDBOX_STATE (default: a file in the temporary directory); --fresh starts it empty.

Exit codes, for every command:
  0  done: every row valid and synced or applied, the query answered
  1  problems found: an invalid row, a failed change, a refused plan, an API error
  2  the program could not run: bad arguments, an unreadable roster, incomplete or refused
     credentials, a WECARD_BASE_URL that is not an http(s) URL";

/// Data problems were found (invalid rows, failed upserts, an API error).
const EXIT_PROBLEMS: u8 = 1;
/// The program could not run: a bad argument, an unreadable roster, incomplete credentials.
const EXIT_USAGE: u8 = 2;

/// The `sandbox` and `listen` commands' default app key: 16 characters, the AES-128 key of
/// push events.
const DEMO_APP_KEY: &str = "demo-app-key-001";
/// The `sandbox` and `listen` commands' default app secret: public, printed so a new user can
/// authenticate; its first 16 characters are the IV of push events.
const DEMO_APP_SECRET: &str = "demo-app-secret-0001";

/// Keep WeCard (腾讯微卡) in step with a student roster.
#[derive(Debug, Parser)]
#[command(name = "wecard-example", version, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Start the embedded sandbox empty instead of with the state earlier runs left (it keeps
    /// its members between runs in WECARD_SANDBOX_STATE, or a file in the temporary directory).
    #[arg(long, global = true)]
    fresh: bool,
    /// Stop sending after this many seconds; rows not sent by then are reported as not
    /// attempted.
    #[arg(long, global = true, value_name = "SECONDS")]
    deadline: Option<u64>,
    /// After this many transport failures in a row (no connection, no reply in time), send
    /// nothing more for 30 s; rows left meanwhile are reported as not attempted.
    #[arg(long, global = true, default_value_t = 5, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..))]
    max_transport_failures: u32,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check every row of a roster against the API's rules, sending nothing.
    Validate {
        /// The roster: CSV (UTF-8, GBK or UTF-16) or .xlsx, headers in Chinese or English.
        roster: PathBuf,
        /// The workbook's sheet to read (default: the first).
        #[arg(long)]
        sheet: Option<String>,
        /// Also apply the data-quality rules (phone format, ID-card checksum, country codes).
        #[arg(long)]
        strict: bool,
        /// Write the invalid rows, with their problems, to this CSV file (UTF-8 with a BOM, so
        /// Excel opens it; cells that look like formulas are written as text).
        #[arg(long)]
        rejects: Option<PathBuf>,
    },
    /// Validate a roster, then upsert every valid row.
    Sync {
        /// The roster: CSV (UTF-8, GBK or UTF-16) or .xlsx, headers in Chinese or English.
        roster: PathBuf,
        /// The workbook's sheet to read (default: the first).
        #[arg(long)]
        sheet: Option<String>,
        /// Upserts in flight at once.
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
        concurrency: u16,
        /// Validate and report, but send nothing.
        #[arg(long)]
        dry_run: bool,
        /// Also apply the data-quality rules before sending.
        #[arg(long)]
        strict: bool,
        /// Write the report as JSON to this file too; it includes what WeCard's replies
        /// carried that the spec does not know (`drift`, for `wecard-codegen drift`).
        #[arg(long)]
        report: Option<PathBuf>,
        /// After upserting, read the upserted members back and report those not returned.
        #[arg(long)]
        verify: bool,
    },
    /// Show what it takes to make WeCard match the roster: creates, updates (field by field),
    /// unchanged members, and deletions of members of the roster's identity types it does not
    /// list. Changes nothing.
    Plan {
        /// The roster: CSV (UTF-8, GBK or UTF-16) or .xlsx.
        roster: PathBuf,
        /// The workbook's sheet to read (default: the first).
        #[arg(long)]
        sheet: Option<String>,
        /// Also apply the data-quality rules.
        #[arg(long)]
        strict: bool,
        /// Save the plan as JSON, for `apply --plan`.
        #[arg(long)]
        json: Option<PathBuf>,
    },
    /// Make WeCard match the roster (or carry out a saved plan), deletions included, logging
    /// every change. Refuses to delete more than 50 members and more than 20 % of those in scope
    /// (or fewer than 50 but more than 80 %) unless --allow-deletes is at least that many.
    Apply {
        /// The roster: CSV (UTF-8, GBK or UTF-16) or .xlsx.
        #[arg(required_unless_present = "plan")]
        roster: Option<PathBuf>,
        /// Carry out this saved plan (`plan --json`) instead; refused if the platform changed.
        #[arg(long, conflicts_with = "roster")]
        plan: Option<PathBuf>,
        /// The workbook's sheet to read (default: the first).
        #[arg(long)]
        sheet: Option<String>,
        /// Also apply the data-quality rules.
        #[arg(long)]
        strict: bool,
        /// Let the deletion guard through for up to this many deletions.
        #[arg(long, default_value_t = 0)]
        allow_deletes: usize,
        /// Creates and updates in flight at once.
        #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
        concurrency: u16,
        /// The JSON-lines audit log to append to.
        #[arg(long, default_value = "wecard-audit.jsonl")]
        audit: PathBuf,
    },
    /// Search members by exact card number or exact name.
    Search {
        /// The card number or name.
        keyword: String,
    },
    /// Show the members with these card numbers.
    Get {
        /// Card numbers.
        #[arg(required = true)]
        cards: Vec<String>,
    },
    /// Delete the members with these card numbers.
    Delete {
        /// Card numbers.
        #[arg(required = true)]
        cards: Vec<String>,
    },
    /// List the day's member changes (every page).
    Changes {
        /// The day, YYYY-MM-DD (default: today).
        #[arg(long)]
        date: Option<String>,
    },
    /// Serve the WeCard sandbox for other programs until interrupted.
    Sandbox {
        /// The port on 127.0.0.1; 0 picks a free one (the URL is printed).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The app key clients authenticate with.
        #[arg(long, default_value = DEMO_APP_KEY)]
        app_key: String,
        /// The app secret clients authenticate with (printed only when it is the public default).
        #[arg(long, default_value = DEMO_APP_SECRET)]
        app_secret: String,
        /// The school's ocode.
        #[arg(long, default_value = "demo-school")]
        ocode: String,
        /// Lifetime of issued access tokens, in seconds.
        #[arg(long, default_value_t = 7200)]
        token_lifetime: u64,
        /// Start with no organisations or members instead of the demo data.
        #[arg(long)]
        empty: bool,
        /// Push every change to this URL as an encrypted event (WeCard's retry schedule: at
        /// once, 15 s, 15 s, 30 s, 3 min, 30 min ×4, 1 h; 5 s timeout).
        #[arg(long, value_name = "URL")]
        push_url: Option<String>,
        /// Add a field the spec does not know to every member sent, as NAME=JSON
        /// (`nickname="小明"`; a value that is not JSON is sent as a string).
        #[arg(long, value_name = "NAME=JSON", value_parser = serve::parse_member_field)]
        drift_member_field: Option<(String, serde_json::Value)>,
        /// Send this code, which the spec's IdentityClass does not list, as every member's
        /// identity_type.
        #[arg(long, value_name = "CODE")]
        drift_identity_code: Option<i64>,
        /// Answer the first request of an endpoint with an errcode the spec does not list, as
        /// ENDPOINT=CODE (`create_user=40099`).
        #[arg(long, value_name = "ENDPOINT=CODE", value_parser = serve::parse_error_code)]
        drift_error_code: Option<(String, i64)>,
    },
    /// Receive push events on 127.0.0.1 until interrupted: prints the URL, then each event as
    /// one JSON line (repeated deliveries once), and acknowledges it. Credentials from the
    /// options, else WECARD_APP_KEY and WECARD_APP_SECRET, else the sandbox's demo ones.
    Listen {
        /// The port on 127.0.0.1; 0 picks a free one (the URL is printed).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The app key the pushes are for (16 characters: the AES key).
        #[arg(long)]
        app_key: Option<String>,
        /// The app secret (its first 16 characters are the IV). Prefer WECARD_APP_SECRET: a
        /// command line is visible to other users of the machine.
        #[arg(long)]
        app_secret: Option<String>,
    },
}

/// A failure that ends the program, with its exit code.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Self {
        Self {
            code: EXIT_USAGE,
            message: message.into(),
        }
    }

    fn problems(message: impl Into<String>) -> Self {
        Self {
            code: EXIT_PROBLEMS,
            message: message.into(),
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    embedded::FRESH.store(cli.fresh, std::sync::atomic::Ordering::Relaxed);
    limits::set(limits::Limits {
        deadline: cli.deadline.map(std::time::Duration::from_secs),
        max_transport_failures: cli.max_transport_failures,
    });
    match run(cli.command).await {
        Ok(code) => code,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

async fn run(command: Command) -> Result<ExitCode, Failure> {
    match command {
        Command::Validate {
            roster,
            sheet,
            strict,
            rejects,
        } => validate(&roster, sheet.as_deref(), strict, rejects.as_deref()),
        Command::Sync {
            roster,
            sheet,
            concurrency,
            dry_run,
            strict,
            report,
            verify,
        } => {
            let options = SyncOptions {
                concurrency: usize::from(concurrency),
                dry_run,
                verify,
                level: if strict {
                    ValidationLevel::Strict
                } else {
                    ValidationLevel::Default
                },
                ..SyncOptions::default()
            };
            sync_roster(&roster, sheet.as_deref(), &options, report.as_deref()).await
        }
        Command::Plan {
            roster,
            sheet,
            strict,
            json,
        } => {
            let target = plan_cli::Target {
                roster: Some(&roster),
                sheet: sheet.as_deref(),
                level: level(strict),
            };
            plan_cli::plan_command(&target, json.as_deref()).await
        }
        Command::Apply {
            roster,
            plan,
            sheet,
            strict,
            allow_deletes,
            concurrency,
            audit,
        } => {
            let target = plan_cli::Target {
                roster: roster.as_deref(),
                sheet: sheet.as_deref(),
                level: level(strict),
            };
            let options = ApplyOptions {
                concurrency: usize::from(concurrency),
                ..ApplyOptions::new(audit)
            };
            plan_cli::apply_command(&target, plan.as_deref(), allow_deletes, &options).await
        }
        Command::Search { keyword } => {
            let (client, _sandbox) = connect().await?;
            let reply = client
                .search_users(&SearchUsersRequest { keywords: keyword })
                .await
                .map_err(api_failure)?;
            print_json(&reply.userlist.unwrap_or_default())
        }
        Command::Get { cards } => {
            let (client, _sandbox) = connect().await?;
            let request = GetUsersByCardNumbersRequest {
                card_numbers: cards,
            };
            let reply = client
                .get_users_by_card_numbers(&request)
                .await
                .map_err(api_failure)?;
            print_json(&reply.userlist.unwrap_or_default())
        }
        Command::Delete { cards } => {
            let (client, _sandbox) = connect().await?;
            let asked = cards.len();
            let reply = client
                .batch_delete_users(&BatchDeleteUsersRequest {
                    card_numbers: cards,
                })
                .await
                .map_err(api_failure)?;
            let failed = reply.failed_list.unwrap_or_default();
            for failure in &failed {
                eprintln!(
                    "not deleted: {}: {}",
                    failure.card_number,
                    failure.reason.as_deref().unwrap_or("(no reason given)")
                );
            }
            say!("deleted {} of {asked}", asked - failed.len());
            Ok(if failed.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_PROBLEMS)
            })
        }
        Command::Changes { date } => changes(date.as_deref()).await,
        Command::Sandbox {
            port,
            app_key,
            app_secret,
            ocode,
            token_lifetime,
            empty,
            push_url,
            drift_member_field,
            drift_identity_code,
            drift_error_code,
        } => {
            let options = serve::SandboxOptions {
                port,
                app_key,
                app_secret,
                ocode,
                token_lifetime: Duration::from_secs(token_lifetime),
                empty,
                push_url,
                drift: DriftConfig {
                    member_field: drift_member_field,
                    identity_code: drift_identity_code,
                    error_code: drift_error_code,
                },
            };
            serve::sandbox_command(options).await
        }
        Command::Listen {
            port,
            app_key,
            app_secret,
        } => listen::listen_command(port, app_key, app_secret).await,
    }
}

fn level(strict: bool) -> ValidationLevel {
    if strict {
        ValidationLevel::Strict
    } else {
        ValidationLevel::Default
    }
}

fn open_roster(path: &Path, sheet: Option<&str>) -> Result<RosterFile, Failure> {
    RosterFile::open(path, sheet)
        .map_err(|error| Failure::usage(format!("{}: {error}", path.display())))
}

fn validate(
    path: &Path,
    sheet: Option<&str>,
    strict: bool,
    rejects: Option<&Path>,
) -> Result<ExitCode, Failure> {
    let file = open_roster(path, sheet)?;
    let roster = Roster::load(&file)
        .map_err(|error| Failure::usage(format!("{}: {error}", path.display())))?;
    let level = if strict {
        ValidationLevel::Strict
    } else {
        ValidationLevel::Default
    };
    let mut invalid = Vec::new();
    for row in &roster.rows {
        if let Err(problems) = check_row(&roster, row, level) {
            for problem in &problems {
                say!(
                    "{}:{}: {}: {}",
                    path.display(),
                    row.line,
                    problem.field,
                    problem.message
                );
            }
            invalid.push((row, problems));
        }
    }
    let rows = roster.rows.len();
    eprintln!(
        "{rows} rows ({}): {} valid, {} invalid",
        roster.source,
        rows - invalid.len(),
        invalid.len()
    );
    if let Some(rejects) = rejects {
        write_rejects(rejects, &roster, &invalid)?;
        eprintln!("invalid rows written to {}", rejects.display());
    }
    Ok(if invalid.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_PROBLEMS)
    })
}

/// Writes invalid rows back as CSV for correction: the roster's columns, then the line and the
/// problems. Every cell passes through [`csv_safe`], so nothing in it runs as a formula.
fn write_rejects(
    path: &Path,
    roster: &Roster,
    invalid: &[(
        &generated_example::roster::Row,
        Vec<generated_example::roster::Problem>,
    )],
) -> Result<(), Failure> {
    let failure = |error: &dyn std::fmt::Display| {
        Failure::usage(format!("cannot write {}: {error}", path.display()))
    };
    let file = std::fs::File::create(path).map_err(|e| failure(&e))?;
    let mut out = std::io::BufWriter::new(file);
    std::io::Write::write_all(&mut out, "\u{feff}".as_bytes()).map_err(|e| failure(&e))?;
    let mut writer = csv::Writer::from_writer(out);
    let mut header: Vec<String> = roster
        .headers
        .names()
        .map(|h| csv_safe(h).into_owned())
        .collect();
    header.extend(["行号 line".to_string(), "问题 problems".to_string()]);
    writer.write_record(&header).map_err(|e| failure(&e))?;
    for (row, problems) in invalid {
        let mut record: Vec<String> = row.cells.iter().map(|c| csv_safe(c).into_owned()).collect();
        record.push(row.line.to_string());
        let text: Vec<String> = problems
            .iter()
            .map(|p| format!("{}: {}", p.field, p.message))
            .collect();
        record.push(csv_safe(&text.join("; ")).into_owned());
        writer.write_record(&record).map_err(|e| failure(&e))?;
    }
    writer.flush().map_err(|e| failure(&e))
}

async fn sync_roster(
    path: &Path,
    sheet: Option<&str>,
    options: &SyncOptions,
    report_path: Option<&Path>,
) -> Result<ExitCode, Failure> {
    let file = open_roster(path, sheet)?;
    let (client, _sandbox) = if options.dry_run {
        (offline_client(), None)
    } else {
        connect().await?
    };
    let progress = progress::progress();
    let report = sync_file(&client, &file, options, progress.as_ref())
        .await
        .map_err(|error| match error {
            SyncError::Roster(error) => Failure::usage(format!("{}: {error}", path.display())),
            SyncError::Client(error) => Failure::usage(format!("cannot sync: {error}")),
        })?;
    print_report(path, &report);
    if let Some(report_path) = report_path {
        let json = serde_json::to_string_pretty(&report)
            .map_err(|error| Failure::problems(error.to_string()))?;
        std::fs::write(report_path, json + "\n").map_err(|error| {
            Failure::usage(format!(
                "cannot write the report to {}: {error}",
                report_path.display()
            ))
        })?;
        eprintln!("report written to {}", report_path.display());
    }
    // One rule: any invalid or failed row makes the exit code 1.
    Ok(if report.clean() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_PROBLEMS)
    })
}

fn print_report(path: &Path, report: &SyncReport) {
    let verb = if report.dry_run {
        "would upsert"
    } else {
        "upserted"
    };
    let would = if report.dry_run {
        report.valid
    } else {
        report.upserted
    };
    let not_attempted = report.failed.iter().filter(|row| row.not_attempted).count();
    let not_attempted = if not_attempted > 0 {
        format!(" ({not_attempted} of them not attempted: the API stopped answering)")
    } else {
        String::new()
    };
    say!(
        "{} ({}): {} rows: {verb} {would}, skipped {} as invalid, {} failed{not_attempted} ({:.1} s, {} retries)",
        path.display(),
        report.source,
        report.rows,
        report.skipped_invalid.len(),
        report.failed.len(),
        report.elapsed_ms as f64 / 1000.0,
        report.retries,
    );
    for row in &report.skipped_invalid {
        for problem in &row.problems {
            say!(
                "  skipped {}:{}: {}: {}",
                path.display(),
                row.line,
                problem.field,
                problem.message
            );
        }
    }
    for row in &report.failed {
        say!(
            "  failed {}:{}: {} after {} attempts: {}",
            path.display(),
            row.line,
            row.card_number,
            row.attempts,
            row.reason
        );
    }
    if let Some(verified) = report.verified {
        say!(
            "  read back {verified} upserted members; {} not returned",
            report.unverified.len()
        );
    }
    for card in &report.unverified {
        say!("  not returned: {card}");
    }
    if let Some(error) = &report.verify_error {
        say!("  reading members back failed: {error}");
    }
    if !report.drift.is_empty() {
        say!(
            "  WeCard sent {} things the spec does not know (`wecard-codegen drift REPORT.json` proposes spec edits):",
            report.drift.len()
        );
    }
    for entry in &report.drift {
        say!("  drift: {entry}");
    }
}

async fn changes(date: Option<&str>) -> Result<ExitCode, Failure> {
    let (client, sandbox) = connect().await?;
    let day = match date {
        Some(day) => day.to_string(),
        None => today(sandbox.as_ref().map(|embedded| &embedded.handle)),
    };
    let (start, end) = (
        DateTime::parse(&format!("{day} 00:00:00")),
        DateTime::parse(&format!("{day} 23:59:59")),
    );
    if start.is_none() || end.is_none() {
        return Err(Failure::usage(format!("`{day}` is not a date YYYY-MM-DD")));
    }
    let request = ListUpdateRecordsRequest {
        range_start: start,
        range_end: end,
        page: None,
        page_size: None,
    };
    let records = client
        .list_update_records_pages(request)
        .collect_all()
        .await
        .map_err(api_failure)?;
    print_json(&records)
}

/// Today in Beijing time (the API's zone), from the sandbox's clock when there is one.
fn today(sandbox: Option<&SandboxHandle>) -> String {
    let now = sandbox.and_then(SandboxHandle::now).or_else(|| {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs()
            + 8 * 3600;
        let days = i64::try_from(seconds / 86_400).ok()?;
        let (year, month, day) = generated_example::calendar::civil_from_days(days);
        DateTime::new(u16::try_from(year).ok()?, month, day, 0, 0, 0)
    });
    now.map_or_else(
        || "1970-01-01".into(),
        |at| format!("{:04}-{:02}-{:02}", at.year(), at.month(), at.day()),
    )
}

fn print_json<T: serde::Serialize>(value: &T) -> Result<ExitCode, Failure> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|error| Failure::problems(error.to_string()))?;
    say!("{text}");
    Ok(ExitCode::SUCCESS)
}

/// An API error: refused credentials mean the program could not run (2), anything else is a
/// problem found (1).
fn api_failure(error: generated_example::wecard::client::ClientError) -> Failure {
    if matches!(
        error,
        generated_example::wecard::client::ClientError::Token { .. }
    ) {
        Failure::usage(format!("credentials refused: {error}"))
    } else {
        Failure::problems(error.to_string())
    }
}

/// Checks `WECARD_BASE_URL`: an absolute http or https URL.
fn check_base_url(base_url: &str) -> Result<(), Failure> {
    let refuse = |why: String| {
        Failure::usage(format!(
            "{ENV_BASE_URL} `{base_url}` {why}; give the API's address, such as \
             https://api.example.edu.cn (or unset it and every WECARD_* variable to use the \
             embedded sandbox)"
        ))
    };
    match reqwest::Url::parse(base_url) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(()),
        Ok(url) => Err(refuse(format!(
            "is not an http(s) URL (its scheme is `{}`)",
            url.scheme()
        ))),
        Err(error) => Err(refuse(format!("is not a URL ({error})"))),
    }
}

const ENV_BASE_URL: &str = "WECARD_BASE_URL";
const ENV_APP_KEY: &str = "WECARD_APP_KEY";
const ENV_APP_SECRET: &str = "WECARD_APP_SECRET";
const ENV_OCODE: &str = "WECARD_OCODE";

/// A client from the environment, or on an embedded sandbox when no credential is set (the
/// handle keeps the sandbox alive).
async fn connect() -> Result<(Client, Option<embedded::Embedded>), Failure> {
    let var = |name| {
        std::env::var(name)
            .ok()
            .filter(|value: &String| !value.is_empty())
    };
    let (base_url, key, secret, ocode) = (
        var(ENV_BASE_URL),
        var(ENV_APP_KEY),
        var(ENV_APP_SECRET),
        var(ENV_OCODE),
    );
    if base_url.is_none() && key.is_none() && secret.is_none() && ocode.is_none() {
        let (client, embedded) = embedded::start().await?;
        return Ok((client, Some(embedded)));
    }
    let (Some(key), Some(secret), Some(ocode)) = (key.clone(), secret.clone(), ocode.clone())
    else {
        let missing: Vec<&str> = [
            (ENV_APP_KEY, &key),
            (ENV_APP_SECRET, &secret),
            (ENV_OCODE, &ocode),
        ]
        .into_iter()
        .filter(|(_, value)| value.is_none())
        .map(|(name, _)| name)
        .collect();
        return Err(Failure::usage(format!(
            "incomplete credentials: {} not set (set all of {ENV_APP_KEY}, {ENV_APP_SECRET} and {ENV_OCODE}, or none to use a local sandbox)",
            missing.join(", ")
        )));
    };
    let mut config = ClientConfig::new(key, secret, ocode);
    if let Some(base_url) = base_url {
        check_base_url(&base_url)?;
        config = config.base_url(base_url);
    }
    Ok((Client::new(limits::apply(config)), None))
}

/// A client for a dry run: it is never asked to send anything.
fn offline_client() -> Client {
    Client::new(ClientConfig::new("", "", "").base_url("http://127.0.0.1:9"))
}
