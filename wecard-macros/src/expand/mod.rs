//! The derive, as plain functions over `proc_macro2` tokens (so it can be tested outside a
//! compiler): parse the attributes → resolve the model against the field table → check it →
//! emit the impl. Every error is collected in a [`Ctxt`](ctxt::Ctxt); on any error, the errors
//! are emitted with a fallback impl, so the user sees the derive's errors and nothing else.

mod attr;
mod check;
mod ctxt;
mod emit;
mod model;
mod table;

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::DeriveInput;
use syn::spanned::Spanned;

pub(crate) use table::Table;

/// The `WecardUser` impl for `input`, or its errors (with a fallback impl).
pub(crate) fn expand(input: &DeriveInput, table: &Table) -> TokenStream {
    let mut cx = ctxt::Ctxt::default();
    let container = attr::Container::parse(&mut cx, &input.attrs);
    let module = model::Derive::krate(&container);
    let krate: syn::Path = syn::parse_quote!(__wecard_module);
    let derive = model::Derive::from_input(&mut cx, input, &container, table);
    if let Some(derive) = &derive {
        check::check(&mut cx, derive, table);
    }
    let errors = match cx.finish() {
        Ok(()) => match &derive {
            Some(derive) => return through_module(&module, emit::emit(derive, table, &krate)),
            None => TokenStream::new(),
        },
        Err(errors) => errors,
    };
    // A broken `crate = …` would only make the fallback fail too.
    let fallback = (!container.krate_broken)
        .then(|| through_module(&module, emit::fallback(input, table, &krate)));
    quote! {
        #errors
        #fallback
    }
}

/// `impl` inside an anonymous const that imports the generated module once, under the name the
/// impl uses. A module missing at that path is then one error (an unresolved import, at the
/// `crate = …` path, or at the derive for the default `crate::wecard`) rather than one per
/// item the impl names: rustc reports nothing further about a name whose import failed.
fn through_module(module: &syn::Path, body: TokenStream) -> TokenStream {
    // The import carries the path's span, so that rustc points at the user's `crate = …`.
    let import = quote_spanned!(module.span()=> use #module as __wecard_module;);
    quote! {
        const _: () = {
            #import
            #body
        };
    }
}
