//! The `plan` and `apply` commands: making WeCard match a roster, deletions included, behind the
//! deletion guard, with an audit log.

use std::path::Path;
use std::process::ExitCode;

use generated_example::apply::{ApplyOptions, ApplyReport, apply};
use generated_example::plan::{Guard, Plan, Platform};
use generated_example::roster::Roster;
use generated_example::wecard::ValidationLevel;

use crate::{EXIT_PROBLEMS, Failure, api_failure, connect, open_roster};

/// What `plan` and `apply` read.
pub struct Target<'a> {
    /// The roster (absent when `apply` carries out a saved plan).
    pub roster: Option<&'a Path>,
    /// The workbook's sheet.
    pub sheet: Option<&'a str>,
    /// Which rules rows must pass.
    pub level: ValidationLevel,
}

fn load_roster(path: &Path, sheet: Option<&str>) -> Result<Roster, Failure> {
    let file = open_roster(path, sheet)?;
    Roster::load(&file).map_err(|error| Failure::usage(format!("{}: {error}", path.display())))
}

/// `plan ROSTER [--json FILE]`.
pub async fn plan_command(target: &Target<'_>, json: Option<&Path>) -> Result<ExitCode, Failure> {
    let path = target
        .roster
        .ok_or_else(|| Failure::usage("plan needs a roster"))?;
    let roster = load_roster(path, target.sheet)?;
    let (client, _sandbox) = connect().await?;
    let platform = Platform::read(&client).await.map_err(api_failure)?;
    let plan = Plan::make(&roster, &platform, target.level);
    print_plan(path, &plan, platform.members.len());
    if let Err(refusal) = (Guard { allowed: 0 }).check(&plan) {
        say!("apply would refuse this plan: {refusal}");
    }
    if let Some(json) = json {
        let text = serde_json::to_string_pretty(&plan)
            .map_err(|error| Failure::problems(error.to_string()))?;
        std::fs::write(json, text + "\n").map_err(|error| {
            Failure::usage(format!(
                "cannot write the plan to {}: {error}",
                json.display()
            ))
        })?;
        eprintln!("plan written to {}", json.display());
    }
    Ok(if plan.invalid.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_PROBLEMS)
    })
}

/// `apply ROSTER | --plan FILE [--allow-deletes N]`.
pub async fn apply_command(
    target: &Target<'_>,
    saved: Option<&Path>,
    allow_deletes: usize,
    options: &ApplyOptions,
) -> Result<ExitCode, Failure> {
    let saved_plan = match saved {
        Some(saved) => {
            let text = std::fs::read_to_string(saved).map_err(|error| {
                Failure::usage(format!(
                    "{}: cannot read the plan: {error}",
                    saved.display()
                ))
            })?;
            let plan: Plan = serde_json::from_str(&text).map_err(|error| {
                Failure::usage(format!(
                    "{}: not a plan written by `plan --json` ({error})",
                    saved.display()
                ))
            })?;
            Some(plan)
        }
        None => None,
    };
    let roster = match target.roster {
        Some(path) if saved_plan.is_none() => Some(load_roster(path, target.sheet)?),
        _ => None,
    };
    let (client, _sandbox) = connect().await?;
    let platform = Platform::read(&client).await.map_err(api_failure)?;
    let (label, plan) = match (saved_plan, roster, target.roster) {
        (Some(plan), _, _) => {
            plan.check_platform(&platform).map_err(Failure::problems)?;
            (saved.map(Path::to_path_buf).unwrap_or_default(), plan)
        }
        (None, Some(roster), Some(path)) => (
            path.to_path_buf(),
            Plan::make(&roster, &platform, target.level),
        ),
        _ => return Err(Failure::usage("apply needs a roster or --plan FILE")),
    };
    print_plan(&label, &plan, platform.members.len());
    (Guard {
        allowed: allow_deletes,
    })
    .check(&plan)
    .map_err(Failure::problems)?;
    let progress = crate::progress::progress();
    let report = apply(&client, &plan, options, progress.as_ref())
        .await
        .map_err(|error| Failure::usage(format!("cannot apply: {error}")))?;
    print_apply_report(&report, &options.audit);
    Ok(if report.failed.is_empty() && plan.invalid.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_PROBLEMS)
    })
}

fn print_plan(label: &Path, plan: &Plan, members: usize) {
    say!(
        "{} ({}) against {members} members on the platform ({} in scope: {}):",
        label.display(),
        plan.source,
        plan.in_scope,
        if plan.scope.is_empty() {
            "none".to_string()
        } else {
            plan.scope.join("/")
        }
    );
    say!(
        "  create {}, update {}, unchanged {}, delete {}, invalid rows {}",
        plan.create.len(),
        plan.update.len(),
        plan.unchanged,
        plan.delete.len(),
        plan.invalid.len()
    );
    for create in &plan.create {
        say!(
            "  + create {} {} (line {})",
            create.card_number,
            create.request.name,
            create.line
        );
    }
    for update in &plan.update {
        let fields: Vec<String> = update
            .changes
            .iter()
            .map(|change| format!("{}: {:?} -> {:?}", change.field, change.old, change.new))
            .collect();
        say!(
            "  ~ update {} (line {}): {}",
            update.card_number,
            update.line,
            fields.join(", ")
        );
    }
    for deletion in &plan.delete {
        say!("  - delete {} {}", deletion.card_number, deletion.name);
    }
    for invalid in &plan.invalid {
        for problem in &invalid.problems {
            say!(
                "  ! invalid line {}: {}: {} (not sent; never a reason to delete)",
                invalid.line,
                problem.field,
                problem.message
            );
        }
    }
}

fn print_apply_report(report: &ApplyReport, audit: &Path) {
    say!(
        "applied: created {}, updated {}, deleted {}, failed {} ({:.1} s, {} retries){}",
        report.created,
        report.updated,
        report.deleted,
        report.failed.len(),
        report.elapsed_ms as f64 / 1000.0,
        report.retries,
        if report.settled > 0 {
            format!(
                "; {} changes of an interrupted run found done",
                report.settled
            )
        } else {
            String::new()
        }
    );
    for failed in &report.failed {
        say!(
            "  failed {:?} {}: {}",
            failed.action,
            failed.card_number,
            failed.reason
        );
    }
    eprintln!("audit log: {}", audit.display());
}
