//! Generates a module from each fixture spec, so that every generated-Rust snapshot is also
//! compiled (and linted) as part of this crate.

/// (spec, output file, with the client)
const FIXTURES: &[(&str, &str, bool)] = &[
    ("../spec/wecard.yaml", "bundled.rs", false),
    ("fixtures/naming.yaml", "naming.rs", false),
    (
        "../wecard-codegen/tests/fixtures/docs_attack.yaml",
        "docs_attack.rs",
        false,
    ),
    ("fixtures/get_method.yaml", "get_method.rs", true),
];

fn main() -> Result<(), wecard_codegen::BuildError> {
    for (spec, output, client) in FIXTURES {
        wecard_codegen::Builder::new(*spec)
            .out_dir_file_name(*output)
            .client(*client)
            .generate()?;
    }
    Ok(())
}
