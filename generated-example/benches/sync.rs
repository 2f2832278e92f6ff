//! Roster sync throughput against the local sandbox at concurrency 1, 8 and 32, and where the
//! time goes: before criterion runs, one sync at concurrency 1 is timed with a transport that
//! clocks every HTTP exchange, splitting wall time into waiting on the server (the exchange,
//! including the sandbox's own work) and our code (reading the roster, validation, conversion,
//! serialization, the token cache, bookkeeping).

// A benchmark fails by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use generated_example::roster::Roster;
use generated_example::sync::{Silent, SyncOptions, sync};
use generated_example::wecard::client::{Client, ReqwestTransport, Transport, TransportFuture};

mod common;

/// The default transport, with the time spent in exchanges added up.
#[derive(Clone, Default)]
struct Timed {
    inner: ReqwestTransport,
    waiting_ns: Arc<AtomicU64>,
}

impl Transport for Timed {
    fn post<'a>(&'a self, url: &'a str, body: Vec<u8>, timeout: Duration) -> TransportFuture<'a> {
        Box::pin(async move {
            let started = Instant::now();
            let reply = self.inner.post(url, body, timeout).await;
            let spent = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
            self.waiting_ns.fetch_add(spent, Ordering::Relaxed);
            reply
        })
    }
}

fn roster() -> Roster {
    Roster::read(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/roster.csv"
    )))
    .unwrap()
}

fn sync_throughput(c: &mut Criterion) {
    let (runtime, sandbox, config) = common::runtime_and_sandbox();
    let timed = Timed::default();
    let waiting = Arc::clone(&timed.waiting_ns);
    let client = Client::with_transport(config, timed);
    let roster = roster();
    let valid = 230;

    // Where the time goes, at concurrency 1 (no overlap to untangle), over a few runs.
    let options = SyncOptions {
        concurrency: 1,
        ..SyncOptions::default()
    };
    runtime
        .block_on(sync(&client, &roster, &options, &Silent))
        .unwrap();
    waiting.store(0, Ordering::Relaxed);
    let started = Instant::now();
    for _ in 0..5 {
        let report = runtime
            .block_on(sync(&client, &roster, &options, &Silent))
            .unwrap();
        assert_eq!(report.upserted, valid);
    }
    let wall = started.elapsed().as_nanos() as f64;
    let waited = waiting.load(Ordering::Relaxed) as f64;
    println!(
        "time split at concurrency 1: {:.1}% waiting on the server (HTTP exchange), {:.1}% in our code ({:.0} rows/s)",
        100.0 * waited / wall,
        100.0 * (1.0 - waited / wall),
        5.0 * valid as f64 / (wall / 1e9)
    );

    let mut group = c.benchmark_group("sync_roster");
    group.throughput(Throughput::Elements(valid as u64));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(6));
    for concurrency in [1usize, 8, 32] {
        let options = SyncOptions {
            concurrency,
            ..SyncOptions::default()
        };
        group.bench_with_input(
            BenchmarkId::new("concurrency", concurrency),
            &options,
            |b, options| {
                b.iter(|| {
                    let report = runtime
                        .block_on(sync(&client, &roster, options, &Silent))
                        .unwrap();
                    assert_eq!(report.upserted, valid);
                })
            },
        );
    }
    group.finish();
    drop(sandbox);
}

criterion_group!(benches, sync_throughput);
criterion_main!(benches);
