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
    let errors = emit_errors(&user, options);
    let conversions = emit_conversions(model, &user, options);
    quote! {
        #trait_item
        #errors
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
            fn to_create_request(&self) -> ::core::result::Result<self::#request, self::UserErrors> {
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
            ) -> ::core::result::Result<self::#request, self::UserErrors> {
                let request = self.to_create_request_unchecked();
                match request.validate_with(level) {
                    ::core::result::Result::Ok(()) => ::core::result::Result::Ok(request),
                    ::core::result::Result::Err(errors) => ::core::result::Result::Err(
                        self::UserErrors::from_validation(errors, Self::FIELD_MAP),
                    ),
                }
            }

            /// A value of this type from a member record (a search or list reply).
            ///
            /// # Errors
            ///
            /// The first field the member lacks (saying whether it is 需申请) or whose value does
            /// not fit the struct field's type.
            fn from_member(member: &self::#member) -> ::core::result::Result<Self, self::FromMemberError>;
        }
    }
}

fn emit_errors(user: &User<'_>, options: &Options) -> TokenStream {
    let vis = &options.visibility;
    let member = user.member().name();
    let member_doc =
        format!(" Why a [`{member}`] could not become a value of a [`WecardUser`] type.");
    quote! {
        /// One way a [`WecardUser`] value breaks the API's rules, naming both the WeCard field and
        /// the struct field that holds it.
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, ::core::cmp::Eq)]
        #vis struct UserError {
            /// The WeCard field's wire name (`card_number`).
            #vis wecard_field: &'static str,
            /// The struct field that holds it; `None` when a container constant sets it.
            #vis struct_field: ::core::option::Option<&'static str>,
            /// The broken rule, as the request's validation reports it.
            #vis error: self::__wecard_runtime::ValidationError,
        }

        impl ::core::fmt::Display for UserError {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self.struct_field {
                    ::core::option::Option::Some(field) => ::core::write!(f, "field `{}` (WeCard `{}`", field, self.wecard_field)?,
                    ::core::option::Option::None => ::core::write!(f, "constant (WeCard `{}`", self.wecard_field)?,
                }
                if let ::core::option::Option::Some(index) = self.error.index {
                    ::core::write!(f, ", item {}", index)?;
                }
                ::core::write!(f, "): {} ({})", self.error.message_en(), self.error.message_zh())
            }
        }

        impl ::std::error::Error for UserError {}

        /// Every way a [`WecardUser`] value breaks the API's rules, in the request's field order.
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, ::core::cmp::Eq)]
        #vis struct UserErrors {
            errors: ::std::vec::Vec<self::UserError>,
        }

        impl UserErrors {
            fn from_validation(
                errors: self::__wecard_runtime::ValidationErrors,
                field_map: &'static [(&'static str, &'static str)],
            ) -> Self {
                let errors = errors
                    .into_iter()
                    .map(|error| self::UserError {
                        wecard_field: error.field,
                        struct_field: field_map
                            .iter()
                            .find(|(wecard, _)| *wecard == error.field)
                            .map(|(_, field)| *field),
                        error,
                    })
                    .collect();
                Self { errors }
            }

            /// The errors, in the request's field order.
            #vis fn errors(&self) -> &[self::UserError] {
                &self.errors
            }

            /// An iterator over the errors.
            #vis fn iter(&self) -> ::core::slice::Iter<'_, self::UserError> {
                self.errors.iter()
            }

            /// How many there are.
            #vis fn len(&self) -> usize {
                self.errors.len()
            }

            /// Whether there are none.
            #vis fn is_empty(&self) -> bool {
                self.errors.is_empty()
            }
        }

        impl ::core::fmt::Display for UserErrors {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                for (at, error) in self.errors.iter().enumerate() {
                    if at > 0 {
                        f.write_str("; ")?;
                    }
                    ::core::fmt::Display::fmt(error, f)?;
                }
                ::core::result::Result::Ok(())
            }
        }

        impl ::std::error::Error for UserErrors {}

        impl ::core::iter::IntoIterator for UserErrors {
            type Item = self::UserError;
            type IntoIter = ::std::vec::IntoIter<self::UserError>;

            fn into_iter(self) -> Self::IntoIter {
                self.errors.into_iter()
            }
        }

        #[doc = #member_doc]
        #[derive(::core::fmt::Debug)]
        #vis enum FromMemberError {
            /// The member has no value for a field the struct needs (a non-`Option` field).
            Missing {
                /// The WeCard field's wire name.
                wecard_field: &'static str,
                /// The struct field that needs it.
                struct_field: &'static str,
                /// The field is 需申请: the server sends it only to apps granted it, so an app without
                /// the grant never receives it.
                needs_grant: bool,
            },
            /// The member's value does not convert into the struct field's type.
            Invalid {
                /// The WeCard field's wire name.
                wecard_field: &'static str,
                /// The struct field it was read into.
                struct_field: &'static str,
                /// Why the conversion failed.
                source: ::std::boxed::Box<dyn ::std::error::Error + ::core::marker::Send + ::core::marker::Sync>,
            },
        }

        impl FromMemberError {
            /// The WeCard field's wire name.
            #vis fn wecard_field(&self) -> &'static str {
                match self {
                    Self::Missing { wecard_field, .. } | Self::Invalid { wecard_field, .. } => wecard_field,
                }
            }

            /// The struct field concerned.
            #vis fn struct_field(&self) -> &'static str {
                match self {
                    Self::Missing { struct_field, .. } | Self::Invalid { struct_field, .. } => struct_field,
                }
            }

            /// Whether the field is missing because it is 需申请 (the app may lack the grant).
            #vis fn needs_grant(&self) -> bool {
                ::core::matches!(self, Self::Missing { needs_grant: true, .. })
            }
        }

        impl ::core::fmt::Display for FromMemberError {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self {
                    Self::Missing { wecard_field, struct_field, needs_grant: true } => ::core::write!(
                        f,
                        "the member has no `{}`, which field `{}` needs; `{}` is 需申请 (sent only to apps granted it): apply for it, or make the field an `Option`",
                        wecard_field, struct_field, wecard_field
                    ),
                    Self::Missing { wecard_field, struct_field, needs_grant: false } => ::core::write!(
                        f,
                        "the member has no `{}`, which field `{}` needs; make the field an `Option` if the server may leave it out",
                        wecard_field, struct_field
                    ),
                    Self::Invalid { wecard_field, struct_field, source } => ::core::write!(
                        f,
                        "the member's `{}` does not fit field `{}`: {}",
                        wecard_field, struct_field, source
                    ),
                }
            }
        }

        impl ::std::error::Error for FromMemberError {
            fn source(&self) -> ::core::option::Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Self::Invalid { source, .. } => ::core::option::Option::Some(&**source),
                    Self::Missing { .. } => ::core::option::Option::None,
                }
            }
        }
    }
}

