//! `#[derive(WecardUser)]`'s compile errors, pinned with trybuild: one case per file under
//! `ui/<kind>/`, each with the `.stderr` rustc prints for it; and the cases that must compile
//! (and run) under `ui/pass/`. The cases compile against this package's types-only module.

// A test fails by panicking: expect is how it reports.
#![allow(clippy::expect_used)]

use std::process::Command;

/// The variable `wecard_codegen::Builder` sets for the crate it generates into.
const USER_FIELDS_ENV: &str = "WECARD_USER_FIELDS";

/// Where this package's build script wrote the spec's user fields.
const USER_FIELDS: &str = env!("WECARD_USER_FIELDS");

#[test]
fn derive_ui() {
    // trybuild compiles the cases with a cargo of its own, outside this package's build script,
    // so the derive learns where the field table is from the environment: the cases run in a
    // child process of this test that has the variable set.
    if std::env::var_os(USER_FIELDS_ENV).is_none() {
        let status = Command::new(std::env::current_exe().expect("the test binary"))
            .args(["--exact", "derive_ui", "--nocapture"])
            .env(USER_FIELDS_ENV, USER_FIELDS)
            .status()
            .expect("the test binary runs");
        assert!(status.success(), "the derive's UI cases failed (see above)");
        return;
    }
    let cases = trybuild::TestCases::new();
    for kind in [
        "shape",
        "fields",
        "attributes",
        "constants",
        "types",
        "module",
    ] {
        cases.compile_fail(format!("ui/{kind}/*.rs"));
    }
    cases.pass("ui/pass/*.rs");
}
