//! The spec as written: syntax types with positions, and the decoder that fills them.

mod decode;
mod syntax;
mod type_expr;

pub use syntax::*;
pub use type_expr::{BUILTIN_TYPES, MAX_TYPE_DEPTH, TypeExpr};

use crate::diagnostic::Ctxt;
use crate::yaml::Document;

/// Decodes a parsed document into a [`Spec`], reporting every problem into `cx`.
pub(crate) fn decode_document(document: &Document, cx: &mut Ctxt) -> Option<Spec> {
    let mut decoder = decode::Decoder::new(cx);
    <Spec as decode::Decode>::decode(&mut decoder, &document.root, decode::Place::Root)
}

/// The JSON Schema of the spec format, as committed in `spec/wecard.schema.json` (with the
/// `json-schema` feature).
#[cfg(feature = "json-schema")]
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(Spec);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
