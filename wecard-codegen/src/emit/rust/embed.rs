//! How generated code reaches the runtime: the names it re-exports for users, and, with
//! `embed_runtime`, the runtime's own source appended as a module.
//!
//! Both read the runtime crate's source (`wecard_runtime::source`), so the list of re-exported
//! names is the crate root's `pub use` items, never a list kept by hand here.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::Model;

/// The names the runtime's crate root re-exports (`DateTime`, `ValidationErrors`, …), read from
/// its `pub use` items.
pub fn runtime_prelude() -> Vec<String> {
    let mut names = Vec::new();
    // An item may span several lines: split at the keyword, end at its `;`.
    for item in wecard_runtime::source::LIB
        .split("\npub use self::")
        .skip(1)
    {
        if let Some((path, _)) = item.split_once(';') {
            collect_use_names(path, &mut names);
        }
    }
    names
}

/// The last segments of `a::b::{C, D}` or `a::C`.
fn collect_use_names(path: &str, names: &mut Vec<String>) {
    let path = path.trim().trim_end_matches(';');
    let list = match path.split_once('{') {
        Some((_, list)) => list.trim_end_matches('}').to_string(),
        None => path.rsplit("::").next().unwrap_or_default().to_string(),
    };
    for name in list.split(',') {
        let name = name.trim();
        let name = name.rsplit("::").next().unwrap_or(name).trim();
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            names.push(name.to_string());
        }
    }
}

/// Every type name the spec gives a generated item.
fn spec_type_names(model: &Model) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    names.extend(model.records().iter().map(|record| record.name()));
    names.extend(model.enums().iter().map(|definition| definition.name()));
    for endpoint in model.endpoints() {
        names.push(endpoint.request().type_name());
        names.push(endpoint.response().type_name());
    }
    names
}

/// `pub use` of the runtime's public types, except any name the spec itself uses: a spec record
/// named `DateTime` wins, and users reach the runtime's through the runtime crate.
pub(super) fn reexports(model: &Model, vis: &TokenStream) -> TokenStream {
    let taken = spec_type_names(model);
    let names = runtime_prelude()
        .into_iter()
        .filter(|name| !taken.contains(&name.as_str()))
        .map(|name| format_ident!("{}", name));
    quote! {
        #vis use self::__wecard_runtime::{#(#names),*};
    }
}

/// Appends the runtime's source to `body` as a module `runtime`, keeping the client and the
/// push events only when they are generated. The source is already formatted, so it is copied
/// as text, not re-printed.
pub(super) fn append_runtime(body: &mut String, vis: &TokenStream, client: bool, events: bool) {
    let mut features: Vec<&str> = Vec::new();
    if client {
        features.push("client");
    }
    if events {
        features.push("events");
    }
    let features = features.as_slice();
    body.push_str(
        "\n/// What this module uses at run time (embedded: no `wecard-runtime` dependency).\n",
    );
    body.push_str("#[allow(dead_code, unused_imports, unreachable_pub, clippy::all)]\n");
    body.push_str(&format!("{vis} mod runtime {{\n"));
    body.push_str(&inline_modules(wecard_runtime::source::LIB, features));
    body.push_str("}\n");
}

/// Replaces `mod NAME;` items with their source, drops test-only modules, and keeps
/// feature-gated modules only when their feature is in `features`.
fn inline_modules(source: &str, features: &[&str]) -> String {
    let mut out = String::with_capacity(source.len() * 8);
    let mut lines = source.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim();
        if trimmed == "#[cfg(test)]" {
            lines.next();
            continue;
        }
        if let Some(feature) = trimmed
            .strip_prefix("#[cfg(feature = \"")
            .and_then(|rest| rest.strip_suffix("\")]"))
        {
            if !features.contains(&feature) {
                // Skip the gated item and any attributes stacked on it.
                for gated in lines.by_ref() {
                    if !gated.trim().starts_with("#[") {
                        break;
                    }
                }
            }
            continue;
        }
        let declared = trimmed
            .strip_prefix("pub mod ")
            .map(|rest| ("pub ", rest))
            .or_else(|| trimmed.strip_prefix("mod ").map(|rest| ("", rest)))
            .and_then(|(vis, rest)| rest.strip_suffix(';').map(|name| (vis, name)));
        if let Some((vis, name)) = declared
            && let Some((_, _, text)) = wecard_runtime::source::MODULES
                .iter()
                .find(|(module, _, _)| *module == name)
        {
            out.push_str(&format!("{vis}mod {name} {{\n"));
            out.push_str(&inline_modules(text, features));
            out.push_str("}\n");
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_prelude_is_read_from_the_runtime_root() {
        let names = super::runtime_prelude();
        for expected in [
            "DateTime",
            "ValidationErrors",
            "Endpoint",
            "HttpMethod",
            "Format",
        ] {
            assert!(
                names.iter().any(|n| n == expected),
                "{expected} in {names:?}"
            );
        }
        assert!(!names.iter().any(|n| n == "self" || n.is_empty()));
    }

    #[test]
    fn embedding_drops_tests_and_unrequested_features() {
        let without = super::inline_modules(wecard_runtime::source::LIB, &[]);
        assert!(!without.contains("mod client"), "client only on request");
        assert!(
            !without.contains("mod source"),
            "the source module is never embedded"
        );
        assert!(!without.contains("_tests"));
        assert!(without.contains("pub mod formats {"));
        let with = super::inline_modules(wecard_runtime::source::LIB, &["client"]);
        assert!(with.contains("pub mod client {"));
        assert!(!with.contains("mod events"), "events only on request");
        syn::parse_file(&with).expect("the embedded runtime parses");
        let events = super::inline_modules(wecard_runtime::source::LIB, &["events"]);
        assert!(events.contains("pub mod events {") && events.contains("mod cipher {"));
        assert!(
            !events.contains("mod axum"),
            "the axum handler is never embedded"
        );
        syn::parse_file(&events).expect("the embedded runtime with events parses");
    }
}
