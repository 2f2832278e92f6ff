//! Open enums: the spec's coded value sets and the error-code table. Every one keeps codes it
//! does not know in an `Unknown` variant, so a new code from the server never breaks a reply.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Enum, Model};
use crate::spec::{EnumRepr, Handling, Scalar};

use super::derives::{self, Shape};
use super::{Options, doc};

/// One known code.
struct Variant {
    ident: proc_macro2::Ident,
    code: Scalar,
    doc: Vec<String>,
    description: String,
    /// The text a request sends for it, where the spec gives one.
    text: Option<String>,
}

fn int_code(code: &Scalar) -> i64 {
    match code {
        Scalar::Int(n) => *n,
        Scalar::String(_) => 0,
    }
}

fn str_code(code: &Scalar) -> String {
    match code {
        Scalar::Int(n) => n.to_string(),
        Scalar::String(s) => s.clone(),
    }
}

/// An open enum with `code()`, `from_code()`, `description()` and serde impls in its wire form.
fn open_enum(
    options: &Options,
    name: &str,
    doc_lines: &[String],
    repr: EnumRepr,
    variants: &[Variant],
    with_text: bool,
) -> TokenStream {
    let vis = &options.visibility;
    let text_doc = doc::fixed(&[
        "The text a request sends where a text field carries this value (`None` when the",
        "spec gives no source for one: such a value is never sent as text).",
    ]);
    let unknown_doc = doc::fixed(&["A code this spec does not list, kept as received."]);
    let known_doc = doc::fixed(&["Every code this spec lists."]);
    let code_doc = doc::fixed(&["The code on the wire."]);
    let from_code_doc =
        doc::fixed(&["The value for a wire code; codes this spec does not list become `Unknown`."]);
    let description_doc = doc::fixed(&[
        "What the code means, as the spec describes it (`None` for an unknown code).",
    ]);
    let text_method = with_text.then(|| {
        let texts = variants.iter().map(|v| match &v.text {
            Some(text) => quote!(::core::option::Option::Some(#text)),
            None => quote!(::core::option::Option::None),
        });
        let idents = variants.iter().map(|v| &v.ident);
        quote! {
            #text_doc
            #vis const fn text(&self) -> ::core::option::Option<&'static str> {
                match self {
                    #(Self::#idents => #texts,)*
                    Self::Unknown(_) => ::core::option::Option::None,
                }
            }
        }
    });
    let type_name = format_ident!("{}", name);
    let doc = doc::attrs(doc_lines);
    let idents: Vec<_> = variants.iter().map(|v| &v.ident).collect();
    let docs = variants.iter().map(|v| doc::attrs(&v.doc));
    let descriptions = variants.iter().map(|v| v.description.as_str());
    let shape = match repr {
        EnumRepr::Int => Shape::IntEnum,
        EnumRepr::String => Shape::StringEnum,
    };
    let extra = derives::for_shape(&options.extra_derives, shape);
    match repr {
        EnumRepr::Int => {
            let codes: Vec<i64> = variants.iter().map(|v| int_code(&v.code)).collect();
            // With no known codes a match would have a single catch-all arm.
            let from_code = if codes.is_empty() {
                quote!(Self::Unknown(code))
            } else {
                quote! {
                    match code {
                        #(#codes => Self::#idents,)*
                        other => Self::Unknown(other),
                    }
                }
            };
            quote! {
                #doc
                #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash #(, #extra)*)]
                #vis enum #type_name {
                    #(#docs #idents,)*
                    #unknown_doc
                    Unknown(i64),
                }

                impl #type_name {
                    #known_doc
                    #vis const KNOWN: &[Self] = &[#(Self::#idents),*];

                    #code_doc
                    #vis const fn code(&self) -> i64 {
                        match self {
                            #(Self::#idents => #codes,)*
                            Self::Unknown(code) => *code,
                        }
                    }

                    #from_code_doc
                    #vis const fn from_code(code: i64) -> Self {
                        #from_code
                    }

                    #description_doc
                    #vis const fn description(&self) -> ::core::option::Option<&'static str> {
                        match self {
                            #(Self::#idents => ::core::option::Option::Some(#descriptions),)*
                            Self::Unknown(_) => ::core::option::Option::None,
                        }
                    }

                    #text_method
                }

                impl self::__wecard_runtime::__private::IntCode for #type_name {
                    fn to_code(&self) -> i64 {
                        self.code()
                    }

                    fn from_code(code: i64) -> Self {
                        Self::from_code(code)
                    }
                }

                impl ::serde::Serialize for #type_name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                        serializer.serialize_i64(self.code())
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for #type_name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                        <i64 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from_code)
                    }
                }
            }
        }
        EnumRepr::String => {
            let codes: Vec<String> = variants.iter().map(|v| str_code(&v.code)).collect();
            let from_code = if codes.is_empty() {
                quote!(Self::Unknown(::std::string::ToString::to_string(code)))
            } else {
                quote! {
                    match code {
                        #(#codes => Self::#idents,)*
                        other => Self::Unknown(::std::string::ToString::to_string(other)),
                    }
                }
            };
            quote! {
                #doc
                #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash #(, #extra)*)]
                #vis enum #type_name {
                    #(#docs #idents,)*
                    #unknown_doc
                    Unknown(::std::string::String),
                }

                impl #type_name {
                    #known_doc
                    #vis const KNOWN: &[Self] = &[#(Self::#idents),*];

                    #code_doc
                    #vis fn code(&self) -> &str {
                        match self {
                            #(Self::#idents => #codes,)*
                            Self::Unknown(code) => code,
                        }
                    }

                    #from_code_doc
                    #vis fn from_code(code: &str) -> Self {
                        #from_code
                    }

                    #description_doc
                    #vis fn description(&self) -> ::core::option::Option<&'static str> {
                        match self {
                            #(Self::#idents => ::core::option::Option::Some(#descriptions),)*
                            Self::Unknown(_) => ::core::option::Option::None,
                        }
                    }

                    #text_method
                }

                impl ::serde::Serialize for #type_name {
                    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error> {
                        serializer.serialize_str(self.code())
                    }
                }

                impl<'de> ::serde::Deserialize<'de> for #type_name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::core::result::Result<Self, D::Error> {
                        let code = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                        ::core::result::Result::Ok(Self::from_code(&code))
                    }
                }

                // Rules check the code (integer-coded enums are covered by `IntCode`).
                impl self::__wecard_runtime::__private::check::Checked for #type_name {
                    fn check(&self, rule: &self::__wecard_runtime::__private::check::Rule, index: ::core::option::Option<usize>, errors: &mut self::__wecard_runtime::ValidationErrors) {
                        self::__wecard_runtime::__private::check::text(self.code(), rule, index, errors);
                    }
                }
            }
        }
    }
}

