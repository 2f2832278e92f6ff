//! `plan` and `apply` against the sandbox: deletions of leavers only within the roster's identity
//! types, the deletion guard, updates field by field, saved plans refused when the platform
//! changed, and runs killed at random points that a rerun finishes with every change logged once.

// A test fails by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::Duration;

use generated_example::apply::{Action, ApplyOptions, Outcome, apply, read_audit};
use generated_example::plan::{Guard, Plan, Platform};
use generated_example::roster::Roster;
use generated_example::sandbox::{
    self, AppConfig, Fault, FaultRule, SandboxConfig, SandboxHandle, SchoolConfig,
};
use generated_example::sync::{Silent, SyncOptions, sync};
use generated_example::wecard::client::{Client, ClientConfig};
use generated_example::wecard::{CreateUserRequest, ValidationLevel};

const SCHOOL: &str = "plan-school";

fn sample_lines() -> (String, Vec<String>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated-example/data/roster.csv");
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text
        .trim_start_matches('\u{feff}')
        .lines()
        .map(str::to_string);
    let header = lines.next().unwrap();
    (header, lines.collect())
}

fn roster_of(header: &str, lines: &[String]) -> Roster {
    let text = format!("{header}\n{}\n", lines.join("\n"));
    Roster::parse(text.as_bytes()).unwrap()
}

/// A sandbox with three staff members and the sample roster synced.
async fn synced() -> (SandboxHandle, Client) {
    let config = SandboxConfig::new()
        .school(SchoolConfig::new(SCHOOL, "大学"))
        .app(AppConfig::new("app", "secret").enable(SCHOOL));
    let sandbox = sandbox::start(config).await.unwrap();
    for i in 0..3 {
        sandbox
            .upsert_user(
                SCHOOL,
                CreateUserRequest {
                    card_number: format!("T{i:04}"),
                    name: format!("老师{i}"),
                    identity_type: "教职工".into(),
                    identity_title: "讲师".into(),
                    organization: "信息科学与技术学院".into(),
                    ..CreateUserRequest::default()
                },
            )
            .unwrap();
    }
    let client = Client::new(ClientConfig::new("app", "secret", SCHOOL).base_url(sandbox.url()));
    let (header, lines) = sample_lines();
    let report = sync(
        &client,
        &roster_of(&header, &lines),
        &SyncOptions::default(),
        &Silent,
    )
    .await
    .unwrap();
    assert_eq!(report.upserted, 230);
    (sandbox, client)
}

/// The valid sample lines (their card numbers are on the platform after `synced`).
fn valid_lines() -> (String, Vec<String>) {
    let (header, lines) = sample_lines();
    let roster = roster_of(&header, &lines);
    let valid: Vec<String> = lines
        .into_iter()
        .zip(&roster.rows)
        .filter(|(_, row)| {
            generated_example::roster::check_row(&roster, row, ValidationLevel::Default).is_ok()
        })
        .map(|(line, _)| line)
        .collect();
    (header, valid)
}

fn card_of(line: &str) -> String {
    line.split(',').next().unwrap().to_string()
}

fn cards_on(sandbox: &SandboxHandle) -> BTreeSet<String> {
    sandbox
        .users(SCHOOL)
        .into_iter()
        .map(|m| m.card_number)
        .collect()
}

async fn plan_for(client: &Client, roster: &Roster) -> Plan {
    let platform = Platform::read(client).await.unwrap();
    Plan::make(roster, &platform, ValidationLevel::Default)
}

