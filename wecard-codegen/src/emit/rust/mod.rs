//! The Rust emitter: one self-contained module from the model, through `quote` and
//! `prettyplease`.
//!
//! The output is deterministic (spec order, no maps iterated, no timestamps), uses fully
//! qualified paths for everything outside itself (so a spec record named `Result` or `String`
//! cannot break it), and is meant to be `include!`d into a module of the user's crate.

mod client;
mod derives;
mod doc;
mod doc_blocks;
mod drift;
mod embed;
mod enums;
mod events;
mod parts;
mod types;
mod user;
mod validate;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Endpoint, Model};
use crate::spec::TokenPlacement;

use parts::Part;
use types::Side;

pub use client::CLIENT_METHODS;
pub use doc::rule_text;
pub(crate) use types::can_default;

/// Choices that shape the generated Rust.
#[derive(Debug, Clone)]
pub struct Options {
    /// Visibility of generated items (`pub` by default).
    pub(crate) visibility: TokenStream,
    /// Extra derives added to every generated struct and enum (`::std::hash::Hash`, ...), each
    /// only where the type does not have it already and can have it.
    pub(crate) extra_derives: Vec<derives::ExtraDerive>,
    /// Whether strict (data-quality) rules are generated at all.
    pub(crate) strict_rules: bool,
    /// Whether the async client is generated (it needs `tokio` and `reqwest`).
    pub(crate) client: bool,
    /// Whether `Event` implements the runtime's `PushEvent` (it needs the runtime's `events`
    /// feature).
    pub(crate) events: bool,
    /// The path of the runtime crate (`::wecard_runtime`), or `None` to embed the runtime.
    pub(crate) runtime: Option<TokenStream>,
    /// How many threads generation may use (`None`: one per core).
    pub(crate) jobs: Option<std::num::NonZeroUsize>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            visibility: quote!(pub),
            extra_derives: Vec::new(),
            strict_rules: true,
            client: false,
            events: false,
            runtime: Some(quote!(::wecard_runtime)),
            jobs: None,
        }
    }
}

/// Why generation failed: a bad option, never a bad spec (a loaded model is always emittable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmitError(pub(crate) String);

impl std::fmt::Display for EmitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EmitError {}