/// A spec enum.
pub(super) fn emit_enum(options: &Options, definition: &Enum) -> TokenStream {
    let mut lines = doc::escape(definition.description());
    let repr = match definition.repr() {
        EnumRepr::Int => "Integer codes",
        EnumRepr::String => "String codes",
    };
    doc::push_paragraph(
        &mut lines,
        vec![format!(
            "{repr}; codes this spec does not list are kept in `Unknown`."
        )],
    );
    doc::push_note_and_source(&mut lines, definition.note(), definition.source());
    let variants: Vec<Variant> = definition
        .values()
        .iter()
        .map(|value| {
            let code = match value.code() {
                Scalar::Int(n) => format!("`{n}`"),
                Scalar::String(s) => doc::code(s),
            };
            let mut doc_lines = doc::escape(value.description());
            if let Some(last) = doc_lines.last_mut() {
                last.push_str(&format!(" ({code})"));
            }
            if let Some(note) = value.note() {
                doc::push_paragraph(&mut doc_lines, doc::note_lines(note));
            }
            Variant {
                ident: format_ident!("{}", value.variant()),
                code: value.code().clone(),
                doc: doc_lines,
                description: value.description().to_string(),
                text: value.text().map(str::to_string),
            }
        })
        .collect();
    open_enum(
        options,
        definition.name(),
        &lines,
        definition.repr(),
        &variants,
        true,
    )
}

