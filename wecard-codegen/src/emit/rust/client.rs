//! The client (a generator option): a `client` module that binds the runtime's generic client
//! to this API (its token endpoint, error codes and base URL), with one async method per
//! endpoint and paging for the paged ones.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Endpoint, Field, Model, RuleKind, Type};
use crate::spec::{Scalar, TokenPlacement};

use super::types::ident;
use super::{EmitError, Options, doc};

/// Methods the generated `Client` defines besides the endpoints'; an endpoint id may not take
/// one of these names (the runtime client's own methods are reached through `Deref` and are
/// shadowed, not clashed with).
pub const CLIENT_METHODS: &[&str] = &["new", "with_transport"];

/// Everything the client adds to the module.
pub(super) fn emit_client(model: &Model, options: &Options) -> Result<TokenStream, EmitError> {
    let vis = &options.visibility;
    let token_endpoint = model
        .endpoints()
        .iter()
        .find(|endpoint| endpoint.token() == TokenPlacement::None)
        .ok_or_else(|| {
            EmitError("the client needs the token endpoint: an endpoint with `token: none`".into())
        })?;
    let token_request = format_ident!("{}", token_endpoint.request().type_name());
    let token_response = format_ident!("{}", token_endpoint.response().type_name());
    let build_token_request = token_request_literal(token_endpoint)?;
    let grant = token_grant(token_endpoint)?;
    let [new, with_transport] = CLIENT_METHODS else {
        return Err(EmitError("internal error: client method names".into()));
    };
    let (new, with_transport) = (
        format_ident!("{}", new),
        format_ident!("{}", with_transport),
    );
    Ok(quote! {
        /// The async client: access tokens fetched, cached and refreshed for you, requests
        /// validated before they are sent, every failure a typed [`ClientError`](client::ClientError).
        #vis mod client {
            #vis use super::__wecard_runtime::client::{
                ClientConfig, DriftEntry, DriftKind, HttpResponse, Paged, ReqwestTransport, Secret, TokenGrant, Transport,
                TransportError, TransportErrorKind, TransportFuture,
            };

            /// This API as the runtime client sees it: its token endpoint, error codes and
            /// default base URL.
            #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::marker::Copy)]
            #vis struct Api;

            impl super::__wecard_runtime::client::Api for Api {
                type ErrorCode = super::ErrorCode;
                type TokenRequest = super::#token_request;
                const DEFAULT_BASE_URL: &'static str = super::DEFAULT_BASE_URL;
                const TOKEN_PARAM: &'static str = super::TOKEN_PARAM;

                fn token_request(app_key: &str, app_secret: &Secret, ocode: &str) -> super::#token_request {
                    #build_token_request
                }

                fn token_grant(reply: super::#token_response) -> TokenGrant {
                    #grant
                }
            }

            /// Why a call failed. `Display` and `Debug` never show the app secret or a token.
            #vis type ClientError = super::__wecard_runtime::client::ClientError<super::ErrorCode>;

            /// Pages of a paged endpoint, fetched one after another.
            #vis type Pages<R> = super::__wecard_runtime::client::Pages<Api, R>;

            /// The client: one async method per endpoint; the runtime client's own methods
            /// (`call`, `pages`, `access_token`, `forget_token`, `config`) through `Deref`.
            /// Cheap to clone; clones share the transport and the token cache.
            #[derive(::core::fmt::Debug, ::core::clone::Clone)]
            #vis struct Client(super::__wecard_runtime::client::Client<Api>);

            impl Client {
                /// A client on the default `reqwest` transport.
                #vis fn #new(config: ClientConfig) -> Self {
                    Self(super::__wecard_runtime::client::Client::new(config))
                }

                /// A client on another transport (another HTTP stack, or a test double).
                #vis fn #with_transport(config: ClientConfig, transport: impl Transport) -> Self {
                    Self(super::__wecard_runtime::client::Client::with_transport(config, transport))
                }
            }

            impl ::core::ops::Deref for Client {
                type Target = super::__wecard_runtime::client::Client<Api>;

                fn deref(&self) -> &Self::Target {
                    &self.0
                }
            }
        }
    })
}

