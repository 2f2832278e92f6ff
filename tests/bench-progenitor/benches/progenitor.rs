//! Our generator against progenitor and typify, in one criterion group, at 1x, 10x and 100x the
//! bundled spec.
//!
//! Per size, four benchmarks with the same parameter:
//!
//! - `ours_types`: load our spec and generate the types (`wecard_codegen::load_str` +
//!   `emit::rust::generate`);
//! - `ours_client`: the same with the client (on one thread per core, the default);
//! - `ours_client_one_thread`: the same on one thread;
//! - `typify_types`: parse the OpenAPI 3.0 export's schemas and generate the types with typify;
//! - `progenitor_client`: parse the OpenAPI 3.0 export and generate the client and its types with
//!   progenitor.
//!
//! All four include formatting the output. The OpenAPI export is made once, outside the timing:
//! it is the input progenitor is given, as our YAML is ours.
//!
//! Run with `cargo bench -p wecard-bench-progenitor --features progenitor`; the ratios are
//! ours / theirs from the `estimates.json` files criterion writes under
//! `target/criterion/vs_progenitor/`.

#![allow(
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    reason = "a benchmark whose input is broken can only stop; criterion's macros make items"
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use wecard_bench_progenitor::{Input, ours, progenitor, typify};

const FACTORS: [usize; 3] = [1, 10, 100];

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("vs_progenitor");
    group.warm_up_time(Duration::from_secs(1));
    for factor in FACTORS {
        let input = Input::new(factor).unwrap_or_else(|error| panic!("{error}"));
        // Size the measurement from one run of the slowest, so 100x stays a few minutes.
        let started = Instant::now();
        progenitor(&input.openapi).unwrap_or_else(|error| panic!("{error}"));
        ours(&input.spec, true, 0).unwrap_or_else(|error| panic!("{error}"));
        let once = started.elapsed();
        if once > Duration::from_millis(100) {
            group.sampling_mode(SamplingMode::Flat);
            group.sample_size(10);
            group.measurement_time(once.mul_f64(10.0 * 1.2).max(Duration::from_secs(3)));
        } else {
            group.sampling_mode(SamplingMode::Auto);
            group.sample_size(20);
            group.measurement_time(Duration::from_secs(3));
        }
        group.throughput(Throughput::Elements(input.endpoints as u64));
        let label = &input.label;
        group.bench_with_input(BenchmarkId::new("ours_types", label), &input, |b, input| {
            b.iter(|| ours(black_box(&input.spec), false, 0).expect("ours"));
        });
        group.bench_with_input(
            BenchmarkId::new("typify_types", label),
            &input,
            |b, input| {
                b.iter(|| typify(black_box(&input.openapi)).expect("typify"));
            },
        );
        group.bench_with_input(
            BenchmarkId::new("ours_client", label),
            &input,
            |b, input| {
                b.iter(|| ours(black_box(&input.spec), true, 0).expect("ours"));
            },
        );
        group.bench_with_input(
            BenchmarkId::new("ours_client_one_thread", label),
            &input,
            |b, input| {
                b.iter(|| ours(black_box(&input.spec), true, 1).expect("ours"));
            },
        );
        group.bench_with_input(
            BenchmarkId::new("progenitor_client", label),
            &input,
            |b, input| b.iter(|| progenitor(black_box(&input.openapi)).expect("progenitor")),
        );
    }
    group.finish();
}

criterion_group!(vs_progenitor, benches);
criterion_main!(vs_progenitor);
