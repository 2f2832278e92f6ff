//! Generates the bundled spec's module, types only: what the derive's UI cases compile against.

fn main() -> Result<(), wecard_codegen::BuildError> {
    wecard_codegen::Builder::new("../../spec/wecard.yaml").generate()?;
    Ok(())
}
