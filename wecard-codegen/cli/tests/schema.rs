//! `spec/wecard.schema.json` is derived from the Rust syntax types and must stay in step with them.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

#[test]
fn committed_json_schema_is_fresh() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/wecard.schema.json");
    let fresh = wecard_codegen::spec::json_schema();
    if std::env::var_os("WECARD_BLESS").is_some() {
        std::fs::write(&path, &fresh).expect("write the schema");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "spec/wecard.schema.json is stale; regenerate it with `WECARD_BLESS=1 cargo test -p wecard-codegen --test schema`"
    );
}

#[test]
fn schema_names_every_top_level_key_and_rejects_unknown_keys() {
    let schema: serde_json::Value =
        serde_json::from_str(&wecard_codegen::spec::json_schema()).expect("json");
    let properties = schema["properties"].as_object().expect("properties");
    for key in [
        "wecard_spec",
        "api",
        "changelog",
        "enums",
        "records",
        "error_codes",
        "user",
        "endpoints",
    ] {
        assert!(properties.contains_key(key), "{key}");
    }
    assert_eq!(schema["additionalProperties"], false);
    let field = &schema["$defs"]["FieldDef"];
    assert!(field["properties"]["type"].is_object(), "{field}");
    assert!(field["properties"]["needs_grant"].is_object());
}

#[test]
fn bundled_spec_points_editors_at_the_schema() {
    let spec = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/wecard.yaml"),
    )
    .expect("spec");
    assert!(spec.starts_with("# yaml-language-server: $schema=wecard.schema.json"));
}
