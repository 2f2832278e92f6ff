//! From drift to spec edits: what a client's drift log (as `wecard-example sync --report`
//! writes it) says the server sends that the spec does not know, turned into YAML snippets
//! placed where each belongs in the spec, and shown as a unified diff. Nothing is written: the
//! caller decides.
//!
//! - an unknown field of a record becomes an item of that record's `fields` (of the endpoint's
//!   `response.fields` when it is a field of the reply itself), typed from the observed value,
//!   which becomes its `example`;
//! - an unknown code becomes an item of its enum's `values`;
//! - an unknown `errcode` becomes an item of `error_codes`;
//! - a required field that a reply left out loses its `required: true`.
//!
//! Places are found in the positioned YAML tree (every node knows its line and column), and
//! each snippet takes the indentation of the list it joins.

mod edit;
#[cfg(test)]
mod tests;

use std::path::Path;

use crate::diagnostic::Ctxt;
use crate::source::SourceFile;
use crate::{Diagnostics, yaml};

pub use edit::{Proposal, Skipped};

/// What kind of drift a report entry records (the client's `DriftKind`, as the report writes
/// it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DriftKind {
    /// A field the spec does not describe.
    UnknownField,
    /// A code the spec's enum does not list.
    UnknownCode,
    /// An `errcode` the error table does not list.
    UnknownErrorCode,
    /// A required field a reply left out.
    MissingField,
}

/// One entry of a report's `drift` list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct DriftEntry {
    /// The endpoint's id.
    pub endpoint: String,
    /// The spec record holding the field; `None` for a field of the endpoint's reply.
    #[serde(default)]
    pub record: Option<String>,
    /// Wire names from the reply's root (`userlist[].nickname`).
    #[serde(default)]
    pub path: String,
    /// What kind of drift.
    pub kind: DriftKind,
    /// The enum of an unknown code.
    #[serde(default)]
    pub enum_name: Option<String>,
    /// The first value seen, as JSON text (possibly cut short).
    #[serde(default)]
    pub value: String,
    /// How many times it was seen.
    #[serde(default)]
    pub count: u64,
}

impl DriftEntry {
    /// The field's wire name: the path's last segment.
    pub fn field_name(&self) -> &str {
        let last = self.path.rsplit('.').next().unwrap_or_default();
        last.trim_end_matches("[]")
    }
}

/// Reads the drift entries of a report: an object with a `drift` list (what `wecard-example
/// sync --report` writes; no `drift` key means none), or the list itself.
///
/// # Errors
///
/// A message naming what is wrong, when the text is not such JSON.
pub fn read_report(text: &str) -> Result<Vec<DriftEntry>, String> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|error| {
        format!("not JSON ({error}); a report is what `wecard-example sync --report` writes")
    })?;
    let list = match value {
        serde_json::Value::Object(mut object) => match object.remove("drift") {
            Some(list) => list,
            None => return Ok(Vec::new()),
        },
        list @ serde_json::Value::Array(_) => list,
        _ => {
            return Err(
                "neither an object with a `drift` list nor a list of drift entries".to_string(),
            );
        }
    };
    serde_json::from_value(list).map_err(|error| {
        format!("its `drift` list is not a list of drift entries ({error}); each has `endpoint`, `path`, `kind` and `value`")
    })
}

/// Proposes edits of the spec `text` (read from `path`, used in messages) for `entries`.
///
/// # Errors
///
/// The spec's diagnostics when it is not valid YAML.
pub fn propose(path: &Path, text: &str, entries: &[DriftEntry]) -> Result<Proposal, Diagnostics> {
    let file = SourceFile::new(path, text);
    let mut cx = Ctxt::new(file);
    let Some(document) = yaml::parse(&mut cx) else {
        return Err(cx.into_diagnostics());
    };
    Ok(edit::plan(text, &document.root, entries))
}

/// `text` and `edited` as a unified diff (3 lines of context) between `a/NAME` and `b/NAME`;
/// empty when they are equal.
pub fn unified_diff(name: &str, text: &str, edited: &str) -> String {
    if text == edited {
        return String::new();
    }
    similar::TextDiff::from_lines(text, edited)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}
