//! The WeCard user as `#[derive(WecardUser)]` sees it: the request that creates one and the
//! record that describes one, with their fields paired by wire name.

use super::{Endpoint, Field, Level, Message, Model, Record, RuleKind, Type};
use crate::spec::{EnumRepr, Scalar};

/// What the spec's `user:` section names, as lowered (resolved on access by [`Model::user`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct UserNames {
    pub(crate) create: String,
    pub(crate) member: String,
    pub(crate) note: Option<String>,
}

/// The version line that opens a [field table](User::field_table).
pub const FIELD_TABLE_HEADER: &str = "wecard-user-fields 1";

/// The WeCard user: created through one endpoint's request, read back as one record.
#[derive(Debug, Clone, Copy)]
pub struct User<'a> {
    pub(crate) model: &'a Model,
    pub(crate) endpoint: &'a Endpoint,
    pub(crate) member: &'a Record,
    pub(crate) note: Option<&'a str>,
}

impl<'a> User<'a> {
    /// The endpoint whose request creates (or updates) a user (`create_user`).
    pub fn endpoint(&self) -> &'a Endpoint {
        self.endpoint
    }

    /// The create request (`CreateUserRequest`).
    pub fn request(&self) -> &'a Message {
        self.endpoint.request()
    }

    /// The record a user is read back as (`Member`).
    pub fn member(&self) -> &'a Record {
        self.member
    }

    /// Why a choice was made.
    pub fn note(&self) -> Option<&'a str> {
        self.note
    }

    /// Every WeCard field of the user: the request's fields in wire order, each with the member
    /// field of the same wire name if there is one, then the member's own fields in wire order.
    pub fn fields(&self) -> Vec<UserField<'a>> {
        let request = self.request().fields();
        let mut fields: Vec<UserField<'a>> = request
            .iter()
            .map(|field| UserField {
                wire_name: field.wire_name(),
                request: Some(field),
                member: self.member.field(field.wire_name()),
            })
            .collect();
        fields.extend(
            self.member
                .fields()
                .iter()
                .filter(|field| !request.iter().any(|r| r.wire_name() == field.wire_name()))
                .map(|field| UserField {
                    wire_name: field.wire_name(),
                    request: None,
                    member: Some(field),
                }),
        );
        fields
    }

    /// The compact field table `wecard-macros` reads at its build time, so that no YAML is
    /// parsed while a derive expands. One item per line, tab-separated:
    ///
    /// ```text
    /// wecard-user-fields 1
    /// source  spec/wecard.yaml
    /// request CreateUserRequest
    /// member  Member
    /// field   <wire name>  <request side>  <member side>
    /// ```
    ///
    /// A side is `-` when the field is absent there, else `<rust name> <type> <flags>`: the type
    /// is `string`, `int`, `bool`, `datetime`, `list<T>`, `enum-int:Name`, `enum-str:Name` or
    /// `record:Name`; the flags are `r` (required), `g` (需申请), `n` (nullable), or `-`.
    pub fn field_table(&self) -> String {
        let mut lines = vec![
            FIELD_TABLE_HEADER.to_string(),
            format!("source\t{}", self.model.source_name()),
            format!("request\t{}", self.request().type_name()),
            format!("member\t{}", self.member.name()),
        ];
        for field in self.fields() {
            lines.push(format!(
                "field\t{}\t{}\t{}",
                field.wire_name,
                self.side(field.request),
                self.side(field.member)
            ));
        }
        // What a struct-level constant is checked against: the create request's unconditional
        // default-level rules, and the codes of its coded fields.
        let mut coded: Vec<&str> = Vec::new();
        for field in self.request().fields() {
            for rule in field.rules() {
                if rule.level() == Level::Default
                    && rule.when().is_none()
                    && let Some(text) = rule_columns(rule.kind())
                {
                    lines.push(format!("rule\t{}\t{text}", field.wire_name()));
                }
            }
            if let Type::Enum(name) = field.ty()
                && !coded.contains(&name.as_str())
            {
                coded.push(name);
            }
        }
        for name in coded {
            if let Some(definition) = self.model.enum_named(name) {
                let codes: Vec<String> = definition
                    .values()
                    .iter()
                    .map(|v| scalar_text(v.code()))
                    .collect();
                if codes.iter().all(|code| is_cell(code)) {
                    lines.push(format!("codes\t{name}\t{}", codes.join("\t")));
                }
            }
        }
        let mut table = lines.join("\n");
        table.push('\n');
        table
    }

    fn side(&self, field: Option<&Field>) -> String {
        let Some(field) = field else {
            return "-".to_string();
        };
        let mut flags = String::new();
        for (on, flag) in [
            (field.required(), 'r'),
            (field.needs_grant(), 'g'),
            (field.nullable(), 'n'),
        ] {
            if on {
                flags.push(flag);
            }
        }
        if flags.is_empty() {
            flags.push('-');
        }
        format!(
            "{} {} {flags}",
            field.rust_name(),
            self.table_type(field.ty())
        )
    }

    fn table_type(&self, ty: &Type) -> String {
        match ty {
            Type::String => "string".into(),
            Type::Int => "int".into(),
            Type::Bool => "bool".into(),
            Type::DateTime => "datetime".into(),
            Type::List(item) => format!("list<{}>", self.table_type(item)),
            Type::Enum(name) => match self.model.enum_named(name).map(|e| e.repr()) {
                Some(EnumRepr::String) => format!("enum-str:{name}"),
                _ => format!("enum-int:{name}"),
            },
            Type::Record(name) => format!("record:{name}"),
        }
    }
}

