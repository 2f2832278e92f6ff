//! Generates a module from each fixture spec, so that every generated-Rust snapshot is also
//! compiled (and linted) as part of this crate.

const FIXTURES: &[(&str, &str)] = &[
    ("../spec/wecard.yaml", "bundled.rs"),
    ("fixtures/naming.yaml", "naming.rs"),
    (
        "../wecard-codegen/tests/fixtures/docs_attack.yaml",
        "docs_attack.rs",
    ),
];

fn main() -> Result<(), wecard_codegen::BuildError> {
    for (spec, output) in FIXTURES {
        wecard_codegen::Builder::new(*spec)
            .out_dir_file_name(*output)
            .generate()?;
    }
    Ok(())
}
