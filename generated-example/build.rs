//! Generates the WeCard API module, with its async client, from the bundled spec.

fn main() -> Result<(), wecard_codegen::BuildError> {
    wecard_codegen::Builder::new("../spec/wecard.yaml")
        .client(true)
        .generate()?;
    Ok(())
}
