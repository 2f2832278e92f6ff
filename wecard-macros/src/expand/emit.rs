//! The `WecardUser` impl. Struct literals of the generated request and of `Self` are written
//! with the user's own spans on their field names, and every conversion with the span of the
//! user's field type, so that rustc double-checks the field table and reports a type that does
//! not convert at that type (through the conversion traits' `on_unimplemented` messages).

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{DeriveInput, Path};

use super::model::{Derive, Field, Mapping};
use super::table::{Side, Table, WireType};

/// The impl for a derive that passed every check.
pub(crate) fn emit(derive: &Derive<'_>, table: &Table, krate: &Path) -> TokenStream {
    let krate = krate.to_token_stream();
    let wecard_fields = derive
        .fields
        .iter()
        .filter_map(|f| f.wecard.as_ref().map(|m| m.field.wire.as_str()))
        .chain(derive.constants.iter().map(|c| c.field.wire.as_str()));
    let grant_fields = derive.fields.iter().filter_map(|f| {
        let mapping = f.wecard.as_ref()?;
        let member = mapping.field.member.as_ref()?;
        (member.needs_grant && f.attrs.write_only.is_none()).then_some(mapping.field.wire.as_str())
    });
    let field_map = derive.fields.iter().filter_map(|f| {
        let wire = &f.wecard.as_ref()?.field.wire;
        let name = f.name();
        Some(quote!((#wire, #name)))
    });
    let request_fields = table.fields.iter().filter_map(|table_field| {
        let side = table_field.request.as_ref()?;
        let mapped = derive.fields.iter().find_map(|f| {
            let mapping = f.wecard.as_ref()?;
            (mapping.field.wire == table_field.wire).then_some((f, mapping))
        });
        if let Some((field, mapping)) = mapped {
            let name = side.ident(mapping.span);
            let value = request_value(field, side, &krate);
            return Some(quote!(#name: #value));
        }
        if let Some(constant) = derive
            .constants
            .iter()
            .find(|c| c.field.wire == table_field.wire)
        {
            let name = side.ident(constant.name.span);
            let value = constant_value(&side.ty, constant.value, &krate);
            let value = wrap(side, value, &krate);
            return Some(quote!(#name: #value));
        }
        // Unmapped: only optional fields get here (a required one was reported by the check).
        let name = side.ident(Span::call_site());
        Some(quote!(#name: ::core::option::Option::None))
    });
    let member_fields = derive.fields.iter().map(|field| {
        let ident = field.ident;
        let value = member_value(field, &krate);
        quote!(#ident: #value)
    });
    let request = format_ident!("{}", table.request);
    let member = format_ident!("{}", table.member);
    let ident = &derive.input.ident;
    let (impl_generics, ty_generics, where_clause) = derive.input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::WecardUser for #ident #ty_generics #where_clause {
            const WECARD_FIELDS: &'static [&'static str] = &[#(#wecard_fields),*];
            const GRANT_FIELDS_READ: &'static [&'static str] = &[#(#grant_fields),*];
            const FIELD_MAP: &'static [(&'static str, &'static str)] = &[#(#field_map),*];

            fn to_create_request_unchecked(&self) -> #krate::#request {
                #krate::#request {
                    #(#request_fields,)*
                }
            }

            fn from_member(
                member: &#krate::#member,
            ) -> ::core::result::Result<Self, #krate::FromMemberError> {
                ::core::result::Result::Ok(Self {
                    #(#member_fields,)*
                })
            }
        }
    }
}

/// An impl that compiles whatever the struct says, emitted beside the errors so that code using
/// the struct as a `WecardUser` reports nothing more: the user sees the derive's errors only.
pub(crate) fn fallback(input: &DeriveInput, table: &Table, krate: &Path) -> TokenStream {
    let request = format_ident!("{}", table.request);
    let member = format_ident!("{}", table.member);
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::WecardUser for #ident #ty_generics #where_clause {
            const WECARD_FIELDS: &'static [&'static str] = &[];
            const GRANT_FIELDS_READ: &'static [&'static str] = &[];
            const FIELD_MAP: &'static [(&'static str, &'static str)] = &[];

            fn to_create_request_unchecked(&self) -> #krate::#request {
                ::core::unreachable!("the WecardUser derive failed")
            }

            fn from_member(
                _: &#krate::#member,
            ) -> ::core::result::Result<Self, #krate::FromMemberError> {
                ::core::unreachable!("the WecardUser derive failed")
            }
        }
    }
}

