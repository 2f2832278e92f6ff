//! The CPU time of compiling the generated code: ours (the bundled spec, with the client, on
//! the runtime crate with its `client` feature) against progenitor's (the same API through the
//! OpenAPI 3.0 export, on `progenitor-client`).
//!
//! ```text
//! cargo bench -p wecard-bench-progenitor --features progenitor --bench compile
//! COMPILE_ROUNDS=11 cargo bench -p wecard-bench-progenitor --features progenitor --bench compile
//! # the same without the optimised build of progenitor and typify, which this bench does not time:
//! cargo bench -p wecard-bench-progenitor --features progenitor --bench compile --profile dev
//! ```
//!
//! Both outputs are written into crates of their own under `target/generated-crates/` (see
//! `src/scratch.rs`) and built once, untimed, which builds their dependencies. Then each round
//! touches the generated file of each crate and runs `cargo build` (dev profile, no incremental
//! compilation) on it, the two crates alternately and in alternating order, so that both see
//! the same machine; a first untimed round checks with `cargo build -v` that only the generated
//! crate is compiled. The time is the CPU time (user + system) of cargo and everything it ran,
//! from `getrusage(RUSAGE_CHILDREN)`. Each round also runs `cargo build` once more on each crate
//! with nothing changed, which is cargo's own work (reading the lock file, fingerprints), the
//! same for any crate: the build minus that is the compiler's time on the generated code.
//! Printed: each round's seconds and ratio (ours / progenitor) of the whole build and of the
//! compiler alone, the medians, the medians of the per-round ratios, and the lines of each
//! output.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "a benchmark fails by panicking"
)]

use std::time::{Duration, Instant};

use nix::sys::resource::{UsageWho, getrusage};
use nix::sys::time::TimeVal;
use wecard_bench_progenitor::scratch::{GeneratedCrate, Generator, code_lines};
use wecard_bench_progenitor::{Input, ours, progenitor};

fn main() {
    let rounds: usize = std::env::var("COMPILE_ROUNDS")
        .ok()
        .map(|text| text.parse().expect("COMPILE_ROUNDS is a number of rounds"))
        .unwrap_or(7);
    let input = Input::new(1).unwrap_or_else(|error| panic!("{error}"));
    let our_code = ours(&input.spec, true, 0).unwrap_or_else(|error| panic!("{error}"));
    let their_code = progenitor(&input.openapi).unwrap_or_else(|error| panic!("{error}"));
    for (name, code) in [("ours", &our_code), ("progenitor", &their_code)] {
        println!(
            "{name:>10}: {} lines, {} lines of code, {} bytes",
            code.lines().count(),
            code_lines(code),
            code.len()
        );
    }
    let crates = [
        GeneratedCrate::write(Generator::Ours, &our_code).unwrap_or_else(|error| panic!("{error}")),
        GeneratedCrate::write(Generator::Progenitor, &their_code)
            .unwrap_or_else(|error| panic!("{error}")),
    ];
    for generated in &crates {
        // Builds the dependencies (once for all runs: the target directory keeps them).
        generated
            .run("build", &["--quiet"])
            .unwrap_or_else(|error| panic!("{error}"));
        // A touched file recompiles its crate and nothing else.
        generated.touch().unwrap_or_else(|error| panic!("{error}"));
        let output = generated
            .run("build", &["-v"])
            .unwrap_or_else(|error| panic!("{error}"));
        let log = String::from_utf8_lossy(&output.stderr);
        let compiled: Vec<&str> = log
            .lines()
            .map(str::trim_start)
            .filter(|line| line.starts_with("Compiling "))
            .collect();
        assert!(
            compiled.len() == 1 && compiled[0].starts_with("Compiling generated-"),
            "a touched generated file should rebuild only its crate, but cargo compiled:\n{}",
            compiled.join("\n")
        );
    }

    println!(
        "\nround   ours CPU s   progenitor CPU s   ratio   compiler only: ours   progenitor   ratio   (wall s: ours / progenitor)"
    );
    let (mut our_times, mut their_times, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    let mut compiler_ratios = Vec::new();
    for round in 1..=rounds {
        let mut times = [0.0; 2];
        let mut compiler = [0.0; 2];
        let mut walls = [Duration::ZERO; 2];
        let order = if round % 2 == 1 { [0, 1] } else { [1, 0] };
        for index in order {
            let generated = &crates[index];
            generated.touch().unwrap_or_else(|error| panic!("{error}"));
            let start = Instant::now();
            let build = cpu_of(|| generated.run("build", &["--quiet"]));
            walls[index] = start.elapsed();
            let cargo_alone = cpu_of(|| generated.run("build", &["--quiet"]));
            times[index] = build;
            compiler[index] = (build - cargo_alone).max(0.0);
        }
        let ratio = times[0] / times[1];
        let compiler_ratio = compiler[0] / compiler[1];
        println!(
            "{round:>5}   {:>10.3}   {:>16.3}   {ratio:>5.3}   {:>19.3}   {:>10.3}   {compiler_ratio:>5.3}   ({:.3} / {:.3})",
            times[0],
            times[1],
            compiler[0],
            compiler[1],
            walls[0].as_secs_f64(),
            walls[1].as_secs_f64()
        );
        our_times.push(times[0]);
        their_times.push(times[1]);
        ratios.push(ratio);
        compiler_ratios.push(compiler_ratio);
    }
    println!(
        "median  {:>10.3}   {:>16.3}   {:>5.3}   {:>44.3}   (medians of the per-round ratios, ours / progenitor)",
        median(&mut our_times),
        median(&mut their_times),
        median(&mut ratios),
        median(&mut compiler_ratios)
    );
}

/// The CPU seconds (user + system) `build` and everything it runs take.
fn cpu_of<T>(build: impl FnOnce() -> Result<T, wecard_bench_progenitor::Error>) -> f64 {
    let before = children_cpu();
    build().unwrap_or_else(|error| panic!("{error}"));
    (children_cpu() - before).as_secs_f64()
}

/// The CPU time (user + system) of every child process that has ended and been waited for.
fn children_cpu() -> Duration {
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).expect("getrusage");
    duration(usage.user_time()) + duration(usage.system_time())
}

fn duration(time: TimeVal) -> Duration {
    let seconds = u64::try_from(time.tv_sec()).unwrap_or(0);
    let micros = u64::try_from(time.tv_usec()).unwrap_or(0);
    Duration::from_secs(seconds) + Duration::from_micros(micros)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    }
}
