//! The push events: an open `Event` enum, typed by each event's payload record, and (with the
//! `events` option) its implementation of the runtime's `PushEvent`, which the runtime's
//! receiver needs.
//!
//! `from_push` and `to_data` are `#[inline]`: decoding and encoding the payload records (the
//! member record's deserializer above all) is most of the module's machine code, and an inline
//! function is compiled only in a crate that calls it, so an application that never reads
//! events does not pay for it in its build.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Events, Model};

use super::{Options, doc};

/// The `Event` enum and its glue, or nothing when the spec has no `events:`.
pub(super) fn emit_events(model: &Model, options: &Options) -> TokenStream {
    let Some(events) = model.events() else {
        return TokenStream::new();
    };
    let vis = &options.visibility;
    let codes_enum = format_ident!("{}", events.codes());
    let enum_doc = doc::attrs(&enum_doc(events));
    let variants = events.list().iter().map(|event| {
        let ident = format_ident!("{}", event.variant());
        let mut lines = doc::escape(event.description());
        doc::push_paragraph(
            &mut lines,
            vec![format!("Event code {}.", doc::code(event.code()))],
        );
        if event.payload().is_none() {
            doc::push_paragraph(
                &mut lines,
                vec!["Its payload is undocumented: kept as the decrypted JSON.".to_string()],
            );
        }
        doc::push_note_and_source(&mut lines, event.note(), event.source());
        let attrs = doc::attrs(&lines);
        match event.payload() {
            Some(record) => {
                let record = format_ident!("{}", record);
                quote!(#attrs #ident(self::#record),)
            }
            None => quote!(#attrs #ident(::serde_json::Value),),
        }
    });
    let idents: Vec<_> = events
        .list()
        .iter()
        .map(|event| format_ident!("{}", event.variant()))
        .collect();
    let codes: Vec<&str> = events.list().iter().map(|event| event.code()).collect();
    let from_arms = events.list().iter().map(|event| {
        let ident = format_ident!("{}", event.variant());
        let code = event.code();
        match event.payload() {
            Some(_) => quote!(#code => Self::#ident(::serde_json::from_value(data)?),),
            None => quote!(#code => Self::#ident(data),),
        }
    });
    let to_arms = events.list().iter().map(|event| {
        let ident = format_ident!("{}", event.variant());
        match event.payload() {
            Some(_) => quote!(Self::#ident(payload) => ::serde_json::to_value(payload),),
            None => quote!(Self::#ident(data) => ::core::result::Result::Ok(data.clone()),),
        }
    });
    let push_event = options.events.then(|| {
        quote! {
            impl self::__wecard_runtime::events::PushEvent for Event {
                #[inline]
                fn from_push(code: &str, data: ::serde_json::Value) -> ::core::result::Result<Self, ::serde_json::Error> {
                    Self::from_push(code, data)
                }

                fn code(&self) -> &str {
                    Self::code(self)
                }

                #[inline]
                fn to_data(&self) -> ::core::result::Result<::serde_json::Value, ::serde_json::Error> {
                    Self::to_data(self)
                }
            }
        }
    });
    quote! {
        #enum_doc
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        #vis enum Event {
            #(#variants)*
            /// An event code this spec does not list, with its decrypted payload.
            Unknown {
                /// The code as received.
                code: ::std::string::String,
                /// The decrypted payload.
                data: ::serde_json::Value,
            },
        }

        impl Event {
            /// The codes of the events this spec lists, in its order.
            #vis const CODES: &[&str] = &[#(#codes),*];

            /// The event code as WeCard writes it (`addUser`).
            #vis fn code(&self) -> &str {
                match self {
                    #(Self::#idents(_) => #codes,)*
                    Self::Unknown { code, .. } => code,
                }
            }

            /// The event code as the spec's code enum.
            #vis fn event_type(&self) -> self::#codes_enum {
                self::#codes_enum::from_code(self.code())
            }

            /// The event for `code` from its decrypted payload; a code the spec does not list
            /// becomes [`Event::Unknown`].
            ///
            /// # Errors
            ///
            /// When the payload of a listed event does not have its record's shape.
            #[inline]
            #vis fn from_push(code: &str, data: ::serde_json::Value) -> ::core::result::Result<Self, ::serde_json::Error> {
                ::core::result::Result::Ok(match code {
                    #(#from_arms)*
                    _ => Self::Unknown { code: code.to_string(), data },
                })
            }

            /// The payload as JSON, as it is encrypted into `raw_data`.
            ///
            /// # Errors
            ///
            /// When the payload cannot be written as JSON.
            #[inline]
            #vis fn to_data(&self) -> ::core::result::Result<::serde_json::Value, ::serde_json::Error> {
                match self {
                    #(#to_arms)*
                    Self::Unknown { data, .. } => ::core::result::Result::Ok(data.clone()),
                }
            }
        }

        #push_event
    }
}

fn enum_doc(events: &Events) -> Vec<String> {
    let mut lines = vec![
        "A push event: what WeCard POSTs to a school's URL, its payload decrypted.".to_string(),
    ];
    if let Some(description) = events.description() {
        doc::push_paragraph(&mut lines, doc::escape(description));
    }
    doc::push_paragraph(
        &mut lines,
        vec![
            "Open: a code the spec does not list is kept, with its JSON, in `Unknown`.".to_string(),
        ],
    );
    doc::push_note_and_source(&mut lines, events.note(), events.source());
    lines
}
