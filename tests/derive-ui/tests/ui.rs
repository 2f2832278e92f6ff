//! `#[derive(WecardUser)]`'s compile errors, pinned with trybuild: one case per file under
//! `ui/<kind>/`, each with the `.stderr` rustc prints for it; and the cases that must compile
//! (and run) under `ui/pass/`. The cases compile against this package's types-only module.

#[test]
fn derive_ui() {
    let cases = trybuild::TestCases::new();
    for kind in ["shape", "fields", "attributes", "types"] {
        cases.compile_fail(format!("ui/{kind}/*.rs"));
    }
    cases.pass("ui/pass/*.rs");
}
