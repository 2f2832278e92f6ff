//! Our generator side by side with progenitor (client) and typify (types) on the same API.
//!
//! The bundled spec is exported to OpenAPI 3.0.3 (the version progenitor reads); both
//! generators then turn their input into formatted Rust:
//!
//! - ours: [`ours`] = `wecard_codegen::load_str` + `emit::rust::generate` (types only, or with
//!   the client);
//! - progenitor: [`progenitor`] = parse the OpenAPI JSON + `Generator::generate_tokens` + format
//!   with prettyplease;
//! - typify: [`typify`] = parse the `components.schemas` + `TypeSpace::add_ref_types` + format.
//!
//! The comparison needs `--features progenitor` (the generators are heavy to build); without it
//! only the inputs are available.
//!
//! [`scratch`] writes either output into a crate of its own and compiles it (the compile-time
//! bench, and the test that progenitor's output from our export compiles).
//!
//! Larger inputs are the bundled spec repeated ([`multiplied`]): every enum, record and endpoint
//! copied with a suffix on its name, id and path, each copy's types pointing at the same copy.

pub mod scratch;

use std::collections::HashMap;
use std::path::Path;

use serde_yaml::Value;
use wecard_codegen::emit::openapi::{OpenApiVersion, export};
use wecard_codegen::emit::rust::{Options, generate};

/// Why a step of the comparison failed, for a person to read.
pub type Error = String;

/// The bundled spec's text.
///
/// # Errors
///
/// When `spec/wecard.yaml` cannot be read.
pub fn bundled_spec() -> Result<String, Error> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec/wecard.yaml");
    std::fs::read_to_string(&path)
        .map_err(|error| format!("cannot read {}: {error}", path.display()))
}

/// One input of the comparison: our spec's text and its OpenAPI 3.0 export.
#[derive(Debug, Clone)]
pub struct Input {
    /// `1x`, `10x`, `100x`.
    pub label: String,
    /// The spec as YAML (what our pipeline reads).
    pub spec: String,
    /// The same API as OpenAPI 3.0.3 JSON (what progenitor reads).
    pub openapi: String,
    /// How many endpoints it has.
    pub endpoints: usize,
}

impl Input {
    /// The bundled spec repeated `factor` times (as written when `factor` is 1), and its export.
    ///
    /// # Errors
    ///
    /// When the spec cannot be read, copied or loaded.
    pub fn new(factor: usize) -> Result<Self, Error> {
        let bundled = bundled_spec()?;
        let spec = if factor == 1 {
            bundled
        } else {
            multiplied(&bundled, factor)?
        };
        let model = wecard_codegen::load_str("spec.yaml", &spec)
            .map_err(|diagnostics| format!("the {factor}x spec does not load:\n{diagnostics}"))?;
        let openapi = serde_json::to_string(&export(&model, OpenApiVersion::V3_0))
            .map_err(|error| error.to_string())?;
        Ok(Self {
            label: format!("{factor}x"),
            spec,
            openapi,
            endpoints: model.endpoints().len(),
        })
    }
}

/// Our pipeline: load (parse, check, resolve) and generate formatted Rust, on `jobs` threads
/// (`0`: the default, one per core for a large spec).
///
/// # Errors
///
/// When the spec does not load or generate.
pub fn ours(spec: &str, client: bool, jobs: usize) -> Result<String, Error> {
    let model = wecard_codegen::load_str("spec.yaml", spec).map_err(|d| d.to_string())?;
    let options = Options::default().with_client(client).with_jobs(jobs);
    generate(&model, &options).map_err(|e| e.to_string())
}

#[cfg(feature = "progenitor")]
/// progenitor: parse the OpenAPI document, generate the client and its types, format.
///
/// # Errors
///
/// When the document is not OpenAPI 3.0 or progenitor rejects it.
pub fn progenitor(openapi: &str) -> Result<String, Error> {
    let spec: openapiv3::OpenAPI =
        serde_json::from_str(openapi).map_err(|error| format!("not OpenAPI 3.0: {error}"))?;
    let mut generator = progenitor_impl::Generator::default();
    let tokens = generator
        .generate_tokens(&spec)
        .map_err(|error| format!("progenitor: {error}"))?;
    format(tokens)
}

#[cfg(feature = "progenitor")]
/// typify: parse the document's `components.schemas`, generate the types, format.
///
/// # Errors
///
/// When the schemas are not JSON Schema typify accepts.
pub fn typify(openapi: &str) -> Result<String, Error> {
    let document: serde_json::Value =
        serde_json::from_str(openapi).map_err(|error| error.to_string())?;
    let schemas: Vec<(String, schemars08::schema::Schema)> = document["components"]["schemas"]
        .as_object()
        .ok_or("the document has no components.schemas")?
        .iter()
        .map(|(name, schema)| {
            serde_json::from_value(schema.clone())
                .map(|schema| (name.clone(), schema))
                .map_err(|error| format!("components.schemas.{name}: {error}"))
        })
        .collect::<Result<_, _>>()?;
    let mut space = typify::TypeSpace::new(&typify::TypeSpaceSettings::default());
    space
        .add_ref_types(schemas)
        .map_err(|error| format!("typify: {error}"))?;
    format(space.to_stream())
}