/// The client's method (and paging) for one endpoint, beside the `client` module: each endpoint
/// is its own part of the module, emitted and formatted on its own.
pub(super) fn emit_endpoint_client(options: &Options, endpoint: &Endpoint) -> TokenStream {
    if endpoint.token() == TokenPlacement::None {
        return TokenStream::new();
    }
    let method = method(options, endpoint);
    let paged = paged_impl(endpoint);
    quote! {
        impl self::client::Client {
            #method
        }

        #paged
    }
}

/// The token request: the credentials where the spec names them (`app_key`, `app_secret`,
/// `ocode`), each other field its one allowed value, or absent when optional.
fn token_request_literal(endpoint: &Endpoint) -> Result<TokenStream, EmitError> {
    let request = format_ident!("{}", endpoint.request().type_name());
    let mut fields = Vec::new();
    for field in endpoint.request().fields() {
        let name = ident(field.rust_name());
        let value = match field.wire_name() {
            "app_key" => Some(quote!(::std::string::ToString::to_string(app_key))),
            "app_secret" => Some(quote!(::std::string::ToString::to_string(
                app_secret.expose()
            ))),
            "ocode" => Some(quote!(::std::string::ToString::to_string(ocode))),
            _ => fixed_text(field).map(|text| quote!(::std::string::ToString::to_string(#text))),
        };
        let value = match (value, field.required()) {
            (Some(value), true) => value,
            (Some(value), false) => quote!(::core::option::Option::Some(#value)),
            (None, false) => quote!(::core::option::Option::None),
            (None, true) => {
                return Err(EmitError(format!(
                    "the client cannot fill the token request's required field `{}`: it is not `app_key`, `app_secret` or `ocode`, and no `one_of` rule gives it a single value",
                    field.wire_name()
                )));
            }
        };
        fields.push(quote!(#name: #value));
    }
    Ok(quote!(super::#request { #(#fields),* }))
}

/// The single value a `one_of` rule allows a string field, if it has such a rule.
fn fixed_text(field: &Field) -> Option<&str> {
    if field.ty() != &Type::String {
        return None;
    }
    field.rules().iter().find_map(|rule| match rule.kind() {
        RuleKind::OneOf(values) => match values.as_slice() {
            [Scalar::String(text)] => Some(text.as_str()),
            _ => None,
        },
        _ => None,
    })
}

/// Reads the token reply: `access_token`, `expires_in`, `errcode` and whatever messages it has,
/// each only when the reply type has it with the expected type.
fn token_grant(endpoint: &Endpoint) -> Result<TokenStream, EmitError> {
    let reply = endpoint.response();
    let read = |wire: &str, ty: Type| -> Option<TokenStream> {
        let field = reply.field(wire).filter(|field| field.ty() == &ty)?;
        let name = ident(field.rust_name());
        Some(match (field.required(), field.nullable()) {
            (true, _) => quote!(::core::option::Option::Some(reply.#name)),
            (false, true) => {
                quote!(reply.#name.and_then(super::__wecard_runtime::Nullable::into_option))
            }
            (false, false) => quote!(reply.#name),
        })
    };
    let none = quote!(::core::option::Option::None);
    let access_token = read("access_token", Type::String).ok_or_else(|| {
        EmitError(format!(
            "the client needs the token reply `{}` to have a string field `access_token`",
            reply.type_name()
        ))
    })?;
    let expires_in = read("expires_in", Type::Int).unwrap_or_else(|| none.clone());
    let errcode = read("errcode", Type::Int).unwrap_or(none);
    let messages: Vec<TokenStream> = ["errmsg", "error", "error_description"]
        .into_iter()
        .filter_map(|wire| read(wire, Type::String))
        .collect();
    let messages = if messages.is_empty() {
        quote!(::std::vec::Vec::new())
    } else {
        quote!([#(#messages),*].into_iter().flatten().collect())
    };
    Ok(quote! {
        TokenGrant {
            access_token: #access_token.map(Secret::new),
            expires_in: #expires_in,
            errcode: #errcode,
            messages: #messages,
        }
    })
}

fn method(options: &Options, endpoint: &Endpoint) -> TokenStream {
    let vis = &options.visibility;
    let name = format_ident!("{}", endpoint.id());
    let request = format_ident!("{}", endpoint.request().type_name());
    let response = format_ident!("{}", endpoint.response().type_name());
    let mut lines = doc::escape(endpoint.summary());
    if let Some(description) = endpoint.description() {
        doc::push_paragraph(&mut lines, doc::escape(description));
    }
    doc::push_paragraph(
        &mut lines,
        vec![
            format!(
                "`{} {}`. The request is validated first (unless the client is configured not to).",
                endpoint.method().as_str(),
                endpoint.path()
            ),
            String::new(),
            "# Errors".into(),
            String::new(),
            "A [`ClientError`](self::client::ClientError): the API's `errcode`, an invalid \
             request, or a failed exchange."
                .into(),
        ],
    );
    let docs = doc::attrs(&lines);
    let pages = endpoint.paging().map(|paging| {
        let pages_name = format_ident!("{}_pages", endpoint.id());
        let items = paging.items();
        let doc = format!(" Every page of `{}`: the `{items}` of each page, fetched in turn until the reply's `{}` is reached.", endpoint.id(), paging.total());
        quote! {
            #[doc = #doc]
            #vis fn #pages_name(&self, request: self::#request) -> self::client::Pages<self::#request> {
                self::__wecard_runtime::client::Client::pages(::core::ops::Deref::deref(self), request)
            }
        }
    });
    quote! {
        #docs
        #vis async fn #name(&self, request: &self::#request) -> ::core::result::Result<self::#response, self::client::ClientError> {
            self::__wecard_runtime::client::Client::call(::core::ops::Deref::deref(self), request).await
        }

        #pages
    }
}

/// Reads an optional or required `int` field as `Option<i64>`.
fn read_int(field: &Field, owner: TokenStream) -> TokenStream {
    let name = ident(field.rust_name());
    if field.required() {
        quote!(::core::option::Option::Some(#owner.#name))
    } else {
        quote!(#owner.#name)
    }
}

fn paged_impl(endpoint: &Endpoint) -> Option<TokenStream> {
    let paging = endpoint.paging()?;
    let request = endpoint.request();
    let response = endpoint.response();
    let (page, page_size) = (
        request.field(paging.page())?,
        request.field(paging.page_size())?,
    );
    let (total, items) = (
        response.field(paging.total())?,
        response.field(paging.items())?,
    );
    let Type::List(item) = items.ty() else {
        return None;
    };
    let item = super::types::value_type(item);
    let request_name = format_ident!("{}", request.type_name());
    let max = match paging.max_page_size() {
        Some(max) => quote!(::core::option::Option::Some(#max)),
        None => quote!(::core::option::Option::None),
    };
    let read_page = read_int(page, quote!(self));
    let read_page_size = read_int(page_size, quote!(self));
    let set = |field: &Field, value: TokenStream| {
        let name = ident(field.rust_name());
        if field.required() {
            quote!(self.#name = #value;)
        } else {
            quote!(self.#name = ::core::option::Option::Some(#value);)
        }
    };
    let set_page = set(page, quote!(page));
    let set_page_size = set(page_size, quote!(page_size));
    let read_total = read_int(total, quote!(response));
    let items_name = ident(items.rust_name());
    let read_items = if items.required() {
        quote!(response.#items_name)
    } else {
        quote!(response.#items_name.unwrap_or_default())
    };
    Some(quote! {
        impl self::__wecard_runtime::client::Paged for #request_name {
            type Item = #item;
            const MAX_PAGE_SIZE: ::core::option::Option<i64> = #max;

            fn page(&self) -> ::core::option::Option<i64> {
                #read_page
            }

            fn page_size(&self) -> ::core::option::Option<i64> {
                #read_page_size
            }

            fn set_page(&mut self, page: i64, page_size: i64) {
                #set_page
                #set_page_size
            }

            fn into_page(response: Self::Response) -> (::core::option::Option<i64>, ::std::vec::Vec<Self::Item>) {
                (#read_total, #read_items)
            }
        }
    })
}
