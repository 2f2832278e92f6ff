//! No spec name can collide with ours. The names come from the code, not from a list: every
//! public item of the runtime crate (its source, parsed) and of the generated module (the
//! bundled spec's, with the client, parsed) becomes a record (type-like names) or an endpoint id
//! (snake_case names, which become client methods) of a spec built on the bundled one. `check`
//! either refuses a name with a located error that names it, or the whole module, client
//! included, compiles cleanly.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/consumer.rs"]
mod consumer;

use std::collections::BTreeSet;

use wecard_codegen::emit::rust::Options;
use wecard_tests::bundled_spec;

fn is_public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

/// The names of the public items in `items`, recursing into inline modules; public methods of
/// inherent impls too (a client method is what an endpoint id could clash with).
fn public_names(items: &[syn::Item], names: &mut BTreeSet<String>) {
    for item in items {
        let name = match item {
            syn::Item::Struct(item) if is_public(&item.vis) => Some(&item.ident),
            syn::Item::Enum(item) if is_public(&item.vis) => Some(&item.ident),
            syn::Item::Trait(item) if is_public(&item.vis) => Some(&item.ident),
            syn::Item::Fn(item) if is_public(&item.vis) => Some(&item.sig.ident),
            syn::Item::Const(item) if is_public(&item.vis) => Some(&item.ident),
            syn::Item::Static(item) if is_public(&item.vis) => Some(&item.ident),
            syn::Item::Type(item) if is_public(&item.vis) => Some(&item.ident),
            syn::Item::Mod(item) if is_public(&item.vis) => {
                if let Some((_, content)) = &item.content {
                    public_names(content, names);
                }
                Some(&item.ident)
            }
            syn::Item::Use(item) if is_public(&item.vis) => {
                use_names(&item.tree, names);
                None
            }
            syn::Item::Impl(item) if item.trait_.is_none() => {
                for inner in &item.items {
                    if let syn::ImplItem::Fn(method) = inner
                        && is_public(&method.vis)
                    {
                        names.insert(method.sig.ident.to_string());
                    }
                }
                None
            }
            _ => None,
        };
        if let Some(name) = name {
            names.insert(name.to_string());
        }
    }
}

fn use_names(tree: &syn::UseTree, names: &mut BTreeSet<String>) {
    match tree {
        syn::UseTree::Path(path) => use_names(&path.tree, names),
        syn::UseTree::Name(name) => {
            names.insert(name.ident.to_string());
        }
        syn::UseTree::Rename(rename) => {
            names.insert(rename.rename.to_string());
        }
        syn::UseTree::Group(group) => {
            for tree in &group.items {
                use_names(tree, names);
            }
        }
        syn::UseTree::Glob(_) => {}
    }
}

/// Every public name of the runtime crate and of the generated module (with the client).
fn our_names() -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let runtime = std::iter::once(wecard_runtime::source::LIB).chain(
        wecard_runtime::source::MODULES
            .iter()
            .map(|(_, _, text)| *text),
    );
    for text in runtime {
        let file = syn::parse_file(text).expect("the runtime parses");
        public_names(&file.items, &mut names);
    }
    let model = wecard_codegen::load(bundled_spec()).unwrap_or_else(|d| panic!("{d}"));
    let generated =
        wecard_codegen::emit::rust::generate(&model, &Options::default().with_client(true))
            .expect("generate");
    let file = syn::parse_file(&generated).expect("the generated module parses");
    public_names(&file.items, &mut names);
    names
}

fn is_type_like(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
        && name.chars().any(|c| c.is_ascii_lowercase())
}

fn is_method_like(name: &str) -> bool {
    wecard_codegen::names::is_snake_case(name) && !wecard_codegen::names::is_keyword(name)
}

/// The bundled spec with a record per type-like name and an endpoint per method-like name.
fn corpus_spec(records: &[&String], endpoints: &[&String]) -> String {
    let text = std::fs::read_to_string(bundled_spec()).expect("bundled spec");
    let records: String = records
        .iter()
        .map(|name| {
            format!(
                "  - name: {name}\n    description: 名称测试\n    fields:\n      - name: value\n        type: string\n        description: 值\n"
            )
        })
        .collect();
    let endpoints: String = endpoints
        .iter()
        .map(|id| {
            format!(
                "  - id: {id}\n    summary: 名称测试\n    path: /names/{id}\n    token: query\n    request:\n      fields:\n        - name: value\n          type: string\n          description: 值\n"
            )
        })
        .collect();
    text.replacen("\nrecords:\n", &format!("\nrecords:\n{records}"), 1)
        .replacen("\nendpoints:\n", &format!("\nendpoints:\n{endpoints}"), 1)
}

