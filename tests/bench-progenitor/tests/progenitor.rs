//! The OpenAPI 3.0 export is usable by real third-party generators: progenitor and typify accept
//! it, and what they generate is Rust that parses, with an operation per endpoint and a type per
//! component.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

use wecard_bench_progenitor::{Input, progenitor, typify};

#[test]
fn progenitor_generates_rust_from_the_export() {
    let input = Input::new(1).unwrap_or_else(|error| panic!("{error}"));
    let code = progenitor(&input.openapi).unwrap_or_else(|error| panic!("{error}"));
    let file = syn::parse_file(&code).expect("progenitor's output parses");
    assert!(!file.items.is_empty());
    let document: serde_json::Value = serde_json::from_str(&input.openapi).unwrap();
    let model = wecard_codegen::load_str("spec.yaml", &input.spec).unwrap();
    for endpoint in model.endpoints() {
        // progenitor names each method after its operationId.
        assert!(
            code.contains(&format!("pub async fn {}<", endpoint.id()))
                || code.contains(&format!("pub async fn {}(", endpoint.id()))
                || code.contains(&format!("pub fn {}(", endpoint.id())),
            "no method for {}",
            endpoint.id()
        );
    }
    for name in document["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
    {
        assert!(
            code.contains(&format!(" {name} ")) || code.contains(&format!(" {name}(")),
            "no type {name}"
        );
    }
}

#[test]
fn typify_generates_the_types_from_the_export() {
    let input = Input::new(1).unwrap_or_else(|error| panic!("{error}"));
    let code = typify(&input.openapi).unwrap_or_else(|error| panic!("{error}"));
    syn::parse_file(&code).expect("typify's output parses");
    assert!(code.contains("pub struct CreateUserRequest"), "{code}");
    assert!(code.contains("pub enum Gender") || code.contains("pub struct Gender"));
}
