//! The records and enums sections of `README.md`: each definition with its fields or codes, its
//! notes, its source and where it is used.

use super::Docs;
use super::markdown::{Ctx, code, literal, note_text, prose, scalar};
use super::page::Page;
use crate::model::{Enum, Record, Type};
use crate::spec::EnumRepr;

impl Docs<'_> {
    pub(super) fn record(&self, page: &mut Page, record: &Record) {
        let anchor = self
            .record_anchors
            .get(record.name())
            .map_or("", String::as_str);
        page.anchored_heading(3, anchor, &literal(record.name(), Ctx::Block));
        page.para(&prose(record.description(), Ctx::Block));
        self.fields(page, record.fields(), record.note(), "");
        self.source_and_users(
            page,
            record.source(),
            &Type::Record(record.name().to_owned()),
        );
    }

    pub(super) fn enumeration(&self, page: &mut Page, definition: &Enum) {
        let anchor = self
            .enum_anchors
            .get(definition.name())
            .map_or("", String::as_str);
        page.anchored_heading(3, anchor, &literal(definition.name(), Ctx::Block));
        page.para(&prose(definition.description(), Ctx::Block));
        let repr = match definition.repr() {
            EnumRepr::Int => "整数代码 Integer codes",
            EnumRepr::String => "字符串代码 String codes",
        };
        page.para(&format!(
            "{repr}. The enum is open: a code not listed here is kept as it is, not rejected."
        ));
        let rows: Vec<Vec<String>> = definition
            .values()
            .iter()
            .map(|value| {
                vec![
                    code(&scalar(value.code()), Ctx::Cell),
                    code(value.variant(), Ctx::Cell),
                    prose(value.description(), Ctx::Cell),
                ]
            })
            .collect();
        page.table(
            &["代码 Code", "Rust 变体 Variant", "说明 Description"],
            &rows,
        );
        let mut notes: Vec<String> = definition.note().map(note_text).into_iter().collect();
        for value in definition.values() {
            if let Some(note) = value.note() {
                notes.push(format!(
                    "{}: {}",
                    code(&scalar(value.code()), Ctx::Block),
                    note_text(note)
                ));
            }
        }
        page.list(Some("备注 Notes:"), &notes);
        self.source_and_users(
            page,
            definition.source(),
            &Type::Enum(definition.name().to_owned()),
        );
    }

    /// The `Source:` and `Used by:` lines of a record or an enum.
    fn source_and_users(&self, page: &mut Page, source: Option<&str>, ty: &Type) {
        if let Some(source) = source {
            page.para(&format!("来源 Source: {}", prose(source, Ctx::Block)));
        }
        let mut users = Vec::new();
        for (place, fields) in self.field_sets() {
            if fields.iter().any(|field| field.ty().item() == ty) {
                let link = place.link(self, "");
                if !users.contains(&link) {
                    users.push(link);
                }
            }
        }
        if !users.is_empty() {
            page.para(&format!("用于 Used by: {}.", users.join(", ")));
        }
    }
}
