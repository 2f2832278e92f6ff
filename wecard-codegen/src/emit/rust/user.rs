//! What `#[derive(WecardUser)]` implements and converts through, emitted when the spec has a
//! `user:` section: the `WecardUser` trait, its error types, and the `ToWecard` / `FromWecard`
//! conversions between a user's own field types and the wire types of the user's fields.
//!
//! The derive (in `wecard-macros`) checks a struct against the spec's field table; rustc then
//! checks the expansion against these items, and the conversion traits' `on_unimplemented`
//! messages say, at the offending field's type, what the field must be.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Model, Type, User};
use crate::spec::EnumRepr;

use super::Options;
use super::types::value_type;

/// The user items, or nothing when the spec has no `user:` section.
pub(super) fn emit_user(model: &Model, options: &Options) -> TokenStream {
    let Some(user) = model.user() else {
        return TokenStream::new();
    };
    let trait_item = emit_trait(&user, options);
    let conversions = emit_conversions(model, &user);
    quote! {
        #trait_item
        #conversions
    }
}

fn emit_trait(user: &User<'_>, options: &Options) -> TokenStream {
    let vis = &options.visibility;
    let request = format_ident!("{}", user.request().type_name());
    let member = format_ident!("{}", user.member().name());
    let request_doc = format!(
        " A type of your own that maps onto the WeCard user: sent as a [`{request}`] (endpoint \
         `{}`) and read back from a [`{member}`].",
        user.endpoint().id()
    );
    quote! {
        #[doc = #request_doc]
        ///
        /// Implement it with `#[derive(WecardUser)]` from `wecard-macros`, which checks the mapping
        /// against the spec when the crate compiles: every WeCard field named exists, every field the
        /// create request requires is mapped, and every field's type converts (through [`ToWecard`]
        /// and [`FromWecard`]).
        #vis trait WecardUser: ::core::marker::Sized {
            /// Wire names of the WeCard fields this type maps, from its fields (in declaration
            /// order) and then from its container constants.
            const WECARD_FIELDS: &'static [&'static str];

            /// Wire names of the 需申请 fields [`from_member`](Self::from_member) reads: the server
            /// sends them only to apps granted them, so an app using this type applies for these.
            const GRANT_FIELDS_READ: &'static [&'static str];

            /// `(WeCard wire name, struct field name)` for every WeCard field held by a field of
            /// this type (container constants are not listed).
            const FIELD_MAP: &'static [(&'static str, &'static str)];

            /// The struct field that holds a WeCard field (`None` for a constant or an unmapped field).
            fn struct_field(wecard_field: &str) -> ::core::option::Option<&'static str> {
                Self::FIELD_MAP
                    .iter()
                    .find(|(wecard, _)| *wecard == wecard_field)
                    .map(|(_, field)| *field)
            }

            /// The create request for this value, not validated.
            fn to_create_request_unchecked(&self) -> self::#request;

            /// The create request for this value, checked against the API's rules.
            ///
            /// # Errors
            ///
            /// Every broken rule, each naming the WeCard field and the struct field it came from.
            fn to_create_request(&self) -> ::core::result::Result<self::#request, self::__wecard_runtime::UserErrors> {
                self.to_create_request_with(self::__wecard_runtime::ValidationLevel::Default)
            }

            /// The create request for this value, checked at `level` (strict adds data-quality rules).
            ///
            /// # Errors
            ///
            /// Every broken rule, each naming the WeCard field and the struct field it came from.
            fn to_create_request_with(
                &self,
                level: self::__wecard_runtime::ValidationLevel,
            ) -> ::core::result::Result<self::#request, self::__wecard_runtime::UserErrors> {
                let request = self.to_create_request_unchecked();
                match request.validate_with(level) {
                    ::core::result::Result::Ok(()) => ::core::result::Result::Ok(request),
                    ::core::result::Result::Err(errors) => ::core::result::Result::Err(
                        self::__wecard_runtime::UserErrors::from_validation(errors, Self::FIELD_MAP),
                    ),
                }
            }

            /// A value of this type from a member record (a search or list reply).
            ///
            /// # Errors
            ///
            /// The first field the member lacks (saying whether it is 需申请) or whose value does
            /// not fit the struct field's type.
            fn from_member(member: &self::#member) -> ::core::result::Result<Self, self::__wecard_runtime::FromMemberError>;
        }
    }
}

