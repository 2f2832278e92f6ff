//! `README.md`: the API's conventions, the endpoint index, the error codes and the changelog,
//! around the records and enums sections.

use std::collections::BTreeSet;

use super::markdown::{Ctx, code, literal, note_text, prose};
use super::page::Page;
use super::{Docs, endpoint_link};
use crate::model::{Field, Format, RuleKind};
use crate::spec::{Handling, TokenPlacement};

impl Docs<'_> {
    pub(super) fn readme(&self) -> String {
        let api = self.model.api();
        let mut page = Page::new(&self.header);
        page.heading(1, &prose(api.name(), Ctx::Block));
        if let Some(description) = api.description() {
            page.para(&prose(description, Ctx::Block));
        }
        page.para(
            "本参考列出规范中的每个接口、记录、枚举与错误码，每个接口在 `endpoints/` 下另有一页。 \
             The reference of every endpoint, record, enum and error code of the spec. Each endpoint \
             has its own page under `endpoints/`.",
        );
        let mut contents = vec![
            "[约定 Conventions](#conventions)".to_owned(),
            "[接口 Endpoints](#endpoints)".to_owned(),
        ];
        if !self.model.records().is_empty() {
            contents.push("[记录 Records](#records)".to_owned());
        }
        if !self.model.enums().is_empty() {
            contents.push("[枚举 Enums](#enums)".to_owned());
        }
        if self.model.events().is_some() {
            contents.push(format!("[推送事件 Push events]({})", super::EVENTS));
        }
        contents.push("[错误码 Error codes](#error-codes)".to_owned());
        contents.push("[更新日志 Changelog](#changelog)".to_owned());
        page.list(None, &contents);

        self.conventions(&mut page);
        self.endpoint_index(&mut page);
        if !self.model.records().is_empty() {
            page.anchored_heading(2, "records", "记录 Records");
            for record in self.model.records() {
                self.record(&mut page, record);
            }
        }
        if !self.model.enums().is_empty() {
            page.anchored_heading(2, "enums", "枚举 Enums");
            for definition in self.model.enums() {
                self.enumeration(&mut page, definition);
            }
        }
        self.error_codes(&mut page);
        self.changelog(&mut page);
        page.finish()
    }

    fn conventions(&self, page: &mut Page) {
        let api = self.model.api();
        let token = code(api.token_param(), Ctx::Block);
        page.anchored_heading(2, "conventions", "约定 Conventions");
        let mut items = vec![
            format!(
                "**基础地址 Base URL:** {}. This is only the default: the generated client lets its caller \
                 replace it (privately deployed schools have their own host).",
                code(api.base_url(), Ctx::Block)
            ),
            format!(
                "**请求方法 Method:** {}, unless an endpoint says otherwise.",
                code(api.method().as_str(), Ctx::Block)
            ),
            format!(
                "**内容类型 Content type:** {}.",
                code(api.content_type(), Ctx::Block)
            ),
            format!(
                "**访问凭证 Access token:** the {token} parameter. Where it travels depends on the \
                 endpoint:"
            ),
        ];
        let placements = [
            (
                TokenPlacement::Query,
                format!(
                    "in the query string ({})",
                    code(&format!("?{}=ACCESS_TOKEN", api.token_param()), Ctx::Block)
                ),
            ),
            (
                TokenPlacement::Body,
                format!(
                    "in the JSON body as {token} (the client adds it; the request tables do not list it)"
                ),
            ),
            (TokenPlacement::None, "not sent".to_owned()),
        ];
        for (placement, text) in placements {
            let ids: Vec<String> = self
                .model
                .endpoints()
                .iter()
                .filter(|endpoint| endpoint.token() == placement)
                .map(|endpoint| endpoint_link(endpoint, ""))
                .collect();
            if !ids.is_empty() {
                // Nested under the access-token item.
                items.push(format!("  - {text}: {}", ids.join(", ")));
            }
        }
        page.list(None, &items);

        if let Some(note) = api.note() {
            page.para(&format!("**备注 Note:** {}", note_text(note)));
        }
        if let Some(source) = api.source() {
            page.para(&format!("**来源 Source:** {}", prose(source, Ctx::Block)));
        }

        page.anchored_heading(
            3,
            "reading-the-field-tables",
            "字段表说明 Reading the field tables",
        );
        let mut legend = vec![
            "**字段 Field**: 线上传输的 JSON 键名。 The JSON key, exactly as on the wire.".to_owned(),
            "**类型 Type**: `string`、`int`、`bool`、`datetime`（`YYYY-MM-DD HH:MM:SS`，不带时区）、\
             `list<T>`，或本页的记录、枚举。 `string`, `int`, `bool`, `datetime` \
             (`YYYY-MM-DD HH:MM:SS`, no time zone), `list<T>`, or a record or enum of this page. \
             *sent as a string*（以字符串发送）: the value is written as a JSON string \
             (`\"2022\"`); *read leniently*（宽松读取）: a number and a numeric string are both \
             accepted; *nullable*（可为 null）: an explicit `null` is kept apart from an absent \
             field; *secret*（凭证）: a credential the generated types print as `<redacted>`."
                .to_owned(),
            "**必填 Required**: 请求必须携带；响应总会返回。 A request must carry it; a reply always \
             carries it. A *default*（默认值） is what the server assumes when the field is absent."
                .to_owned(),
            format!(
                "**需申请**: 仅返回给已申请该字段的应用。 Only returned to apps that applied for the \
                 field. {}",
                self.grant_how()
            ),
            "**起始 Since**: 字段出现的[更新日志](#changelog)日期。 The [changelog](#changelog) date \
             on which the field appeared."
                .to_owned(),
        ];
        let mut rules =
            "**规则 Rules**: 发送请求前由生成的校验器检查；*strict* 规则仅在严格校验时检查。 \
                         Checked by the generated validators before a request is sent; *strict* \
                         rules only by strict validation (data quality). Bounds are inclusive, \
                         lengths count characters, a pattern must match the whole value"
                .to_owned();
        if self.formats_used().is_empty() {
            rules.push('.');
        } else {
            rules.push_str(", and formats are listed under [格式 Formats](#formats).");
        }
        legend.push(rules);
        legend.push(
            "**示例 Example**: 线上传输的形式（以字符串发送的字段显示为字符串）。 A value as the sources \
             show it, in JSON as it travels: a field sent as a string shows a string (`\"2022\"`)."
                .to_owned(),
        );
        page.list(None, &legend);

        page.anchored_heading(3, "reply-envelope", "响应信封 Reply envelope");
        let endpoints_without: Vec<String> = self
            .model
            .endpoints()
            .iter()
            .filter(|endpoint| !endpoint.envelope())
            .map(|endpoint| endpoint_link(endpoint, ""))
            .collect();
        let mut lead = "Every reply carries these fields beside its own".to_owned();
        if endpoints_without.is_empty() {
            lead.push('.');
        } else {
            lead.push_str(&format!(
                ", except that of {}.",
                endpoints_without.join(", ")
            ));
        }
        page.para(&lead);
        self.fields(page, api.envelope(), None, "");

        let formats = self.formats_used();
        if !formats.is_empty() {
            page.anchored_heading(3, "formats", "格式 Formats");
            let rows: Vec<Vec<String>> = formats
                .iter()
                .map(|format| {
                    vec![
                        code(format.name(), Ctx::Cell),
                        literal(format.en(), Ctx::Cell),
                        literal(format.zh(), Ctx::Cell),
                    ]
                })
                .collect();
            page.table(&["格式 Format", "接受 Accepts", "说明"], &rows);
        }
    }

    /// The formats some rule of the spec uses, in documentation order.
    fn formats_used(&self) -> Vec<Format> {
        let used: BTreeSet<Format> = self
            .field_sets()
            .into_iter()
            .flat_map(|(_, fields)| fields)
            .flat_map(Field::rules)
            .filter_map(|rule| match rule.kind() {
                RuleKind::Format(format) => Some(*format),
                _ => None,
            })
            .collect();
        Format::ALL
            .iter()
            .copied()
            .filter(|format| used.contains(format))
            .collect()
    }

    fn endpoint_index(&self, page: &mut Page) {
        page.anchored_heading(2, "endpoints", "接口 Endpoints");
        let rows: Vec<Vec<String>> = self
            .model
            .endpoints()
            .iter()
            .map(|endpoint| {
                vec![
                    endpoint_link(endpoint, ""),
                    prose(endpoint.summary(), Ctx::Cell),
                    code(
                        &format!("{} {}", endpoint.method().as_str(), endpoint.path()),
                        Ctx::Cell,
                    ),
                    token_short(endpoint.token()).to_owned(),
                    if endpoint.envelope() { "yes" } else { "no" }.to_owned(),
                    if endpoint.paging().is_some() {
                        "yes"
                    } else {
                        ""
                    }
                    .to_owned(),
                ]
            })
            .collect();
        if rows.is_empty() {
            page.para("No endpoints.");
        } else {
            page.table(
                &[
                    "接口 Endpoint",
                    "名称 Summary",
                    "请求 Request",
                    "访问凭证 Access token",
                    "信封 Envelope",
                    "分页 Paged",
                ],
                &rows,
            );
        }
    }

    fn error_codes(&self, page: &mut Page) {
        page.anchored_heading(2, "error-codes", "错误码 Error codes");
        let errcode = self.model.api().envelope().first().map_or_else(
            || "errcode".to_owned(),
            |field| field.wire_name().to_owned(),
        );
        page.para(&format!(
            "{} `0` means success. Any other value is an error, listed here or not; the Handling \
             column says what the generated client does about it.",
            code(&errcode, Ctx::Block)
        ));
        let rows: Vec<Vec<String>> = self
            .model
            .error_codes()
            .iter()
            .map(|error| {
                vec![
                    code(&error.code().to_string(), Ctx::Cell),
                    prose(error.description(), Ctx::Cell),
                    error
                        .meaning()
                        .map(|meaning| prose(meaning, Ctx::Cell))
                        .unwrap_or_default(),
                    handling_text(error.handling()).to_owned(),
                ]
            })
            .collect();
        if rows.is_empty() {
            page.para("No error codes are listed.");
            return;
        }
        page.table(
            &["错误码 Code", "说明", "含义 Meaning", "处理 Handling"],
            &rows,
        );
        let notes: Vec<String> = self
            .model
            .error_codes()
            .iter()
            .filter_map(|error| {
                let note = error.note()?;
                Some(format!(
                    "{}: {}",
                    code(&error.code().to_string(), Ctx::Block),
                    note_text(note)
                ))
            })
            .collect();
        page.list(Some("备注 Notes:"), &notes);
    }

    fn changelog(&self, page: &mut Page) {
        page.anchored_heading(2, "changelog", "更新日志 Changelog");
        let changes = self.model.changelog();
        if changes.is_empty() {
            page.para("No changes are recorded.");
            return;
        }
        let rows: Vec<Vec<String>> = changes
            .iter()
            .map(|change| {
                let mut fields = Vec::new();
                for (place, set) in self.field_sets() {
                    for field in set {
                        if field.since() == Some(change.date()) {
                            fields.push(format!(
                                "{} ({})",
                                code(field.wire_name(), Ctx::Cell),
                                place.link(self, "")
                            ));
                        }
                    }
                }
                vec![
                    literal(change.date(), Ctx::Cell),
                    prose(change.description(), Ctx::Cell),
                    fields.join(", "),
                ]
            })
            .collect();
        page.table(&["日期 Date", "变更 Change", "新增字段 New fields"], &rows);
        let notes: Vec<String> = changes
            .iter()
            .filter_map(|change| {
                let note = change.note()?;
                Some(format!(
                    "{}: {}",
                    literal(change.date(), Ctx::Block),
                    note_text(note)
                ))
            })
            .collect();
        page.list(Some("备注 Notes:"), &notes);
    }
}

fn handling_text(handling: Handling) -> &'static str {
    match handling {
        Handling::RefreshToken => "refresh the access token and replay the call once",
        Handling::Configuration => {
            "fix the app's configuration (credentials, ocode, app enabled); do not retry"
        }
        Handling::Request => "fix the request; do not retry",
        Handling::NotFound => {
            "the thing asked for does not exist; check the identifier, do not retry"
        }
        Handling::Permission => {
            "the app lacks a grant for the API or a field: apply for it; do not retry"
        }
    }
}

fn token_short(token: TokenPlacement) -> &'static str {
    match token {
        TokenPlacement::Query => "query",
        TokenPlacement::Body => "body",
        TokenPlacement::None => "none",
    }
}