fn options(dir: &Path) -> ApplyOptions {
    ApplyOptions {
        backoff: Duration::from_millis(1),
        ..ApplyOptions::new(dir.join("audit.jsonl"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_leavers_are_planned_and_deleted_and_staff_never() {
    let (sandbox, client) = synced().await;
    let (header, valid) = valid_lines();
    let leavers: BTreeSet<String> = valid[100..120].iter().map(|l| card_of(l)).collect();
    let mut staying = valid.clone();
    staying.drain(100..120);
    // The invalid rows stay in the roster: they must not cause deletions.
    let (_, all) = sample_lines();
    let invalid: Vec<String> = all.iter().filter(|l| !valid.contains(l)).cloned().collect();
    staying.extend(invalid);
    // A member on the platform whose row is now invalid (its name erased) is neither updated
    // nor deleted.
    let broken_card = card_of(&staying[0]);
    let mut fields: Vec<String> = staying[0].split(',').map(str::to_string).collect();
    fields[1].clear();
    staying[0] = fields.join(",");
    let roster = roster_of(&header, &staying);
    let plan = plan_for(&client, &roster).await;
    let planned: BTreeSet<String> = plan.delete.iter().map(|d| d.card_number.clone()).collect();
    assert_eq!(planned, leavers);
    assert!(!planned.contains(&broken_card));
    assert_eq!(plan.scope, ["学生"]);
    assert_eq!(plan.in_scope, 230);
    assert_eq!((plan.create.len(), plan.update.len()), (0, 0));
    assert_eq!(plan.unchanged, 209);
    assert_eq!(plan.invalid.len(), 7);
    assert!(
        plan.invalid
            .iter()
            .any(|row| row.card_number == broken_card)
    );
    Guard { allowed: 0 }.check(&plan).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let report = apply(&client, &plan, &options(dir.path()), &Silent)
        .await
        .unwrap();
    assert_eq!(report.deleted, 20);
    assert!(report.failed.is_empty());
    let left = cards_on(&sandbox);
    assert!(leavers.iter().all(|card| !left.contains(card)));
    assert_eq!(left.len(), 210 + 3, "students and the three staff");
    assert!(left.contains(&broken_card));
    assert!(left.contains("T0000"));
    // Nothing is left to do.
    assert!(plan_for(&client, &roster).await.is_empty());
    // The audit log has every deletion, done, and no credential.
    let audit = std::fs::read_to_string(dir.path().join("audit.jsonl")).unwrap();
    assert!(
        !audit.contains("secret") && !audit.contains("sbx"),
        "{audit}"
    );
    let done = read_audit(&dir.path().join("audit.jsonl"))
        .unwrap()
        .into_iter()
        .filter(|e| e.outcome == Outcome::Done && e.action == Action::Delete)
        .count();
    assert_eq!(done, 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_roster_of_five_is_refused_until_deletions_are_allowed() {
    let (sandbox, client) = synced().await;
    let (header, valid) = valid_lines();
    let roster = roster_of(&header, &valid[..5]);
    let plan = plan_for(&client, &roster).await;
    assert_eq!(plan.delete.len(), 225);
    let refusal = Guard { allowed: 0 }.check(&plan).unwrap_err();
    assert!(
        refusal.contains("225 members") && refusal.contains("--allow-deletes 225"),
        "{refusal}"
    );
    assert!(Guard { allowed: 224 }.check(&plan).is_err());
    assert_eq!(cards_on(&sandbox).len(), 233, "nothing changed");
    Guard { allowed: 225 }.check(&plan).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let report = apply(&client, &plan, &options(dir.path()), &Silent)
        .await
        .unwrap();
    assert_eq!(report.deleted, 225);
    assert_eq!(cards_on(&sandbox).len(), 5 + 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn updates_show_their_fields_and_a_changed_platform_refuses_a_saved_plan() {
    let (sandbox, client) = synced().await;
    let (header, mut valid) = valid_lines();
    let card = card_of(&valid[0]);
    let old = sandbox.user(SCHOOL, &card).unwrap();
    let fields: Vec<String> = valid[0].split(',').map(str::to_string).collect();
    let mut changed = fields.clone();
    changed[8] = "13800000000".into(); // 手机号
    changed[15] = "信息科学与技术学院/新专业/新班".into(); // 组织架构
    valid[0] = changed.join(",");
    valid.push(
        "20990000001,新同学,男,2099,信息科学与技术学院,,,,,,,,,,2099,信息科学与技术学院/新专业/新班"
            .to_string(),
    );
    let roster = roster_of(&header, &valid);
    let plan = plan_for(&client, &roster).await;
    assert_eq!(plan.create.len(), 1);
    assert_eq!(plan.update.len(), 1);
    let update = &plan.update[0];
    assert_eq!(update.card_number, card);
    let shown: Vec<(&str, &str, &str)> = update
        .changes
        .iter()
        .map(|c| (c.field.as_str(), c.old.as_str(), c.new.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            (
                "telephone",
                old.telephone.as_deref().unwrap(),
                "13800000000"
            ),
            (
                "organization",
                fields[15].as_str(),
                "信息科学与技术学院/新专业/新班"
            ),
        ]
    );
    // The plan survives JSON; the platform then changes; the saved plan is refused.
    let saved: Plan = serde_json::from_str(&serde_json::to_string(&plan).unwrap()).unwrap();
    assert_eq!(saved, plan);
    let platform = Platform::read(&client).await.unwrap();
    saved.check_platform(&platform).unwrap();
    sandbox
        .upsert_user(
            SCHOOL,
            CreateUserRequest {
                card_number: card_of(&valid[1]),
                name: "改名".into(),
                identity_type: "学生".into(),
                identity_title: "本科生".into(),
                organization: "信息科学与技术学院".into(),
                ..CreateUserRequest::default()
            },
        )
        .unwrap();
    let platform = Platform::read(&client).await.unwrap();
    let refusal = saved.check_platform(&platform).unwrap_err();
    assert!(
        refusal.contains("has changed since this plan was made"),
        "{refusal}"
    );
}

/// A small deterministic generator for the abort points.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_killed_at_random_points_are_finished_by_a_rerun_with_each_change_logged_once() {
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let (mut kills_in_all, mut settled_in_all) = (0, 0);
    for round in 0..4 {
        let (sandbox, client) = synced().await;
        let (header, mut valid) = valid_lines();
        // 20 leavers, 10 changed phones, 15 newcomers.
        valid.drain(200..220);
        for line in &mut valid[..10] {
            let mut fields: Vec<String> = line.split(',').map(str::to_string).collect();
            fields[8] = format!("1390000{:04}", fields[0].len() + round);
            *line = fields.join(",");
        }
        for i in 0..15 {
            valid.push(format!(
                "2099{round}{i:06},新同学{i},女,2099,外语学院,,,,,,,,,,2099,外语学院/英语/英语991班"
            ));
        }
        let roster = roster_of(&header, &valid);
        let first = plan_for(&client, &roster).await;
        let expected: BTreeSet<(String, Action)> = first
            .create
            .iter()
            .map(|u| (u.card_number.clone(), Action::Create))
            .chain(
                first
                    .update
                    .iter()
                    .map(|u| (u.card_number.clone(), Action::Update)),
            )
            .chain(
                first
                    .delete
                    .iter()
                    .map(|d| (d.card_number.clone(), Action::Delete)),
            )
            .collect();
        assert_eq!(expected.len(), 45);
        // Every request takes a little while, so aborts land mid-run.
        sandbox.inject(FaultRule::with_probability(
            1.0,
            round as u64,
            Fault::Latency(Duration::from_millis(5)),
        ));
        let dir = tempfile::tempdir().unwrap();
        let options = ApplyOptions {
            concurrency: 4,
            delete_batch: 7,
            ..options(dir.path())
        };
        let mut kills = 0;
        // Rerun until a run that was not killed finds nothing left to do (that run also settles
        // what the last killed one left in flight).
        loop {
            let plan = plan_for(&client, &roster).await;
            let nothing_left = plan.is_empty();
            let run = {
                let client = client.clone();
                let options = options.clone();
                tokio::spawn(async move { apply(&client, &plan, &options, &Silent).await })
            };
            if kills < 3 && !nothing_left {
                let after = Duration::from_millis(2 + next(&mut seed) % 25);
                tokio::time::sleep(after).await;
                run.abort();
                if run.await.is_err() {
                    kills += 1;
                }
                continue;
            }
            let report = run.await.unwrap().unwrap();
            assert!(report.failed.is_empty(), "{:?}", report.failed);
            if nothing_left {
                break;
            }
        }
        sandbox.clear_faults();
        // The platform is exactly as planned.
        let mut want: BTreeSet<String> = valid.iter().map(|l| card_of(l)).collect();
        want.extend((0..3).map(|i| format!("T{i:04}")));
        assert_eq!(cards_on(&sandbox), want, "round {round}");
        assert!(plan_for(&client, &roster).await.is_empty());
        // Every change is logged done exactly once, and nothing else is.
        let mut done: BTreeMap<(String, Action), usize> = BTreeMap::new();
        // A whole run takes over 50 ms (45 changes, 5 ms each, 4 at a time), so at least the
        // first abort of each round lands mid-run.
        assert!(kills >= 1, "round {round}");
        kills_in_all += kills;
        for entry in read_audit(&options.audit).unwrap() {
            if entry
                .note
                .as_deref()
                .is_some_and(|n| n.contains("run was killed"))
            {
                settled_in_all += 1;
            }
            if entry.outcome == Outcome::Done {
                *done.entry((entry.card_number, entry.action)).or_default() += 1;
            }
        }
        assert_eq!(
            done.keys().cloned().collect::<BTreeSet<_>>(),
            expected,
            "round {round}"
        );
        assert!(done.values().all(|n| *n == 1), "round {round}: {done:?}");
    }
    // The aborts did land mid-run, leaving changes in flight for the reruns to settle.
    assert!(kills_in_all >= 4, "{kills_in_all} kills");
    assert!(settled_in_all > 0);
}