#[test]
fn every_name_of_ours_is_refused_by_check_or_compiles() {
    let names = our_names();
    // The sample is large enough to mean something: the runtime's types, the client's methods.
    for expected in [
        "DateTime",
        "ValidationErrors",
        "Client",
        "ErrorCode",
        "call",
        "new",
    ] {
        assert!(names.contains(expected), "`{expected}` among {names:?}");
    }
    let records: Vec<&String> = names.iter().filter(|n| is_type_like(n)).collect();
    let endpoints: Vec<&String> = names.iter().filter(|n| is_method_like(n)).collect();
    assert!(records.len() > 30 && endpoints.len() > 30, "{names:?}");

    // Load the corpus; drop what `check` refuses and load again, until it is accepted (a later
    // phase of `check` may only run once an earlier one passes). Each refusal must name one of
    // ours, at a place in the file.
    let mut refused: BTreeSet<String> = BTreeSet::new();
    let mut accepted = None;
    let mut last = String::new();
    for _round in 0..4 {
        let kept_records: Vec<&String> = records
            .iter()
            .copied()
            .filter(|n| !refused.contains(*n))
            .collect();
        let kept_endpoints: Vec<&String> = endpoints
            .iter()
            .copied()
            .filter(|n| !refused.contains(*n))
            .collect();
        let spec = corpus_spec(&kept_records, &kept_endpoints);
        match wecard_codegen::load_str("names.yaml", &spec) {
            Ok(model) => {
                accepted = Some(model);
                break;
            }
            Err(diagnostics) => {
                last = diagnostics.to_string();
                for diagnostic in &diagnostics {
                    let json = diagnostic.to_json();
                    let message = json["message"].as_str().unwrap_or_default().to_string();
                    assert!(
                        json["line"].as_u64().unwrap_or(0) > 0,
                        "a refusal is located: {json}"
                    );
                    // Every name of ours the message quotes is dropped for the next round.
                    let quoted: Vec<&String> = names
                        .iter()
                        .filter(|name| message.contains(&format!("`{name}`")))
                        .collect();
                    assert!(
                        !quoted.is_empty(),
                        "a refusal that names none of ours: {message}"
                    );
                    refused.extend(quoted.into_iter().cloned());
                }
            }
        }
    }
    let accepted = accepted.unwrap_or_else(|| {
        panic!("the corpus is accepted once the refused names are dropped; still:\n{last}")
    });
    // Refusals are for names the generated module really defines itself (or the spec already
    // has), never for the runtime's: those are reached through one private alias.
    let model = wecard_codegen::load(bundled_spec()).unwrap_or_else(|d| panic!("{d}"));
    let mut own: BTreeSet<String> = wecard_codegen::names::RESERVED_TYPE_NAMES
        .iter()
        .chain(wecard_codegen::names::RESERVED_METHOD_NAMES)
        .map(ToString::to_string)
        .collect();
    own.extend(model.records().iter().map(|r| r.name().to_string()));
    own.extend(model.enums().iter().map(|e| e.name().to_string()));
    for endpoint in model.endpoints() {
        own.insert(endpoint.id().to_string());
        own.insert(endpoint.request().type_name().to_string());
        own.insert(endpoint.response().type_name().to_string());
        if endpoint.paging().is_some() {
            own.insert(format!("{}_pages", endpoint.id()));
        }
    }
    let unexpected: Vec<&String> = refused.difference(&own).collect();
    assert!(
        unexpected.is_empty(),
        "refused without being ours to reserve: {unexpected:?}"
    );
    for name in [
        "DateTime",
        "Validate",
        "Client",
        "call",
        "pages",
        "access_token",
    ] {
        assert!(!refused.contains(name), "`{name}` must be accepted");
    }

    // What was accepted generates a module that compiles, client included.
    let model = accepted;
    let code = wecard_codegen::emit::rust::generate(&model, &Options::default().with_client(true))
        .expect("generate");
    let output = consumer::clippy_modules("2021", &[("names", code)]);
    consumer::assert_success(&output, "cargo clippy on the names corpus module");
}