/// The single-value types of the user's fields, in first-seen order.
fn leaf_types(user: &User<'_>) -> Vec<Type> {
    let mut leaves: Vec<Type> = Vec::new();
    for field in user.fields() {
        for side in [field.request(), field.member()].into_iter().flatten() {
            let item = side.ty().item().clone();
            if !leaves.contains(&item) {
                leaves.push(item);
            }
        }
    }
    leaves
}

fn is_copy(model: &Model, ty: &Type) -> bool {
    match ty {
        Type::Int | Type::Bool | Type::DateTime => true,
        Type::Enum(name) => model
            .enum_named(name)
            .is_some_and(|e| e.repr() == EnumRepr::Int),
        Type::String | Type::List(_) | Type::Record(_) => false,
    }
}

/// The conversions that depend on the spec: each coded value and record of the user's fields
/// as itself, and coded values into text (their sourced text). The rest (strings, integers,
/// datetimes, lists, references) are in the runtime.
fn emit_conversions(model: &Model, user: &User<'_>) -> TokenStream {
    let leaves = leaf_types(user);
    let error = quote!(self::__wecard_runtime::ConversionError);
    let identities = leaves
        .iter()
        .filter(|leaf| matches!(leaf, Type::Enum(_) | Type::Record(_)))
        .map(|leaf| {
            let ty = value_type(leaf);
            let (to, from) = if is_copy(model, leaf) {
                (quote!(*self), quote!(*wire))
            } else {
                (
                    quote!(::core::clone::Clone::clone(self)),
                    quote!(::core::clone::Clone::clone(wire)),
                )
            };
            quote! {
                impl self::__wecard_runtime::ToWecard<#ty> for #ty {
                    fn to_wecard(&self) -> #ty {
                        #to
                    }
                }

                impl self::__wecard_runtime::FromWecard<#ty> for #ty {
                    fn from_wecard(wire: &#ty) -> ::core::result::Result<Self, #error> {
                        ::core::result::Result::Ok(#from)
                    }
                }
            }
        });
    let texts = leaves.contains(&Type::String).then(|| {
        let impls = leaves.iter().filter_map(|leaf| {
            let Type::Enum(name) = leaf else {
                return None;
            };
            let ty = value_type(leaf);
            let no_text = format!(
                "code {{}} of `{name}` has no text in the spec (no source shows how a request writes it)"
            );
            Some(quote! {
                /// The code's text (`男` for a gender), which is how text fields such as the
                /// create request's write it. A value the spec gives no text for (an invented
                /// text would reach the server) is not sent: an optional field is left out, and a
                /// required one is sent empty, which validation refuses.
                impl self::__wecard_runtime::ToWecard<::std::string::String> for #ty {
                    fn to_wecard(&self) -> ::std::string::String {
                        ::core::option::Option::map_or_else(self.text(), ::std::string::String::new, ::std::string::ToString::to_string)
                    }

                    fn to_wecard_sent(&self) -> ::core::option::Option<::std::string::String> {
                        ::core::option::Option::map(self.text(), ::std::string::ToString::to_string)
                    }
                }

                /// The code's text, as a create request would send it; a code without one is an
                /// error.
                impl self::__wecard_runtime::FromWecard<#ty> for ::std::string::String {
                    fn from_wecard(wire: &#ty) -> ::core::result::Result<Self, #error> {
                        match wire.text() {
                            ::core::option::Option::Some(text) => ::core::result::Result::Ok(::std::string::ToString::to_string(text)),
                            ::core::option::Option::None => ::core::result::Result::Err(::core::convert::Into::into(::std::format!(#no_text, wire.code()))),
                        }
                    }
                }
            })
        });
        quote! { #(#impls)* }
    });
    quote! {
        #(#identities)*
        #texts
    }
}
