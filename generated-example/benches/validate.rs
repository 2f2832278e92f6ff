//! How long the generated validator takes on a valid `CreateUserRequest`, and how many heap
//! allocations it makes (none, for a valid request: `validate_into` only allocates to report a
//! violation).
//!
//! Allocations are counted by `stats_alloc`'s instrumented system allocator, installed as this
//! binary's global allocator. The crate does the `unsafe impl GlobalAlloc` itself, so this file
//! needs no unsafe code and the workspace's `unsafe_code = "forbid"` stands.
//!
//! Run with `cargo bench -p generated-example --bench validate`.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "a benchmark whose input is broken can only stop"
)]

use std::alloc::System;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use generated_example::wecard::{CreateUserRequest, ValidationLevel};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Calls over which allocations are counted.
const CALLS: usize = 10_000;

/// The seed 000 request example, as `tests/data` keeps it.
fn seed_json() -> serde_json::Value {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/seed_create_user_request.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", path.display()));
    serde_json::from_str(&text).expect("the seed request is JSON")
}

fn request(json: serde_json::Value) -> CreateUserRequest {
    serde_json::from_value(json).expect("the seed request deserialises")
}

/// The seed request: valid at the default level (its telephone and ID card are masked).
fn seed_request() -> CreateUserRequest {
    let request = request(seed_json());
    if let Err(errors) = request.validate() {
        panic!("the seed request should be valid: {errors:?}");
    }
    request
}

/// The seed request with a real-looking telephone and resident ID number: valid when strict too.
fn strict_request() -> CreateUserRequest {
    let mut json = seed_json();
    json["telephone"] = "13712345678".into();
    json["id_card"] = "11010519491231002X".into();
    json["card_type"] = "1".into();
    let request = request(json);
    if let Err(errors) = request.validate_with(ValidationLevel::Strict) {
        panic!("the strict request should be valid when strict: {errors:?}");
    }
    request
}

/// Heap allocations (reallocations included) made by [`CALLS`] calls of `f`.
fn allocations(mut f: impl FnMut()) -> usize {
    let region = Region::new(GLOBAL);
    for _ in 0..CALLS {
        f();
    }
    let change = region.change();
    change.allocations + change.reallocations
}

/// Counts the allocations of both validations before criterion runs, and fails if there are any.
fn count_allocations(seed: &CreateUserRequest, strict: &CreateUserRequest) {
    let default = allocations(|| {
        let _ = black_box(black_box(seed).validate());
    });
    let strict_level = allocations(|| {
        let _ = black_box(black_box(strict).validate_with(ValidationLevel::Strict));
    });
    println!(
        "allocations per validate(): {} ({default} in {CALLS} calls)",
        default as f64 / CALLS as f64
    );
    println!(
        "allocations per validate_with(Strict): {} ({strict_level} in {CALLS} calls)",
        strict_level as f64 / CALLS as f64
    );
    // The counter itself must work: reporting a violation allocates.
    let mut invalid = seed.clone();
    invalid.name.clear();
    let reporting = allocations(|| {
        let _ = black_box(black_box(&invalid).validate());
    });
    println!(
        "allocations per validate() reporting one violation: {}",
        reporting as f64 / CALLS as f64
    );
    assert!(reporting > 0, "the allocation counter counts nothing");
    assert_eq!(default, 0, "validate() allocates on a valid request");
    assert_eq!(
        strict_level, 0,
        "validate_with(Strict) allocates on a valid request"
    );
}

fn benches(c: &mut Criterion) {
    let seed = seed_request();
    let strict = strict_request();
    count_allocations(&seed, &strict);

    let mut group = c.benchmark_group("create_user_request");
    group.sample_size(20);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("validate", |b| b.iter(|| black_box(&seed).validate()));
    group.bench_function("validate_with_strict", |b| {
        b.iter(|| black_box(&strict).validate_with(ValidationLevel::Strict))
    });
    group.finish();
}

criterion_group!(validate_benches, benches);
criterion_main!(validate_benches);
