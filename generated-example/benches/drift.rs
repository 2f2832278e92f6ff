//! What noticing drift costs a reply: decoding a page of 100 members alone, then decoding it
//! and walking it for drift (what the client does after every successful call), for a reply
//! the spec describes and for one where every member carries an unknown field; and the walk
//! alone.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use generated_example::wecard::SearchUsersResponse;
use serde_json::{Value, json};
use wecard_runtime::client::{Findings, Observe, Place};

const MEMBERS: usize = 100;

fn page(extra: bool) -> Vec<u8> {
    let members: Vec<Value> = (0..MEMBERS)
        .map(|n| {
            let mut member = json!({
                "card_number": format!("2021{n:07}"), "name": "郭伟", "identity_type": "2",
                "grade": "2021", "college": "信息科学与技术学院", "profession": "计算机科学与技术",
                "class": "计算机科学与技术211班", "gender": 2, "organization": [2, 222, 496],
                "role": [1], "campus": "南校区", "dorm_number": "C栋413"
            });
            if extra {
                member["nickname"] = json!("小明");
            }
            member
        })
        .collect();
    json!({"errcode": 0, "errmsg": "ok", "userlist": members})
        .to_string()
        .into_bytes()
}

fn decode_and_observe(body: &[u8]) -> (SearchUsersResponse, bool) {
    let reply: SearchUsersResponse = serde_json::from_slice(body).unwrap_or_else(|_| {
        // The bodies are built above and always decode.
        std::process::abort()
    });
    let mut found = Findings::new();
    reply.observe(Place::ROOT, &mut found);
    let drifted = !found.is_empty();
    (reply, drifted)
}

fn drift(c: &mut Criterion) {
    let clean = page(false);
    let drifting = page(true);
    let mut group = c.benchmark_group("reply_100_members");
    group.throughput(Throughput::Elements(MEMBERS as u64));
    group.bench_function("decode", |b| {
        b.iter(|| serde_json::from_slice::<SearchUsersResponse>(black_box(&clean)).ok())
    });
    group.bench_function("decode_and_observe", |b| {
        b.iter(|| decode_and_observe(black_box(&clean)))
    });
    group.bench_function("decode_drifting", |b| {
        b.iter(|| serde_json::from_slice::<SearchUsersResponse>(black_box(&drifting)).ok())
    });
    group.bench_function("decode_and_observe_drifting", |b| {
        b.iter(|| decode_and_observe(black_box(&drifting)))
    });
    // The walk alone, on replies decoded once: what the client adds to a call.
    let (clean_reply, _) = decode_and_observe(&clean);
    let (drifting_reply, _) = decode_and_observe(&drifting);
    group.bench_function("observe_only", |b| {
        b.iter(|| {
            let mut found = Findings::new();
            black_box(&clean_reply).observe(Place::ROOT, &mut found);
            found.is_empty()
        })
    });
    group.bench_function("observe_only_drifting", |b| {
        b.iter(|| {
            let mut found = Findings::new();
            black_box(&drifting_reply).observe(Place::ROOT, &mut found);
            found.into_entries()
        })
    });
    group.finish();
}

criterion_group!(benches, drift);
criterion_main!(benches);
