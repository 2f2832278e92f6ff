//! What progenitor generates from our OpenAPI 3.0 export compiles, against the crates its output
//! is written for: the export is usable by a real third-party generator, end to end.
//!
//! The crate builds into the workspace's target directory, so only the first run builds
//! `progenitor-client` and its HTTP stack.

#![allow(clippy::panic, reason = "tests fail by panicking")]

use wecard_bench_progenitor::scratch::{GeneratedCrate, Generator};
use wecard_bench_progenitor::{Input, progenitor};

#[test]
fn progenitor_output_from_the_export_compiles() {
    let input = Input::new(1).unwrap_or_else(|error| panic!("{error}"));
    let code = progenitor(&input.openapi).unwrap_or_else(|error| panic!("{error}"));
    let model = wecard_codegen::load_str("spec.yaml", &input.spec)
        .unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
    // A method per endpoint, which the check below then proves type-checks.
    for endpoint in model.endpoints() {
        assert!(
            code.contains(&format!("pub async fn {}", endpoint.id())),
            "no method for {}",
            endpoint.id()
        );
    }
    let generated = GeneratedCrate::write(Generator::Progenitor, &code)
        .unwrap_or_else(|error| panic!("{error}"));
    generated
        .run("check", &["--quiet"])
        .unwrap_or_else(|error| panic!("{error}"));
}
