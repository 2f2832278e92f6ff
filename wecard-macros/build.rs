//! Learns the WeCard user from `spec/wecard.yaml` at this crate's build time: loads the spec
//! through `wecard-codegen` (so it is checked exactly as the generator checks it) and writes the
//! compact field table `user_fields.tsv` to `OUT_DIR`, which the derive reads. No YAML is parsed
//! while a derive expands; editing the spec reruns this script and rebuilds every derive.

use std::path::Path;

/// Relative to this crate's directory, where cargo runs build scripts.
const SPEC: &str = "../spec/wecard.yaml";

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if Path::new(SPEC).exists() {
        println!("cargo:rerun-if-changed={SPEC}");
    }
    let model = match wecard_codegen::load(SPEC) {
        Ok(model) => model,
        Err(diagnostics) => {
            eprintln!("{}", diagnostics.render(false));
            eprintln!("wecard-macros needs a valid spec to learn the WeCard user's fields");
            std::process::exit(1);
        }
    };
    let table = match model.user() {
        Some(user) => user.field_table(),
        // The derive reports this where it is used, naming the spec.
        None => format!(
            "{}\nsource\t{}\n",
            wecard_codegen::model::FIELD_TABLE_HEADER,
            model.source_name()
        ),
    };
    let Some(out_dir) = std::env::var_os("OUT_DIR") else {
        eprintln!("OUT_DIR is not set: run this build script through cargo");
        std::process::exit(1);
    };
    let path = Path::new(&out_dir).join("user_fields.tsv");
    // Written only when changed, so that a rerun with the same spec rebuilds nothing.
    if std::fs::read_to_string(&path).ok().as_deref() != Some(table.as_str())
        && let Err(error) = std::fs::write(&path, table)
    {
        eprintln!("cannot write {}: {error}", path.display());
        std::process::exit(1);
    }
}
