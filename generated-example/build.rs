//! Generates the WeCard API module from the bundled spec.

fn main() -> Result<(), wecard_codegen::BuildError> {
    wecard_codegen::Builder::new("../spec/wecard.yaml").generate()?;
    Ok(())
}
