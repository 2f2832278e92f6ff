//! The client (a generator option): the runtime client module, one async method per endpoint,
//! and paging for the paged ones.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Endpoint, Field, Model, Type};
use crate::runtime::CLIENT_SOURCE;
use crate::spec::TokenPlacement;

use super::types::ident;
use super::{EmitError, Options, doc, runtime_module};

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
    let runtime = runtime_module("client", CLIENT_SOURCE, false)?;
    let (token_id, token_path) = (token_endpoint.id(), token_endpoint.path());
    let methods = model
        .endpoints()
        .iter()
        .filter(|endpoint| endpoint.token() != TokenPlacement::None)
        .map(|endpoint| method(options, endpoint));
    let paged = model.endpoints().iter().filter_map(paged_impl);
    Ok(quote! {
        #runtime

        /// The id of the endpoint that issues access tokens.
        #vis const TOKEN_ENDPOINT: &str = #token_id;

        /// The path of the endpoint that issues access tokens.
        #vis const TOKEN_PATH: &str = #token_path;

        impl self::client::Client {
            #(#methods)*
        }

        #(#paged)*
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
            format!("`POST {}`. The request is validated first (unless the client is configured not to).", endpoint.path()),
            String::new(),
            "# Errors".into(),
            String::new(),
            "A [`client::ClientError`](self::client::ClientError): the API's `errcode`, an invalid request, or a failed exchange.".into(),
        ],
    );
    let docs = doc::attrs(&lines);
    let pages = endpoint.paging().map(|paging| {
        let pages_name = format_ident!("{}_pages", endpoint.id());
        let items = paging.items();
        let doc = format!(" Every page of `{}`: the `{items}` of each page, fetched in turn until the reply's `{}` is reached.", endpoint.id(), paging.total());
        quote! {
            #[doc = #doc]
            #vis fn #pages_name(&self, request: #request) -> self::client::Pages<#request> {
                self.pages(request)
            }
        }
    });
    quote! {
        #docs
        #vis async fn #name(&self, request: &#request) -> ::core::result::Result<#response, self::client::ClientError> {
            self.call(request).await
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
        impl self::client::Paged for #request_name {
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
