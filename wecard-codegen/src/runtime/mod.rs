//! Code that is both used by the generator and emitted, verbatim, into every generated module.
//! Each file here must compile on its own with only `serde` and `std`; their tests live beside
//! them in `*_tests.rs` so that they are not emitted.

pub(crate) mod formats;
#[allow(dead_code, unreachable_pub)]
pub(crate) mod support;

// Declared only so that rustfmt formats it; it is compiled as part of generated code.
#[cfg(any())]
mod client;
#[cfg(test)]
mod formats_tests;
#[cfg(test)]
mod support_tests;

/// The source of [`formats`], as emitted into generated code.
pub(crate) const FORMATS_SOURCE: &str = include_str!("formats.rs");
/// The source of the async client, emitted only when the client is asked for. It is not
/// compiled here (it needs tokio and reqwest); `generated-example` compiles and tests it.
pub(crate) const CLIENT_SOURCE: &str = include_str!("client.rs");
/// The source of [`support`], as emitted into generated code.
pub(crate) const SUPPORT_SOURCE: &str = include_str!("support.rs");

#[cfg(test)]
mod reserved_names_tests {
    /// Every method of the runtime client is reserved, so no endpoint can collide with one.
    #[test]
    fn every_client_method_is_reserved() {
        let file = syn::parse_file(super::CLIENT_SOURCE).expect("the client parses");
        let mut methods = Vec::new();
        for item in &file.items {
            if let syn::Item::Impl(block) = item
                && block.trait_.is_none()
                && matches!(&*block.self_ty, syn::Type::Path(path) if path.path.is_ident("Client"))
            {
                for item in &block.items {
                    if let syn::ImplItem::Fn(method) = item {
                        methods.push(method.sig.ident.to_string());
                    }
                }
            }
        }
        assert!(methods.len() >= 10, "{methods:?}");
        for method in methods {
            assert!(
                crate::names::RESERVED_METHOD_NAMES.contains(&method.as_str()),
                "`{method}` is not reserved"
            );
        }
    }
}
