//! Field tables: one row per field (type, requirement, rules, example, description) and the
//! notes under the table, with each rule put into words.

use super::Docs;
use super::markdown::{Ctx, code, json, literal, note_text, prose, scalar};
use super::page::Page;
use crate::model::{Field, Level, Rule, RuleKind, Type, Wire};

impl Docs<'_> {
    /// A field table and, under it, the notes of the whole set, its fields and their rules.
    pub(super) fn fields(
        &self,
        page: &mut Page,
        fields: &[Field],
        note: Option<&str>,
        readme: &str,
    ) {
        if fields.is_empty() {
            page.para("No fields.");
        } else {
            let rows: Vec<Vec<String>> = fields
                .iter()
                .map(|field| {
                    let rules: Vec<String> = field
                        .rules()
                        .iter()
                        .map(|rule| self.rule(rule, field, fields, Ctx::Cell))
                        .collect();
                    vec![
                        code(field.wire_name(), Ctx::Cell),
                        self.type_cell(field, readme),
                        required_cell(field),
                        yes(field.needs_grant()).to_owned(),
                        field
                            .since()
                            .map(|date| {
                                format!("[{}]({readme}#changelog)", literal(date, Ctx::Cell))
                            })
                            .unwrap_or_default(),
                        rules.join("<br>"),
                        field
                            .example_on_wire()
                            .map(|example| code(&json(&example), Ctx::Cell))
                            .unwrap_or_default(),
                        prose(field.description(), Ctx::Cell),
                    ]
                })
                .collect();
            page.table(
                &[
                    "字段 Field",
                    "类型 Type",
                    "必填 Required",
                    "需申请",
                    "起始 Since",
                    "规则 Rules",
                    "示例 Example",
                    "说明 Description",
                ],
                &rows,
            );
        }
        let mut notes: Vec<String> = note.map(note_text).into_iter().collect();
        for field in fields {
            let name = code(field.wire_name(), Ctx::Block);
            if let Some(note) = field.note() {
                notes.push(format!("{name}: {}", note_text(note)));
            }
            for rule in field.rules() {
                if let Some(note) = rule.note() {
                    notes.push(format!(
                        "{name}, rule “{}”: {}",
                        self.rule(rule, field, fields, Ctx::Block),
                        note_text(note)
                    ));
                }
            }
        }
        page.list(Some("备注 Notes:"), &notes);
    }

    fn type_cell(&self, field: &Field, readme: &str) -> String {
        let ty = field.ty();
        let name = code(&ty.spec_name(), Ctx::Cell);
        let mut cell = match self.anchor(ty) {
            Some(anchor) => format!("[{name}]({readme}#{anchor})"),
            None => name,
        };
        let mut extras = Vec::new();
        if field.wire() == Wire::String {
            extras.push("sent as a string");
        }
        if field.lenient() {
            extras.push("read leniently");
        }
        if field.nullable() {
            extras.push("nullable");
        }
        if field.secret() {
            extras.push("secret: never shown in `Debug`");
        }
        if !extras.is_empty() {
            cell.push_str("<br>");
            cell.push_str(&extras.join(", "));
        }
        cell
    }

    /// A rule in the runtime's words: `must be at most 32 characters long (长度须不超过32个字符)`,
    /// `strict: must be an email address (…)`, `… when card_type = 1 (身份证)`.
    fn rule(&self, rule: &Rule, field: &Field, siblings: &[Field], ctx: Ctx) -> String {
        let mut prefixes = Vec::new();
        if rule.level() == Level::Strict {
            prefixes.push("strict");
        }
        if matches!(field.ty(), Type::List(_)) && !matches!(rule.kind(), RuleKind::Items { .. }) {
            prefixes.push("each item");
        }
        // The runtime's words for the rule, the same as its validation messages.
        let (en, zh) = rule.kind().words(&|text| code(text, ctx));
        let kind = format!("must {en} ({zh})");
        let mut text = if prefixes.is_empty() {
            kind
        } else {
            format!("{}: {kind}", prefixes.join(", "))
        };
        if let Some(condition) = rule.when() {
            text.push_str(&format!(
                " when {} = {}",
                literal(condition.field(), ctx),
                literal(&scalar(condition.equals()), ctx)
            ));
            let label = siblings
                .iter()
                .find(|sibling| sibling.wire_name() == condition.field())
                .and_then(|sibling| match sibling.ty().item() {
                    Type::Enum(name) => self.model.enum_named(name),
                    _ => None,
                })
                .and_then(|definition| {
                    definition
                        .values()
                        .iter()
                        .find(|value| value.code() == condition.equals())
                });
            if let Some(value) = label {
                text.push_str(&format!(" ({})", prose(value.description(), ctx)));
            }
        }
        text
    }
}

fn required_cell(field: &Field) -> String {
    let required = if field.required() { "yes" } else { "no" };
    match field.default() {
        Some(default) => format!("{required}, default {}", code(&json(default), Ctx::Cell)),
        None => required.to_owned(),
    }
}

fn yes(flag: bool) -> &'static str {
    if flag { "yes" } else { "" }
}
