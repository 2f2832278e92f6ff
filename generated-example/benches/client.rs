//! Client overhead: upserts through the generated client against the same upserts sent as raw
//! reqwest calls with the same bodies, both against the local sandbox, measured side by side in
//! one run. The client does more per call (validation, token lookup, envelope check, typed
//! decode); this shows what that costs next to the HTTP exchange itself.

// A benchmark fails by panicking.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use generated_example::wecard::CreateUserRequest;
use generated_example::wecard::client::Client;

mod common;

const UPSERTS: usize = 50;

fn requests() -> Vec<CreateUserRequest> {
    let seed = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/data/seed_create_user_request.json"
    ))
    .unwrap();
    let seed: CreateUserRequest = serde_json::from_str(&seed).unwrap();
    (0..UPSERTS)
        .map(|i| CreateUserRequest {
            card_number: format!("bench{i:05}"),
            ..seed.clone()
        })
        .collect()
}

fn client_overhead(c: &mut Criterion) {
    let (runtime, sandbox, config) = common::runtime_and_sandbox();
    let client = Client::new(config);
    let requests = requests();
    let bodies: Vec<Vec<u8>> = requests
        .iter()
        .map(|r| serde_json::to_vec(r).unwrap())
        .collect();
    let http = reqwest::Client::new();
    let token = runtime.block_on(client.access_token()).unwrap();
    let raw_url = format!(
        "{}/cgi-bin/user/manage/create?access_token={}",
        sandbox.url(),
        token.expose()
    );

    let mut group = c.benchmark_group("upsert");
    group.throughput(Throughput::Elements(UPSERTS as u64));
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(8));
    group.bench_function(BenchmarkId::new("generated_client", UPSERTS), |b| {
        b.iter(|| {
            runtime.block_on(async {
                for request in &requests {
                    client.create_user(request).await.unwrap();
                }
            })
        })
    });
    group.bench_function(BenchmarkId::new("raw_reqwest", UPSERTS), |b| {
        b.iter(|| {
            runtime.block_on(async {
                for body in &bodies {
                    let response = http
                        .post(&raw_url)
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await
                        .unwrap();
                    let reply: serde_json::Value =
                        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap();
                    assert_eq!(reply["errcode"], 0);
                }
            })
        })
    });
    group.finish();
    drop(sandbox);
}

criterion_group!(benches, client_overhead);
criterion_main!(benches);