/// The single-value types of the user's fields, in first-seen order, and whether lists occur.
fn leaf_types(user: &User<'_>) -> (Vec<Type>, bool) {
    let mut leaves: Vec<Type> = Vec::new();
    let mut lists = false;
    for field in user.fields() {
        for side in [field.request(), field.member()].into_iter().flatten() {
            lists |= matches!(side.ty(), Type::List(_));
            let item = side.ty().item().clone();
            if !leaves.contains(&item) {
                leaves.push(item);
            }
        }
    }
    (leaves, lists)
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

/// Integer types that widen losslessly into the API's `int` (`i64`), and back with a range check.
const NARROW_INTS: &[&str] = &["i8", "i16", "i32", "u8", "u16", "u32"];

fn emit_conversions(model: &Model, user: &User<'_>, options: &Options) -> TokenStream {
    let vis = &options.visibility;
    let (leaves, lists) = leaf_types(user);
    let boxed = quote!(
        ::std::boxed::Box<dyn ::std::error::Error + ::core::marker::Send + ::core::marker::Sync>
    );
    let identities = leaves.iter().map(|leaf| {
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
            impl self::ToWecard<#ty> for #ty {
                fn to_wecard(&self) -> #ty {
                    #to
                }
            }

            impl self::FromWecard<#ty> for #ty {
                fn from_wecard(wire: &#ty) -> ::core::result::Result<Self, #boxed> {
                    ::core::result::Result::Ok(#from)
                }
            }
        }
    });
    let widenings = leaves.contains(&Type::Int).then(|| {
        let impls = NARROW_INTS.iter().map(|name| {
            let narrow = format_ident!("{}", name);
            let out_of_range = format!("{{}} is out of range for `{name}`");
            quote! {
                impl self::ToWecard<i64> for #narrow {
                    fn to_wecard(&self) -> i64 {
                        ::core::convert::From::from(*self)
                    }
                }

                impl self::FromWecard<i64> for #narrow {
                    fn from_wecard(wire: &i64) -> ::core::result::Result<Self, #boxed> {
                        <#narrow as ::core::convert::TryFrom<i64>>::try_from(*wire)
                            .map_err(|_| ::core::convert::Into::into(::std::format!(#out_of_range, wire)))
                    }
                }
            }
        });
        quote! { #(#impls)* }
    });
    let texts = leaves.contains(&Type::String).then(|| {
        let impls = leaves.iter().filter_map(|leaf| {
            let Type::Enum(name) = leaf else {
                return None;
            };
            let ty = value_type(leaf);
            let no_description = format!("code {{}} of `{name}` has no description in the spec");
            Some(quote! {
                /// The code's description (`男` for a gender), which is how text fields such as
                /// the create request's write it; a code the spec does not list is sent as itself.
                impl self::ToWecard<::std::string::String> for #ty {
                    fn to_wecard(&self) -> ::std::string::String {
                        match self.description() {
                            ::core::option::Option::Some(text) => ::std::string::ToString::to_string(text),
                            ::core::option::Option::None => ::std::string::ToString::to_string(&self.code()),
                        }
                    }
                }

                /// The code's description, as a create request would send it.
                impl self::FromWecard<#ty> for ::std::string::String {
                    fn from_wecard(wire: &#ty) -> ::core::result::Result<Self, #boxed> {
                        match wire.description() {
                            ::core::option::Option::Some(text) => ::core::result::Result::Ok(::std::string::ToString::to_string(text)),
                            ::core::option::Option::None => ::core::result::Result::Err(::core::convert::Into::into(::std::format!(#no_description, wire.code()))),
                        }
                    }
                }
            })
        });
        quote! { #(#impls)* }
    });
    let strs = leaves.contains(&Type::String).then(|| {
        quote! {
            impl self::ToWecard<::std::string::String> for str {
                fn to_wecard(&self) -> ::std::string::String {
                    ::std::borrow::ToOwned::to_owned(self)
                }
            }

            impl self::ToWecard<::std::string::String> for ::std::borrow::Cow<'_, str> {
                fn to_wecard(&self) -> ::std::string::String {
                    ::std::string::ToString::to_string(self)
                }
            }
        }
    });
    let list_impls = lists.then(|| {
        quote! {
            impl<T: self::ToWecard<W>, W> self::ToWecard<::std::vec::Vec<W>> for ::std::vec::Vec<T> {
                fn to_wecard(&self) -> ::std::vec::Vec<W> {
                    self.iter().map(self::ToWecard::to_wecard).collect()
                }
            }

            impl<T: self::FromWecard<W>, W> self::FromWecard<::std::vec::Vec<W>> for ::std::vec::Vec<T> {
                fn from_wecard(wire: &::std::vec::Vec<W>) -> ::core::result::Result<Self, #boxed> {
                    wire.iter().map(T::from_wecard).collect()
                }
            }
        }
    });
    quote! {
        /// Converts a field of a [`WecardUser`] type into the wire type `W` of its WeCard field.
        ///
        /// Implemented for every wire type itself, for narrower integers into `i64`, for `str`
        /// and `Cow<str>` into `String`, for coded values into text (their description), for
        /// references as what they refer to, and for lists item by item. Implement it for a type
        /// of your own, or convert with `#[wecard(with = module)]`.
        #[diagnostic::on_unimplemented(
            message = "`{Self}` cannot be sent as the WeCard wire type `{W}`",
            label = "`{Self}` does not convert into `{W}`",
            note = "a field mapped onto a WeCard field needs a type that converts into the field's wire type: `{W}` itself, or a type with a `ToWecard<{W}>` implementation (narrower integers convert into `i64`)",
            note = "to keep this type, convert it with `#[wecard(with = module)]`, where `module::to_wecard(&{Self}) -> {W}` and `module::from_wecard(&{W}) -> Result<{Self}, E>`, or implement `ToWecard<{W}>` for it"
        )]
        #vis trait ToWecard<W> {
            /// The wire value.
            fn to_wecard(&self) -> W;
        }

        /// Converts the wire value `W` of a WeCard field into a field of a [`WecardUser`] type.
        ///
        /// Implemented for every wire type itself, for `i64` into narrower integers (with a range
        /// check), for coded values into text (their description), and for lists item by item.
        #[diagnostic::on_unimplemented(
            message = "`{Self}` cannot be read from the WeCard wire type `{W}`",
            label = "`{Self}` cannot be read from `{W}`",
            note = "`from_member` fills this field from the member record, where the value is a `{W}`",
            note = "if the field cannot be read back from a member, mark it `#[wecard(write_only)]` (`from_member` then fills it with `Default::default()`); to keep this type, convert it with `#[wecard(with = module)]` or implement `FromWecard<{W}>` for it"
        )]
        #vis trait FromWecard<W>: ::core::marker::Sized {
            /// The value for a wire value.
            ///
            /// # Errors
            ///
            /// When the wire value does not fit `Self` (an integer out of range, a code the spec
            /// has no text for).
            fn from_wecard(wire: &W) -> ::core::result::Result<Self, #boxed>;
        }

        /// A reference converts as what it refers to (`&str` as `str`, `&String` as `String`).
        impl<T: self::ToWecard<W> + ?::core::marker::Sized, W> self::ToWecard<W> for &T {
            fn to_wecard(&self) -> W {
                (**self).to_wecard()
            }
        }

        #(#identities)*
        #strs
        #widenings
        #texts
        #list_impls
    }
}
