//! Generates the WeCard API module, with its async client and the push-event glue, from the
//! bundled spec.

fn main() -> Result<(), wecard_codegen::BuildError> {
    wecard_codegen::Builder::new("../spec/wecard.yaml")
        .client(true)
        .events(true)
        .generate()?;
    Ok(())
}