/// A rule as table columns: `length\tMIN\tMAX`, `range\tMIN\tMAX` (`-` for no bound),
/// `format\tNAME`, `one_of\tV1\tV2…`; `None` for what a constant is not checked against
/// (patterns, item counts) or what a cell cannot hold.
fn rule_columns(kind: &RuleKind) -> Option<String> {
    let bound = |b: &Option<i64>| b.map_or("-".to_string(), |n| n.to_string());
    match kind {
        RuleKind::Length { min, max } => Some(format!("length\t{}\t{}", bound(min), bound(max))),
        RuleKind::Range { min, max } => Some(format!("range\t{}\t{}", bound(min), bound(max))),
        RuleKind::Format(format) => Some(format!("format\t{}", format.name())),
        RuleKind::OneOf(values) => {
            let values: Vec<String> = values.iter().map(scalar_text).collect();
            values
                .iter()
                .all(|value| is_cell(value))
                .then(|| format!("one_of\t{}", values.join("\t")))
        }
        RuleKind::Pattern(_) | RuleKind::Items { .. } => None,
    }
}

/// A code or value as written on the wire.
fn scalar_text(value: &Scalar) -> String {
    match value {
        Scalar::Int(n) => n.to_string(),
        Scalar::String(s) => s.clone(),
    }
}

/// Whether `text` fits one tab-separated cell.
fn is_cell(text: &str) -> bool {
    !text.contains(['\t', '\n', '\r'])
}

/// One WeCard field of the user, on either side or both.
#[derive(Debug, Clone, Copy)]
pub struct UserField<'a> {
    wire_name: &'a str,
    request: Option<&'a Field>,
    member: Option<&'a Field>,
}

impl<'a> UserField<'a> {
    /// The JSON key.
    pub fn wire_name(&self) -> &'a str {
        self.wire_name
    }

    /// The field of the create request, if the request has it.
    pub fn request(&self) -> Option<&'a Field> {
        self.request
    }

    /// The field of the member record, if the record has it.
    pub fn member(&self) -> Option<&'a Field> {
        self.member
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    fn bundled() -> crate::Model {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/wecard.yaml");
        let text = std::fs::read_to_string(path).unwrap_or_default();
        match crate::load_str("spec/wecard.yaml", &text) {
            Ok(model) => model,
            Err(diagnostics) => panic!("{diagnostics}"),
        }
    }

    #[test]
    #[allow(clippy::panic, reason = "a test fails by panicking")]
    fn the_bundled_user_pairs_request_and_member_fields() {
        let model = bundled();
        let Some(user) = model.user() else {
            panic!("the bundled spec has `user:`");
        };
        assert_eq!(user.request().type_name(), "CreateUserRequest");
        assert_eq!(user.member().name(), "Member");
        let fields = user.fields();
        let find = |wire: &str| fields.iter().find(|f| f.wire_name() == wire).copied();
        let both = find("gender").map(|f| (f.request().is_some(), f.member().is_some()));
        assert_eq!(both, Some((true, true)));
        assert_eq!(find("qq").map(|f| f.member().is_none()), Some(true));
        assert_eq!(find("role").map(|f| f.request().is_none()), Some(true));
        // Request fields first, in wire order; then the member's own.
        assert_eq!(fields.first().map(|f| f.wire_name()), Some("card_number"));
        // 32 request fields, then the member's 13 own: birthday, contact_person, contact_phone,
        // role, the four *_status fields, start_at, serial_number, job_title, updated_at, ocode.
        assert_eq!(fields.len(), 32 + 13);
    }

    #[test]
    #[allow(clippy::panic, reason = "a test fails by panicking")]
    fn the_field_table_is_one_line_per_field() {
        let model = bundled();
        let Some(user) = model.user() else {
            panic!("the bundled spec has `user:`");
        };
        let table = user.field_table();
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(
            lines[..4],
            [
                "wecard-user-fields 1",
                "source\tspec/wecard.yaml",
                "request\tCreateUserRequest",
                "member\tMember"
            ]
        );
        assert!(lines.contains(&"field\tcard_number\tcard_number string r\tcard_number string r"));
        assert!(lines.contains(&"field\tgender\tgender string -\tgender enum-int:Gender g"));
        assert!(lines.contains(&"field\tclass\tclass string -\tclass string g"));
        assert!(lines.contains(&"field\tcard_type\tcard_type enum-int:CardType -\t-"));
        assert!(lines.contains(&"field\trole\t-\trole list<int> g"));
        let fields = lines
            .iter()
            .filter(|line| line.starts_with("field\t"))
            .count();
        assert_eq!(fields, user.fields().len());
        // What constants are checked against: unconditional default rules and known codes.
        assert!(lines.contains(&"rule\tcard_number\tlength\t-\t32"));
        assert!(lines.contains(&"rule\thead_image\tformat\turl_or_path"));
        assert!(
            !lines
                .iter()
                .any(|line| line.starts_with("rule\torganization")),
            "the organization path is a strict rule"
        );
        assert!(lines.contains(&"codes\tCardType\t1"));
        assert!(
            !lines.iter().any(|line| line.starts_with("rule\tid_card")),
            "strict and conditional rules are not for constants"
        );
        let kinds = [
            "wecard-user-fields",
            "source",
            "request",
            "member",
            "field",
            "rule",
            "codes",
        ];
        assert!(
            lines
                .iter()
                .all(|line| kinds.iter().any(|kind| line.starts_with(kind)))
        );
    }
}
