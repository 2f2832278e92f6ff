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
use quote::quote;
use syn::DeriveInput;

pub(crate) use table::Table;

/// The `WecardUser` impl for `input`, or its errors (with a fallback impl).
pub(crate) fn expand(input: &DeriveInput, table: &Table) -> TokenStream {
    let mut cx = ctxt::Ctxt::default();
    let container = attr::Container::parse(&mut cx, &input.attrs);
    let krate = model::Derive::krate(&container);
    let derive = model::Derive::from_input(&mut cx, input, &container, table);
    if let Some(derive) = &derive {
        check::check(&mut cx, derive, table);
    }
    let errors = match cx.finish() {
        Ok(()) => match &derive {
            Some(derive) => return emit::emit(derive, table, &krate),
            None => TokenStream::new(),
        },
        Err(errors) => errors,
    };
    // A broken `crate = …` would only make the fallback fail too.
    let fallback = (!container.krate_broken).then(|| emit::fallback(input, table, &krate));
    quote! {
        #errors
        #fallback
    }
}
