//! Planning a 50,000-row roster against 50,000 members of the loopback sandbox (reading every
//! page of members and organisations, then comparing), and applying a plan at concurrency 8.
//!
//! Before criterion runs, one plan is made with the process's peak resident memory reset
//! (`/proc/self/clear_refs`), so the peak printed is that of planning on top of what the roster
//! and the sandbox already hold; the apply throughput is printed from one timed run too.

// A benchmark fails by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use generated_example::apply::{ApplyOptions, apply};
use generated_example::plan::{Plan, Platform};
use generated_example::roster::Roster;
use generated_example::sync::Silent;
use generated_example::wecard::client::Client;
use generated_example::wecard::{CreateUserRequest, ValidationLevel};

mod common;

const MEMBERS: usize = 50_000;
const APPLIED: usize = 2_000;

/// Member `i` as the platform holds it.
fn member(i: usize) -> CreateUserRequest {
    CreateUserRequest {
        card_number: format!("2024{i:07}"),
        name: format!("学生{i:05}"),
        gender: Some(if i.is_multiple_of(2) { "男" } else { "女" }.into()),
        telephone: Some(format!("139{i:08}")),
        identity_type: "学生".into(),
        identity_title: "本科生".into(),
        organization: format!("学院{}/专业{}/班{}", i % 8, i % 40, i % 200),
        ..CreateUserRequest::default()
    }
}

/// The roster: the same 50,000 students, one in ten with a new phone number, one in twenty
/// replaced by a newcomer (so the plan has creates, updates, unchanged rows and deletions).
fn roster() -> Roster {
    let mut csv = String::from("学号,姓名,性别,手机号,组织架构\n");
    for i in 0..MEMBERS {
        let m = member(i);
        let card = if i % 20 == 7 {
            format!("2099{i:07}")
        } else {
            m.card_number
        };
        let phone = if i % 10 == 3 {
            format!("137{i:08}")
        } else {
            m.telephone.unwrap_or_default()
        };
        csv.push_str(&format!(
            "{card},{},{},{phone},{}\n",
            m.name,
            m.gender.unwrap_or_default(),
            m.organization
        ));
    }
    Roster::parse(csv.as_bytes()).unwrap()
}

/// The process's peak resident memory since the last reset, in MiB (Linux).
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn plan_and_apply(c: &mut Criterion) {
    let (runtime, sandbox, config) = common::runtime_and_sandbox();
    let (_, _, school) = common::APP;
    for i in 0..MEMBERS {
        sandbox.upsert_user(school, member(i)).unwrap();
    }
    let client = Client::new(config);
    let roster = roster();

    // One plan, measured: time and the peak memory planning adds.
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let before = peak_mib();
    let started = Instant::now();
    let plan = runtime.block_on(async {
        let platform = Platform::read(&client).await.unwrap();
        Plan::make(&roster, &platform, ValidationLevel::Default)
    });
    let took = started.elapsed();
    let peak = peak_mib();
    assert_eq!(plan.delete.len(), MEMBERS / 20);
    assert_eq!(plan.create.len(), MEMBERS / 20);
    println!(
        "plan of {MEMBERS} rows against {MEMBERS} members: {:.2} s; create {}, update {}, unchanged {}, delete {}",
        took.as_secs_f64(),
        plan.create.len(),
        plan.update.len(),
        plan.unchanged,
        plan.delete.len()
    );
    match (reset, before, peak) {
        (true, Some(before), Some(peak)) => println!(
            "peak resident memory while planning: {peak:.0} MiB (the process held {before:.0} MiB before: roster and sandbox)"
        ),
        _ => println!("peak resident memory: unavailable on this system"),
    }

    // Apply throughput at concurrency 8: the first APPLIED updates of the plan, applied again
    // and again (each is an upsert, so every run does the same work).
    let mut applied = plan.clone();
    applied.update.truncate(APPLIED);
    applied.create.clear();
    applied.delete.clear();
    let dir = tempfile::tempdir().unwrap();
    let options = ApplyOptions {
        concurrency: 8,
        ..ApplyOptions::new(dir.path().join("audit.jsonl"))
    };
    let started = Instant::now();
    let report = runtime
        .block_on(apply(&client, &applied, &options, &Silent))
        .unwrap();
    assert_eq!(report.updated, APPLIED);
    println!(
        "apply at concurrency 8: {APPLIED} updates in {:.2} s ({:.0} changes/s)",
        started.elapsed().as_secs_f64(),
        APPLIED as f64 / started.elapsed().as_secs_f64()
    );

    let mut group = c.benchmark_group("plan");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(MEMBERS as u64));
    group.bench_function("50k_roster_vs_50k_members", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let platform = Platform::read(&client).await.unwrap();
                Plan::make(&roster, &platform, ValidationLevel::Default)
            })
        })
    });
    group.finish();

    let mut group = c.benchmark_group("apply");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(APPLIED as u64));
    group.bench_function("concurrency_8", |b| {
        b.iter(|| {
            runtime
                .block_on(apply(&client, &applied, &options, &Silent))
                .unwrap()
        })
    });
    group.finish();
    drop(sandbox);
}

criterion_group!(benches, plan_and_apply);
criterion_main!(benches);