#[cfg(feature = "progenitor")]
fn format(tokens: proc_macro2::TokenStream) -> Result<String, Error> {
    let file: syn::File =
        syn::parse2(tokens).map_err(|error| format!("the generated code is not Rust: {error}"))?;
    Ok(prettyplease::unparse(&file))
}

/// The bundled spec with its enums, records and endpoints repeated `factor` times in all; the
/// original is copy 0 and keeps its names, copy `n` has `CopyN` / `_copyN` / `/copyN` suffixes.
///
/// # Errors
///
/// When the spec is not the YAML shape expected.
pub fn multiplied(bundled: &str, factor: usize) -> Result<String, Error> {
    let mut spec: Value = serde_yaml::from_str(bundled).map_err(|error| error.to_string())?;
    let mut type_names = Vec::new();
    for section in ["enums", "records"] {
        for item in items(&spec, section)? {
            type_names.push(text(&item, "name")?);
        }
    }
    for section in ["enums", "records", "endpoints"] {
        let originals = items(&spec, section)?;
        let mut all = originals.clone();
        for copy in 1..factor {
            let renames: HashMap<&str, String> = type_names
                .iter()
                .map(|name| (name.as_str(), format!("{name}Copy{copy}")))
                .collect();
            for original in &originals {
                let mut item = original.clone();
                rename_types(&mut item, &renames);
                if section == "endpoints" {
                    item["id"] = Value::String(format!("{}_copy{copy}", text(&item, "id")?));
                    item["path"] = Value::String(format!("{}/copy{copy}", text(&item, "path")?));
                } else {
                    item["name"] = Value::String(format!("{}Copy{copy}", text(&item, "name")?));
                }
                all.push(item);
            }
        }
        spec[section] = Value::Sequence(all);
    }
    serde_yaml::to_string(&spec).map_err(|error| error.to_string())
}

fn items(spec: &Value, section: &str) -> Result<Vec<Value>, Error> {
    spec[section]
        .as_sequence()
        .cloned()
        .ok_or_else(|| format!("the spec has no `{section}` list"))
}

fn text(item: &Value, key: &str) -> Result<String, Error> {
    item[key]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("an item has no string `{key}`"))
}

/// Points every type expression (a `type` key's string, at any depth) at the copy's types.
fn rename_types(value: &mut Value, renames: &HashMap<&str, String>) {
    match value {
        Value::Mapping(mapping) => {
            for (key, child) in mapping.iter_mut() {
                match child {
                    Value::String(expr) if key.as_str() == Some("type") => {
                        *expr = rename_words(expr, renames);
                    }
                    other => rename_types(other, renames),
                }
            }
        }
        Value::Sequence(sequence) => {
            for child in sequence {
                rename_types(child, renames);
            }
        }
        _ => {}
    }
}

/// `list<Member>` → `list<MemberCopy3>`: replaces whole identifiers only.
fn rename_words(expr: &str, renames: &HashMap<&str, String>) -> String {
    let mut out = String::with_capacity(expr.len() + 8);
    let mut start = None;
    for (index, c) in expr.char_indices() {
        let word_char = c.is_ascii_alphanumeric() || c == '_';
        match (word_char, start) {
            (true, None) => start = Some(index),
            (false, Some(from)) => {
                let word = &expr[from..index];
                out.push_str(renames.get(word).map_or(word, String::as_str));
                out.push(c);
                start = None;
            }
            (false, None) => out.push(c),
            (true, Some(_)) => {}
        }
    }
    if let Some(from) = start {
        let word = &expr[from..];
        out.push_str(renames.get(word).map_or(word, String::as_str));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail by panicking")]
mod tests {
    use super::*;

    #[test]
    fn rename_words_replaces_whole_names_only() {
        let renames = HashMap::from([("Member", "MemberCopy2".to_owned())]);
        assert_eq!(rename_words("list<Member>", &renames), "list<MemberCopy2>");
        assert_eq!(rename_words("Members", &renames), "Members");
        assert_eq!(rename_words("Member", &renames), "MemberCopy2");
    }

    #[test]
    fn copies_rename_every_id_and_type() {
        let bundled = bundled_spec().unwrap();
        let tripled = multiplied(&bundled, 3).unwrap();
        let once = wecard_codegen::load_str("1.yaml", &bundled).unwrap();
        let model = wecard_codegen::load_str("3.yaml", &tripled).unwrap();
        assert_eq!(model.endpoints().len(), 3 * once.endpoints().len());
        assert_eq!(model.records().len(), 3 * once.records().len());
        assert_eq!(model.enums().len(), 3 * once.enums().len());
        assert!(model.record("MemberCopy2").is_some());
        assert!(model.endpoint("create_user_copy1").is_some());
        let input = Input::new(10).unwrap();
        assert_eq!(input.endpoints, 10 * once.endpoints().len());
        assert!(
            input
                .openapi
                .contains("\"operationId\":\"create_user_copy9\"")
        );
    }
}
