//! The module's parts (the header, each enum, each record, each endpoint, ...), emitted and
//! formatted independently, on as many threads as the machine offers when the spec is large.
//!
//! Tokens cannot cross threads (`proc_macro2` token streams are neither `Send` nor `Sync`), so
//! each thread rebuilds its own [`Options`] from their text and hands back formatted text; the
//! parts are joined in spec order, so the output is the same on any number of threads.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};

use proc_macro2::TokenStream;

use super::derives::ExtraDerive;
use super::doc_blocks;
use super::{EmitError, Options};
use crate::model::{Endpoint, Enum, Model, Record};

/// One independently emitted piece of the module, in output order.
pub(super) enum Part<'m> {
    /// The runtime import, re-exports and constants.
    Header,
    Enum(&'m Enum),
    ErrorCode,
    Record(&'m Record),
    Endpoint(&'m Endpoint),
    /// The `WecardUser` trait and its helpers (empty without a `user:` section).
    User,
    /// The `Event` enum (empty without an `events:` section).
    Events,
    /// The `client` module (only with the client on).
    Client,
    /// The client's method for one endpoint (only with the client on).
    ClientMethod(&'m Endpoint),
}

/// Below this many parts a second thread costs more than it saves.
const PARTS_PER_THREAD: usize = 8;

/// The parts of `model`'s module, in output order.
pub(super) fn parts<'m>(model: &'m Model, options: &Options) -> Vec<Part<'m>> {
    let mut parts = vec![Part::Header];
    parts.extend(model.enums().iter().map(Part::Enum));
    parts.push(Part::ErrorCode);
    parts.extend(model.records().iter().map(Part::Record));
    parts.extend(model.endpoints().iter().map(Part::Endpoint));
    parts.push(Part::User);
    parts.push(Part::Events);
    if options.client {
        parts.push(Part::Client);
        parts.extend(model.endpoints().iter().map(Part::ClientMethod));
    }
    parts
}

/// Emits and formats every part with `emit`, on `options.jobs` threads (by default one per
/// core, fewer for a small spec), and joins the text in order.
pub(super) fn emit_all(
    model: &Model,
    options: &Options,
    parts: &[Part<'_>],
    emit: fn(&Model, &Options, &Part<'_>) -> Result<TokenStream, EmitError>,
) -> Result<String, EmitError> {
    // An explicit cap is taken as asked; by default, small specs stay on one thread.
    let threads = match options.jobs {
        Some(jobs) => jobs.get().min(parts.len()),
        None => std::thread::available_parallelism()
            .map_or(1, NonZeroUsize::get)
            .min(parts.len() / PARTS_PER_THREAD),
    }
    .max(1);
    if threads == 1 {
        return emit_chunk(model, options, parts, emit);
    }
    let text = OptionsText::new(options);
    // Each thread takes the next part not yet taken (parts differ in size a hundredfold, so a
    // fixed deal leaves one thread idle while another works); the calling thread is one of them.
    // The parts are put back in spec order at the end.
    let next = AtomicUsize::new(0);
    let shares: Vec<Vec<(usize, String)>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (1..threads)
            .map(|_| {
                let (text, next) = (&text, &next);
                scope.spawn(move || emit_share(model, &text.options()?, parts, next, emit))
            })
            .collect();
        let mut shares = vec![emit_share(model, options, parts, &next, emit)?];
        for worker in workers {
            shares.push(worker.join().map_err(|_| {
                EmitError("internal error: a generation thread panicked".to_owned())
            })??);
        }
        Ok::<_, EmitError>(shares)
    })?;
    let mut texts: Vec<(usize, String)> = shares.into_iter().flatten().collect();
    texts.sort_unstable_by_key(|(index, _)| *index);
    let mut body = String::with_capacity(texts.iter().map(|(_, text)| text.len()).sum());
    for (_, text) in &texts {
        body.push_str(text);
    }
    Ok(body)
}

/// The parts one thread emits: each time, the next one no thread has taken, with its index.
fn emit_share(
    model: &Model,
    options: &Options,
    parts: &[Part<'_>],
    next: &AtomicUsize,
    emit: fn(&Model, &Options, &Part<'_>) -> Result<TokenStream, EmitError>,
) -> Result<Vec<(usize, String)>, EmitError> {
    let mut share = Vec::new();
    loop {
        let index = next.fetch_add(1, Ordering::Relaxed);
        let Some(part) = parts.get(index) else {
            return Ok(share);
        };
        let mut text = String::new();
        format_part(&mut text, || emit(model, options, part))?;
        share.push((index, text));
    }
}

fn emit_chunk(
    model: &Model,
    options: &Options,
    parts: &[Part<'_>],
    emit: fn(&Model, &Options, &Part<'_>) -> Result<TokenStream, EmitError>,
) -> Result<String, EmitError> {
    let mut body = String::new();
    for part in parts {
        format_part(&mut body, || emit(model, options, part))?;
    }
    Ok(body)
}

/// Emits one part of the module with `emit`, parses it, and appends it, formatted, to `body`.
/// Each part's tokens are dropped before the next is built, so memory stays the size of one
/// part. Its doc comments bypass the tokens (see [`doc_blocks`]).
fn format_part(
    body: &mut String,
    emit: impl FnOnce() -> Result<TokenStream, EmitError>,
) -> Result<(), EmitError> {
    let (tokens, docs) = doc_blocks::collect(emit);
    let tokens = tokens?;
    if tokens.is_empty() {
        return Ok(());
    }
    let mut file: syn::File = syn::parse2(tokens).map_err(|error| {
        EmitError(format!(
            "internal error: generated code does not parse: {error}"
        ))
    })?;
    allow_unused(&mut file.items);
    docs.splice(&prettyplease::unparse(&file), body)
}

/// Marks every item that could go unused: the module is the whole API, and a crate uses part of
/// it. In a binary, or with `pub(crate)`, an unused item would otherwise be a warning, and
/// `#![deny(warnings)]` an error, in code the user cannot edit. Trait impls are never unused.
fn allow_unused(items: &mut [syn::Item]) {
    /// Which lints an item allows; the discriminant indexes the attributes parsed so far.
    #[derive(Clone, Copy)]
    enum Unused {
        Imports,
        Code,
        CodeAndImports,
    }
    // Each attribute is parsed once per part and cloned onto each item: a clone costs a
    // fraction of a parse.
    let mut parsed: [Option<syn::Attribute>; 3] = Default::default();
    for item in items {
        let (attrs, lint) = match item {
            syn::Item::Use(item) => (&mut item.attrs, Unused::Imports),
            syn::Item::Mod(item) => (&mut item.attrs, Unused::CodeAndImports),
            syn::Item::Struct(item) => (&mut item.attrs, Unused::Code),
            syn::Item::Enum(item) => (&mut item.attrs, Unused::Code),
            syn::Item::Const(item) => (&mut item.attrs, Unused::Code),
            syn::Item::Type(item) => (&mut item.attrs, Unused::Code),
            syn::Item::Trait(item) => (&mut item.attrs, Unused::Code),
            syn::Item::Fn(item) => (&mut item.attrs, Unused::Code),
            syn::Item::Impl(item) if item.trait_.is_none() => (&mut item.attrs, Unused::Code),
            _ => continue,
        };
        let attr = parsed[lint as usize].get_or_insert_with(|| match lint {
            Unused::Imports => syn::parse_quote!(#[allow(unused_imports)]),
            Unused::Code => syn::parse_quote!(#[allow(dead_code)]),
            Unused::CodeAndImports => syn::parse_quote!(#[allow(dead_code, unused_imports)]),
        });
        attrs.push(attr.clone());
    }
}

/// [`Options`] as text, which crosses threads.
struct OptionsText {
    visibility: String,
    extra_derives: Vec<String>,
    strict_rules: bool,
    client: bool,
    events: bool,
    runtime: Option<String>,
    jobs: Option<NonZeroUsize>,
}

impl OptionsText {
    fn new(options: &Options) -> Self {
        // Destructured, so that a new option cannot be forgotten here.
        let Options {
            visibility,
            extra_derives,
            strict_rules,
            client,
            events,
            runtime,
            jobs,
        } = options;
        Self {
            visibility: visibility.to_string(),
            extra_derives: extra_derives.iter().map(ExtraDerive::path_text).collect(),
            strict_rules: *strict_rules,
            client: *client,
            events: *events,
            runtime: runtime.as_ref().map(ToString::to_string),
            jobs: *jobs,
        }
    }

    fn options(&self) -> Result<Options, EmitError> {
        Ok(Options {
            visibility: tokens(&self.visibility)?,
            extra_derives: self
                .extra_derives
                .iter()
                .map(|derive| {
                    syn::parse_str::<syn::Path>(derive)
                        .map(|path| ExtraDerive::new(&path))
                        .map_err(|error| {
                            EmitError(format!(
                                "internal error: a derive does not re-parse ({error})"
                            ))
                        })
                })
                .collect::<Result<_, _>>()?,
            strict_rules: self.strict_rules,
            client: self.client,
            events: self.events,
            runtime: self.runtime.as_deref().map(tokens).transpose()?,
            jobs: self.jobs,
        })
    }
}

fn tokens(text: &str) -> Result<TokenStream, EmitError> {
    text.parse()
        .map_err(|error| EmitError(format!("internal error: options do not re-parse ({error})")))
}

#[cfg(test)]
mod tests {
    use super::super::{Options, generate};

    #[test]
    fn the_output_does_not_depend_on_the_number_of_threads() {
        let spec = include_str!("../../../../spec/wecard.yaml");
        let model = crate::load_str("wecard.yaml", spec).expect("the bundled spec loads");
        for client in [false, true] {
            let options = Options::default()
                .with_client(client)
                .with_events(true)
                .with_visibility("pub(crate)")
                .and_then(|options| options.with_derive("::std::hash::Hash"))
                .and_then(|options| options.with_derive("my_crate::Marker"))
                .expect("valid options");
            let one = generate(&model, &options.clone().with_jobs(1)).expect("generates");
            for jobs in [2, 3, 7] {
                let many = generate(&model, &options.clone().with_jobs(jobs)).expect("generates");
                assert!(
                    one == many,
                    "{jobs} threads (client {client}) change the output"
                );
            }
        }
    }
}