impl Options {
    /// Sets the visibility of generated items, as Rust source (`pub`, `pub(crate)`).
    ///
    /// # Errors
    ///
    /// When `visibility` is not a Rust visibility.
    pub fn with_visibility(mut self, visibility: &str) -> Result<Self, EmitError> {
        let parsed: syn::Visibility = syn::parse_str(visibility).map_err(|_| {
            EmitError(format!(
                "`{visibility}` is not a Rust visibility such as `pub` or `pub(crate)`"
            ))
        })?;
        self.visibility = quote!(#parsed);
        Ok(self)
    }

    /// Adds a derive to every generated type, as a Rust path (`::std::hash::Hash`).
    ///
    /// A standard trait (bare, or under `std`, `core` or `alloc`) or serde's `Serialize` and
    /// `Deserialize` is added only to the types that do not have it yet and can have it: asking
    /// for `Hash` adds it to structs (enums already have it), `Copy` and `Default` never reach a
    /// type holding a string or an enum, and `PartialOrd`/`Ord` reach enums only (structs hold
    /// JSON values). Any other derive is added to every type, once.
    ///
    /// # Errors
    ///
    /// When `path` is not a Rust path.
    pub fn with_derive(mut self, path: &str) -> Result<Self, EmitError> {
        let parsed: syn::Path = syn::parse_str(path).map_err(|_| {
            EmitError(format!(
                "`{path}` is not a derive path such as `::std::hash::Hash`"
            ))
        })?;
        self.extra_derives.push(derives::ExtraDerive::new(&parsed));
        Ok(self)
    }

    /// Turns the strict (data-quality) rules on or off.
    pub fn with_strict_rules(mut self, on: bool) -> Self {
        self.strict_rules = on;
        self
    }

    /// Turns the async client on or off (off by default: types-only users need no HTTP stack).
    pub fn with_client(mut self, on: bool) -> Self {
        self.client = on;
        self
    }

    /// Turns on the push-event glue: `Event` implements the runtime's `PushEvent`, so that the
    /// runtime's `events::Receiver` can produce it (needs the runtime's `events` feature). The
    /// `Event` enum itself is generated whenever the spec has `events:`. Off by default.
    pub fn with_events(mut self, on: bool) -> Self {
        self.events = on;
        self
    }

    /// Sets the path generated code uses for the runtime crate (default `::wecard_runtime`), for
    /// a crate that re-exports it or depends on it under another name.
    ///
    /// # Errors
    ///
    /// When `path` is not a Rust path.
    pub fn with_runtime_path(mut self, path: &str) -> Result<Self, EmitError> {
        let parsed: syn::Path = syn::parse_str(path).map_err(|_| {
            EmitError(format!(
                "`{path}` is not a path to the runtime crate such as `::wecard_runtime`"
            ))
        })?;
        self.runtime = Some(quote!(#parsed));
        Ok(self)
    }

    /// Caps the threads generation uses (`0`: one per core, the default). A large spec's parts
    /// are emitted and formatted in parallel; the output is the same for any number of threads.
    pub fn with_jobs(mut self, jobs: usize) -> Self {
        self.jobs = std::num::NonZeroUsize::new(jobs);
        self
    }

    /// Embeds the runtime into the generated file as a module `runtime`, so that the output
    /// needs no `wecard-runtime` dependency (only `serde` and `serde_json`, and for the client
    /// `tokio` and `reqwest`). Off by default.
    pub fn with_embedded_runtime(mut self, on: bool) -> Self {
        if on {
            self.runtime = None;
        } else if self.runtime.is_none() {
            self.runtime = Some(quote!(::wecard_runtime));
        }
        self
    }
}

/// The tokens of one part of the module.
fn emit_part(model: &Model, options: &Options, part: &Part<'_>) -> Result<TokenStream, EmitError> {
    let vis = &options.visibility;
    Ok(match part {
        Part::Header => {
            let runtime = match &options.runtime {
                Some(path) => path.clone(),
                None => quote!(self::runtime),
            };
            let reexports = embed::reexports(model, vis);
            let base_url = model.api().base_url();
            let token_param = model.api().token_param();
            quote! {
                // Every runtime item is reached through this one private name, so that no spec
                // name can collide with ours.
                use #runtime as __wecard_runtime;

                #reexports

                /// The API's default base URL. Privately deployed schools use their own.
                #vis const DEFAULT_BASE_URL: &str = #base_url;

                /// The name of the access-token parameter, in the query or in the body.
                #vis const TOKEN_PARAM: &str = #token_param;
            }
        }
        Part::Enum(definition) => {
            let tokens = enums::emit_enum(options, definition);
            let observe = options
                .client
                .then(|| drift::observe_enum(definition.name()));
            quote!(#tokens #observe)
        }
        Part::ErrorCode => enums::emit_error_code(options, model),
        Part::Record(record) => {
            let mut lines = doc::escape(record.description());
            doc::push_note_and_source(&mut lines, record.note(), record.source());
            let fields: Vec<_> = record.fields().iter().collect();
            let tokens =
                types::emit_struct(model, options, record.name(), &lines, &fields, Side::Reply);
            let observe = options
                .client
                .then(|| drift::observe_struct(record.name(), &fields, Some(record.name())));
            quote!(#tokens #observe)
        }
        Part::Endpoint(endpoint) => emit_endpoint(model, options, endpoint),
        Part::User => user::emit_user(model, options),
        Part::Events => events::emit_events(model, options),
        Part::Client => client::emit_client(model, options)?,
        Part::ClientMethod(endpoint) => client::emit_endpoint_client(options, endpoint),
    })
}

fn endpoint_doc(model: &Model, endpoint: &Endpoint, what: &str) -> Vec<String> {
    let mut lines = doc::escape(&format!("{}: {what}.", endpoint.summary()));
    if let Some(description) = endpoint.description() {
        doc::push_paragraph(&mut lines, doc::escape(description));
    }
    let method = endpoint.method().as_str();
    let token = match endpoint.token() {
        TokenPlacement::Query => format!(
            "the access token travels as the query parameter `{}`",
            model.api().token_param()
        ),
        TokenPlacement::Body => format!(
            "the access token travels in the JSON body as `{}`",
            model.api().token_param()
        ),
        TokenPlacement::None => "no access token".to_string(),
    };
    doc::push_paragraph(
        &mut lines,
        vec![format!("`{method} {}`; {token}.", endpoint.path())],
    );
    doc::push_note_and_source(&mut lines, endpoint.note(), endpoint.source());
    lines
}

fn emit_endpoint(model: &Model, options: &Options, endpoint: &Endpoint) -> TokenStream {
    let request = endpoint.request();
    let response = endpoint.response();
    let request_fields: Vec<_> = request.fields().iter().collect();
    let response_fields: Vec<_> = if endpoint.envelope() {
        model
            .api()
            .envelope()
            .iter()
            .chain(response.fields())
            .collect()
    } else {
        response.fields().iter().collect()
    };
    let request_struct = types::emit_struct(
        model,
        options,
        request.type_name(),
        &endpoint_doc(model, endpoint, "the request"),
        &request_fields,
        Side::Request,
    );
    let response_struct = types::emit_struct(
        model,
        options,
        response.type_name(),
        &endpoint_doc(model, endpoint, "the reply"),
        &response_fields,
        Side::Reply,
    );
    let observe = options
        .client
        .then(|| drift::observe_struct(response.type_name(), &response_fields, None));
    let validate = validate::emit_validate(model, options, request);
    let request_name = format_ident!("{}", request.type_name());
    let response_name = format_ident!("{}", response.type_name());
    let (id, path) = (endpoint.id(), endpoint.path());
    let method = match endpoint.method() {
        crate::spec::HttpMethod::Get => quote!(Get),
        crate::spec::HttpMethod::Post => quote!(Post),
    };
    let token = match endpoint.token() {
        TokenPlacement::Query => quote!(Query),
        TokenPlacement::Body => quote!(Body),
        TokenPlacement::None => quote!(None),
    };
    let envelope = endpoint.envelope();
    let required = request
        .fields()
        .iter()
        .filter(|field| field.required())
        .map(|field| field.wire_name());
    quote! {
        #request_struct
        #validate
        #response_struct
        #observe

        impl self::__wecard_runtime::Endpoint for #request_name {
            type Response = #response_name;
            const ID: &'static str = #id;
            const PATH: &'static str = #path;
            const METHOD: self::__wecard_runtime::HttpMethod = self::__wecard_runtime::HttpMethod::#method;
            const TOKEN: self::__wecard_runtime::TokenPlacement = self::__wecard_runtime::TokenPlacement::#token;
            const ENVELOPE: bool = #envelope;
            const REQUIRED: &'static [&'static str] = &[#(#required),*];
        }
    }
}

/// Generates the Rust module for `model`.
///
/// # Errors
///
/// Only on an internal error (the embedded runtime failing to parse), never on user input: a
/// loaded model is always emittable.
pub fn generate(model: &Model, options: &Options) -> Result<String, EmitError> {
    let parts = parts::parts(model, options);
    let mut body = parts::emit_all(model, options, &parts, emit_part)?;
    if options.runtime.is_none() {
        embed::append_runtime(
            &mut body,
            &options.visibility,
            options.client,
            options.events,
        );
    }
    Ok(format!(
        "// @generated by wecard-codegen {} from {}.\n// Do not edit by hand: change the spec and regenerate.\n\n{body}",
        env!("CARGO_PKG_VERSION"),
        model.source_name()
    ))
}