/// `Nullable::Value(value)` where the side keeps `null` apart, else the value.
fn nullable(side: &Side, value: TokenStream, krate: &TokenStream) -> TokenStream {
    if side.nullable {
        quote!(#krate::Nullable::Value(#value))
    } else {
        value
    }
}

/// A whole (non-`Option` in the struct) value in a request field of this side.
fn wrap(side: &Side, value: TokenStream, krate: &TokenStream) -> TokenStream {
    let value = nullable(side, value, krate);
    if side.required {
        value
    } else {
        quote!(::core::option::Option::Some(#value))
    }
}

/// The request field's value from the struct field (mapped onto a request field). An optional
/// request field takes `ToWecard::to_wecard_sent`, so a value with nothing to send (a coded value
/// the spec gives no text for) leaves the field out.
fn request_value(field: &Field<'_>, side: &Side, krate: &TokenStream) -> TokenStream {
    let ident = field.ident;
    let wire = side.ty.tokens(krate);
    let inner = field.inner;
    let convert = |value: TokenStream| match &field.attrs.with {
        Some(with) => quote_spanned!(with.span()=> #with::to_wecard(#value)),
        None => {
            quote_spanned!(inner.span()=> <#inner as #krate::ToWecard<#wire>>::to_wecard(#value))
        }
    };
    let convert_sent = |value: TokenStream| match &field.attrs.with {
        Some(with) => {
            quote_spanned!(with.span()=> ::core::option::Option::Some(#with::to_wecard(#value)))
        }
        None => {
            quote_spanned!(inner.span()=> <#inner as #krate::ToWecard<#wire>>::to_wecard_sent(#value))
        }
    };
    // `Nullable::Value` around what is sent, where the side keeps `null` apart.
    let wrap_sent = |value: TokenStream| {
        if side.nullable {
            let sent = nullable(side, quote!(sent), krate);
            quote!(::core::option::Option::map(#value, |sent| #sent))
        } else {
            value
        }
    };
    if field.optional {
        let value = wrap_sent(convert_sent(quote!(value)));
        quote! {
            ::core::option::Option::and_then(
                ::core::option::Option::as_ref(&self.#ident),
                |value| #value,
            )
        }
    } else if side.required {
        wrap(side, convert(quote!(&self.#ident)), krate)
    } else {
        wrap_sent(convert_sent(quote!(&self.#ident)))
    }
}

/// A constant's value, of the request side's type (the check has matched the literal to it).
fn constant_value(ty: &WireType, value: &syn::Expr, krate: &TokenStream) -> TokenStream {
    match ty {
        WireType::String => quote_spanned!(value.span()=> ::std::string::String::from(#value)),
        WireType::Enum { name, .. } => {
            let name = format_ident!("{}", name);
            quote_spanned!(value.span()=> #krate::#name::from_code(#value))
        }
        _ => quote!(#value),
    }
}

/// The struct field's value in `from_member`.
fn member_value(field: &Field<'_>, krate: &TokenStream) -> TokenStream {
    let default = quote_spanned!(field.ty.span()=> ::core::default::Default::default());
    let Some(mapping) = &field.wecard else {
        return default;
    };
    let member_side = match (&mapping.field.member, field.attrs.write_only) {
        (Some(side), None) => side,
        _ if field.optional => return quote!(::core::option::Option::None),
        _ => return default,
    };
    read_member(field, mapping, member_side, krate)
}

fn read_member(
    field: &Field<'_>,
    mapping: &Mapping<'_>,
    side: &Side,
    krate: &TokenStream,
) -> TokenStream {
    let wire = &mapping.field.wire;
    let name = field.name();
    let member_field = side.ident(mapping.span);
    let read = match &field.attrs.with {
        Some(with) => quote_spanned!(with.span()=> #with::from_wecard(value)),
        None => {
            let (inner, wire) = (field.inner, side.ty.tokens(krate));
            quote_spanned!(inner.span()=> <#inner as #krate::FromWecard<#wire>>::from_wecard(value))
        }
    };
    let read = quote! {
        ::core::result::Result::map_err(#read, |source| #krate::FromMemberError::Invalid {
            wecard_field: #wire,
            struct_field: #name,
            source: ::core::convert::Into::into(source),
        })?
    };
    // `value`: a reference to the member's value, when it has one.
    let present = match (side.required, side.nullable) {
        (true, false) => {
            let read_required = quote!({ let value = &member.#member_field; #read });
            return if field.optional {
                quote!(::core::option::Option::Some(#read_required))
            } else {
                read_required
            };
        }
        (false, false) => quote!(::core::option::Option::as_ref(&member.#member_field)),
        (true, true) => quote! {
            match &member.#member_field {
                #krate::Nullable::Value(value) => ::core::option::Option::Some(value),
                #krate::Nullable::Null => ::core::option::Option::None,
            }
        },
        (false, true) => quote! {
            match &member.#member_field {
                ::core::option::Option::Some(#krate::Nullable::Value(value)) => ::core::option::Option::Some(value),
                _ => ::core::option::Option::None,
            }
        },
    };
    if field.optional {
        quote! {
            match #present {
                ::core::option::Option::Some(value) => ::core::option::Option::Some(#read),
                ::core::option::Option::None => ::core::option::Option::None,
            }
        }
    } else {
        let needs_grant = side.needs_grant;
        quote! {
            match #present {
                ::core::option::Option::Some(value) => #read,
                ::core::option::Option::None => {
                    return ::core::result::Result::Err(#krate::FromMemberError::Missing {
                        wecard_field: #wire,
                        struct_field: #name,
                        needs_grant: #needs_grant,
                    });
                }
            }
        }
    }
}
