//! Drift (with the client): `Observe` for every reply struct, record and enum (structs through
//! the runtime's `ObservedStruct`), so that the client can tell what a reply carries that the
//! spec does not know. Only fields that can hold something unknown (records, enums, lists of
//! them) are walked; scalars cost nothing.
//!
//! The methods are `#[inline]`: only the client's calls use them, so each is compiled in the
//! consuming crate when a call whose reply holds its type is, and not at all otherwise.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Field, Type};

use super::types::{field_type, ident};

/// `ObservedStruct` for a struct (the runtime makes it `Observe`): its record name and required
/// fields, its unknown fields, and, where it has any, the record or enum fields to walk and the
/// record fields to look into when a reply could not be decoded. `record` is the spec record's
/// name, or `None` for an endpoint's reply.
pub(super) fn observe_struct(name: &str, fields: &[&Field], record: Option<&str>) -> TokenStream {
    let type_name = format_ident!("{}", name);
    let record = match record {
        Some(name) => quote!(::core::option::Option::Some(#name)),
        None => quote!(::core::option::Option::None),
    };
    let walked: Vec<&&Field> = fields
        .iter()
        .filter(|field| matches!(field.ty().item(), Type::Enum(_) | Type::Record(_)))
        .collect();
    let required = fields
        .iter()
        .filter(|field| field.required())
        .map(|field| field.wire_name());
    let observe_fields = (!walked.is_empty()).then(|| {
        let observe = walked.iter().map(|field| {
            let name = ident(field.rust_name());
            let wire = field.wire_name();
            quote! {
                self::__wecard_runtime::client::Observe::observe(&self.#name, at.field(#wire), out);
            }
        });
        quote! {
            #[inline]
            fn observe_fields(&self, at: self::__wecard_runtime::client::Place<'_>, out: &mut self::__wecard_runtime::client::Findings) {
                #(#observe)*
            }
        }
    });
    let nested: Vec<TokenStream> = walked
        .iter()
        .filter(|field| matches!(field.ty().item(), Type::Record(_)))
        .map(|field| {
            let wire = field.wire_name();
            let ty = field_type(field);
            quote! {
                if let ::core::option::Option::Some(value) = map.get(#wire) {
                    <#ty as self::__wecard_runtime::client::Observe>::missing(value, at.field(#wire), out);
                }
            }
        })
        .collect();
    let missing_in_fields = (!nested.is_empty()).then(|| {
        quote! {
            #[inline]
            fn missing_in_fields(map: &::serde_json::Map<::std::string::String, ::serde_json::Value>, at: self::__wecard_runtime::client::Place<'_>, out: &mut self::__wecard_runtime::client::Findings) {
                #(#nested)*
            }
        }
    });
    quote! {
        impl self::__wecard_runtime::client::ObservedStruct for #type_name {
            const RECORD: ::core::option::Option<&'static str> = #record;
            const REQUIRED: &'static [&'static str] = &[#(#required),*];

            #[inline]
            fn unknown_fields(&self) -> &::serde_json::Map<::std::string::String, ::serde_json::Value> {
                &self.unknown_fields
            }

            #observe_fields
            #missing_in_fields
        }
    }
}

/// `Observe` for a spec enum: a code kept in `Unknown` is drift.
pub(super) fn observe_enum(name: &str) -> TokenStream {
    let type_name = format_ident!("{}", name);
    quote! {
        impl self::__wecard_runtime::client::Observe for #type_name {
            #[inline]
            fn observe(&self, at: self::__wecard_runtime::client::Place<'_>, out: &mut self::__wecard_runtime::client::Findings) {
                if let Self::Unknown(code) = self {
                    out.unknown_code(&at, #name, code);
                }
            }
        }
    }
}