/// `ErrorCode`, from the error table, with each code's meaning and handling.
pub(super) fn emit_error_code(options: &Options, model: &Model) -> TokenStream {
    let vis = &options.visibility;
    let lines = vec![
        "An `errcode` the API returns, from the spec's error table.".to_string(),
        String::new(),
        "`0` means success and is never an `ErrorCode`; any code the table does not list is kept in `Unknown`.".to_string(),
    ];
    let variants: Vec<Variant> = model
        .error_codes()
        .iter()
        .map(|entry| {
            let mut doc_lines = doc::escape(&format!("{} ({})", entry.description(), entry.code()));
            if let Some(meaning) = entry.meaning() {
                doc::push_paragraph(&mut doc_lines, doc::escape(meaning));
            }
            if let Some(note) = entry.note() {
                doc::push_paragraph(&mut doc_lines, doc::note_lines(note));
            }
            Variant {
                ident: format_ident!("{}", entry.variant()),
                code: Scalar::Int(entry.code()),
                doc: doc_lines,
                description: entry.description().to_string(),
                text: None,
            }
        })
        .collect();
    let enum_tokens = open_enum(
        options,
        "ErrorCode",
        &lines,
        EnumRepr::Int,
        &variants,
        false,
    );
    let idents: Vec<_> = variants.iter().map(|v| &v.ident).collect();
    let meanings = model
        .error_codes()
        .iter()
        .map(|e| e.meaning().unwrap_or(e.description()));
    let handlings = model.error_codes().iter().map(|e| {
        let handling = match e.handling() {
            Handling::RefreshToken => quote!(RefreshToken),
            Handling::Configuration => quote!(Configuration),
            Handling::Request => quote!(Request),
            Handling::NotFound => quote!(NotFound),
            Handling::Permission => quote!(Permission),
        };
        quote!(self::__wecard_runtime::ErrorHandling::#handling)
    });
    quote! {
        #enum_tokens

        impl ErrorCode {
            /// What the code means, in English (`None` for an unknown code).
            #vis const fn meaning(&self) -> ::core::option::Option<&'static str> {
                match self {
                    #(Self::#idents => ::core::option::Option::Some(#meanings),)*
                    Self::Unknown(_) => ::core::option::Option::None,
                }
            }

            /// What a client does about it.
            #vis const fn handling(&self) -> self::__wecard_runtime::ErrorHandling {
                match self {
                    #(Self::#idents => #handlings,)*
                    Self::Unknown(_) => self::__wecard_runtime::ErrorHandling::Unknown,
                }
            }

            /// The access token expired or is invalid: drop it, fetch a new one, replay once.
            #vis const fn is_token_error(&self) -> bool {
                matches!(self.handling(), self::__wecard_runtime::ErrorHandling::RefreshToken)
            }

            /// The app's configuration is wrong (credentials, ocode, app not enabled).
            #vis const fn is_configuration_error(&self) -> bool {
                matches!(self.handling(), self::__wecard_runtime::ErrorHandling::Configuration)
            }

            /// The request is wrong (a parameter missing or invalid).
            #vis const fn is_request_error(&self) -> bool {
                matches!(self.handling(), self::__wecard_runtime::ErrorHandling::Request)
            }

            /// What was asked for does not exist.
            #vis const fn is_not_found(&self) -> bool {
                matches!(self.handling(), self::__wecard_runtime::ErrorHandling::NotFound)
            }

            /// The app lacks a grant for this API or field.
            #vis const fn is_permission_error(&self) -> bool {
                matches!(self.handling(), self::__wecard_runtime::ErrorHandling::Permission)
            }
        }

        impl self::__wecard_runtime::ApiErrorCode for ErrorCode {
            fn from_code(code: i64) -> Self {
                Self::from_code(code)
            }

            fn code(&self) -> i64 {
                Self::code(self)
            }

            fn handling(&self) -> self::__wecard_runtime::ErrorHandling {
                Self::handling(self)
            }
        }

        impl ::core::fmt::Display for ErrorCode {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self.description() {
                    ::core::option::Option::Some(description) => ::core::write!(f, "{} ({})", self.code(), description),
                    // `errcode` 0 is success: a caller that makes an `ErrorCode` of it is told so.
                    ::core::option::Option::None if self.code() == 0 => f.write_str("0 (success, not an error)"),
                    ::core::option::Option::None => ::core::write!(f, "{} (unknown error code)", self.code()),
                }
            }
        }
    }
}
