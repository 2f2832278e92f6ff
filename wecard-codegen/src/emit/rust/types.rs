//! Structs: shared records, and a request and a reply per endpoint.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::model::{Field, Model, Type, Wire};
use crate::spec::EnumRepr;

use super::derives::{self, Shape};
use super::{Options, doc};

/// Which side of the API a struct is on: replies keep unknown fields, requests validate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Request,
    Reply,
}

/// A Rust identifier from a model name, raw when the model says so (`r#type`).
pub(super) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of a value (not of a field: no `Option` around it).
pub(super) fn value_type(ty: &Type) -> TokenStream {
    match ty {
        Type::String => quote!(::std::string::String),
        Type::Int => quote!(i64),
        Type::Bool => quote!(bool),
        Type::DateTime => quote!(self::__wecard_runtime::DateTime),
        Type::List(item) => {
            let item = value_type(item);
            quote!(::std::vec::Vec<#item>)
        }
        Type::Enum(name) | Type::Record(name) => {
            let name = format_ident!("{}", name);
            quote!(self::#name)
        }
    }
}

/// The Rust type of a field: optional fields are `Option`s; nullable ones keep `null` apart.
pub(super) fn field_type(field: &Field) -> TokenStream {
    let value = value_type(field.ty());
    let value = if field.nullable() {
        quote!(self::__wecard_runtime::Nullable<#value>)
    } else {
        value
    };
    if field.required() {
        value
    } else {
        quote!(::core::option::Option<#value>)
    }
}

/// How a lenient field is read: the type read from the wire, and the field's item type, as paths
/// usable inside a serde attribute string.
fn lenient_types(model: &Model, item: &Type) -> Option<(String, String)> {
    match item {
        Type::Int => Some(("i64".into(), "i64".into())),
        Type::String => Some((
            "self::__wecard_runtime::__private::LenientString".into(),
            "::std::string::String".into(),
        )),
        Type::Enum(name)
            if model
                .enum_named(name)
                .is_some_and(|e| e.repr() == EnumRepr::Int) =>
        {
            Some((format!("self::{name}"), format!("self::{name}")))
        }
        _ => None,
    }
}

fn serde_attrs(field: &Field, model: &Model) -> TokenStream {
    let mut parts: Vec<TokenStream> = Vec::new();
    let unraw = field.rust_name().trim_start_matches("r#");
    if unraw != field.wire_name() {
        let wire = field.wire_name();
        parts.push(quote!(rename = #wire));
    }
    let optional = !field.required();
    if optional {
        parts.push(quote!(
            default,
            skip_serializing_if = "::core::option::Option::is_none"
        ));
    }
    let is_list = matches!(field.ty(), Type::List(_));
    if field.nullable() {
        if optional {
            parts.push(quote!(
                deserialize_with = "self::__wecard_runtime::__private::present"
            ));
        }
    } else if let Some((wire, item)) =
        lenient_types(model, field.ty().item()).filter(|_| field.lenient())
    {
        let helper = match (optional, is_list) {
            (false, false) => "one",
            (true, false) => "option",
            (false, true) => "list",
            (true, true) => "option_list",
        };
        let path =
            format!("self::__wecard_runtime::__private::lenient::{helper}::<_, {wire}, {item}>");
        parts.push(quote!(deserialize_with = #path));
    }
    if field.wire() == Wire::String && !is_list {
        let helper = if optional { "option" } else { "one" };
        let item = lenient_types(model, field.ty())
            .map(|(_, item)| item)
            .unwrap_or_default();
        let path = format!("self::__wecard_runtime::__private::as_string::{helper}::<_, {item}>");
        parts.push(quote!(serialize_with = #path));
    }
    if parts.is_empty() {
        TokenStream::new()
    } else {
        quote!(#[serde(#(#parts),*)])
    }
}

/// Whether every required field's type has a `Default`, so the struct can derive it.
pub(crate) fn can_default(fields: &[&Field]) -> bool {
    fields.iter().filter(|f| f.required()).all(|f| {
        !f.nullable()
            && matches!(
                f.ty(),
                Type::String | Type::Int | Type::Bool | Type::List(_)
            )
    })
}

/// One struct with its serde attributes, docs and field constants.
pub(super) fn emit_struct(
    model: &Model,
    options: &Options,
    name: &str,
    doc_lines: &[String],
    fields: &[&Field],
    side: Side,
) -> TokenStream {
    let vis = &options.visibility;
    let type_name = format_ident!("{}", name);
    let doc = doc::attrs(doc_lines);
    let field_items = fields.iter().map(|field| {
        let doc = doc::field(field);
        let attrs = serde_attrs(field, model);
        let name = ident(field.rust_name());
        let ty = field_type(field);
        quote! { #doc #attrs #vis #name: #ty, }
    });
    let unknown = (side == Side::Reply).then(|| {
        let doc = doc::fixed(&[
            "Fields the server sent that this spec does not describe, kept so that a new field",
            "never breaks deserialization and is written back unchanged.",
        ]);
        quote! {
            #doc
            #[serde(flatten)]
            #vis unknown_fields: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        }
    });
    let has_secret = fields.iter().any(|field| field.secret());
    let mut derives = Vec::new();
    if !has_secret {
        derives.push(quote!(::core::fmt::Debug));
    }
    derives.extend([
        quote!(::core::clone::Clone),
        quote!(::core::cmp::PartialEq),
        quote!(::serde::Serialize),
        quote!(::serde::Deserialize),
    ]);
    let default = can_default(fields);
    if default {
        derives.push(quote!(::core::default::Default));
    }
    derives.extend(derives::for_shape(
        &options.extra_derives,
        Shape::Struct { default },
    ));
    let wire_names = fields.iter().map(|f| f.wire_name());
    let grant_names: Vec<&str> = fields
        .iter()
        .filter(|f| f.needs_grant())
        .map(|f| f.wire_name())
        .collect();
    let grant_const = (!grant_names.is_empty()).then(|| {
        let doc = doc::fixed(&[
            "Wire names of the fields marked 需申请: the server returns them only to apps that",
            "applied for them, so an app knows what to apply for.",
        ]);
        quote! {
            #doc
            #vis const NEEDS_GRANT: &[&str] = &[#(#grant_names),*];
        }
    });
    let debug = has_secret.then(|| redacting_debug(&type_name, fields, side));
    let fields_doc = doc::fixed(&["Wire names of every field this spec describes, in wire order."]);
    quote! {
        #doc
        #[derive(#(#derives),*)]
        #vis struct #type_name {
            #(#field_items)*
            #unknown
        }

        impl #type_name {
            #fields_doc
            #vis const FIELDS: &[&str] = &[#(#wire_names),*];
            #grant_const
        }

        #debug
    }
}

/// `Debug` that prints `"<redacted>"` (or `None`) for secret fields, so credentials never reach
/// logs or error messages through `{:?}`.
fn redacting_debug(type_name: &Ident, fields: &[&Field], side: Side) -> TokenStream {
    let name = type_name.to_string();
    let entries = fields.iter().map(|field| {
        let label = field.rust_name().trim_start_matches("r#");
        let ident = ident(field.rust_name());
        if !field.secret() {
            quote!(.field(#label, &self.#ident))
        } else if field.required() {
            quote!(.field(#label, &"<redacted>"))
        } else {
            quote!(.field(#label, &self.#ident.as_ref().map(|_| "<redacted>")))
        }
    });
    let unknown =
        (side == Side::Reply).then(|| quote!(.field("unknown_fields", &self.unknown_fields)));
    quote! {
        impl ::core::fmt::Debug for #type_name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#name)
                    #(#entries)*
                    #unknown
                    .finish()
            }
        }
    }
}
