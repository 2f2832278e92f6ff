//! `endpoints/<id>.md`: one endpoint's page, with its overview, request and reply tables, paging
//! and notes.

use super::Docs;
use super::examples::Example;
use super::markdown::{Ctx, code, note_text, prose};
use super::page::Page;
use crate::model::{Endpoint, Field, Message, Type};
use crate::spec::TokenPlacement;

impl Docs<'_> {
    pub(super) fn endpoint(&self, endpoint: &Endpoint) -> String {
        const UP: &str = "../README.md";
        let api = self.model.api();
        let mut page = Page::new(&self.header);
        page.heading(
            1,
            &format!(
                "{} ({})",
                prose(endpoint.summary(), Ctx::Block),
                code(endpoint.id(), Ctx::Block)
            ),
        );
        page.para(&format!(
            "[← {}]({UP}#endpoints)",
            prose(api.name(), Ctx::Block)
        ));
        if let Some(description) = endpoint.description() {
            page.para(&prose(description, Ctx::Block));
        }

        let mut overview = vec![
            format!(
                "**请求 Request:** {}, below the base URL (default {})",
                code(
                    &format!("{} {}", endpoint.method().as_str(), endpoint.path()),
                    Ctx::Block
                ),
                code(api.base_url(), Ctx::Block),
            ),
            format!(
                "**内容类型 Content type:** {}",
                code(api.content_type(), Ctx::Block)
            ),
            format!(
                "**访问凭证 Access token:** {}",
                self.token_long(endpoint.token())
            ),
        ];
        overview.push(if endpoint.envelope() {
            format!(
                "**响应 Reply:** the [reply envelope]({UP}#reply-envelope) ({}) beside the fields below",
                self.envelope_names()
            )
        } else {
            "**响应 Reply:** the fields below are the whole body; there is no reply envelope"
                .to_owned()
        });
        if endpoint.paging().is_some() {
            overview.push("**分页 Paged:** see [分页 Paging](#paging)".to_owned());
        }
        overview.push(format!(
            "**Rust:** client method {}, types {} and {}",
            code(endpoint.id(), Ctx::Block),
            code(endpoint.request().type_name(), Ctx::Block),
            code(endpoint.response().type_name(), Ctx::Block),
        ));
        if let Some(source) = endpoint.source() {
            overview.push(format!("**来源 Source:** {}", prose(source, Ctx::Block)));
        }
        page.list(None, &overview);

        page.heading(2, "请求 Request");
        let token = (endpoint.token() == TokenPlacement::Body).then(|| {
            format!(
                "The body also carries {}, which the client adds.",
                code(api.token_param(), Ctx::Block)
            )
        });
        self.message(
            &mut page,
            endpoint.request(),
            token,
            "No request fields.",
            UP,
        );
        let request = self.request_example(endpoint);
        page.heading(3, "请求示例 Request example");
        page.para(match endpoint.token() {
            TokenPlacement::Body => "The JSON body, the access token included.",
            TokenPlacement::Query => "The JSON body; the access token travels in the query string.",
            TokenPlacement::None => "The JSON body.",
        });
        example_block(&mut page, &request);

        page.heading(2, "响应 Reply");
        let empty = if endpoint.envelope() {
            "Nothing beside the envelope."
        } else {
            "No fields."
        };
        self.message(&mut page, endpoint.response(), None, empty, UP);
        let reply = self.reply_example(endpoint);
        page.heading(3, "响应示例 Reply example");
        page.para("A successful reply.");
        example_block(&mut page, &reply);
        if self.carries_grant(endpoint.response().fields(), 0) {
            self.grant_section(&mut page, UP);
        }

        if let Some(paging) = endpoint.paging() {
            page.anchored_heading(2, "paging", "分页 Paging");
            let size = match paging.max_page_size() {
                Some(max) => format!(" (at most {max})"),
                None => String::new(),
            };
            page.para(&format!(
                "Pages are numbered from 1. Send the page number in {} and the page size in {}{size}. \
                 The reply gives the total number of items in {} and this page's items in {}; there \
                 are ⌈{} / {}⌉ pages.",
                code(paging.page(), Ctx::Block),
                code(paging.page_size(), Ctx::Block),
                code(paging.total(), Ctx::Block),
                code(paging.items(), Ctx::Block),
                code(paging.total(), Ctx::Block),
                code(paging.page_size(), Ctx::Block),
            ));
        }

        if let Some(note) = endpoint.note() {
            page.heading(2, "备注 Notes");
            page.para(&note_text(note));
        }
        page.finish()
    }

    /// Whether `fields`, or a record inside them, has a field marked 需申请.
    pub(super) fn carries_grant(&self, fields: &[Field], depth: usize) -> bool {
        fields.iter().any(|field| {
            field.needs_grant()
                || match field.ty().item() {
                    Type::Record(name) if depth < 8 => self
                        .model
                        .record(name)
                        .is_some_and(|record| self.carries_grant(record.fields(), depth + 1)),
                    _ => false,
                }
        })
    }

    /// How to apply for 需申请 fields, for a reply that carries some.
    fn grant_section(&self, page: &mut Page, readme: &str) {
        page.anchored_heading(3, "needs-grant", "需申请字段 Fields that need a grant");
        page.para(&format!(
            "The fields marked 需申请 in this reply (including those of the records it holds) \
             are only returned to apps that applied for them; an app without the grant does \
             not receive them. See also the [legend]({readme}#reading-the-field-tables)."
        ));
        page.para(&self.grant_how());
    }

    /// `申请方式 How to apply:` and the spec's instructions (or that it gives none).
    pub(super) fn grant_how(&self) -> String {
        match self.model.api().grant_instructions() {
            Some(text) => format!("**申请方式 How to apply:** {}", prose(text, Ctx::Block)),
            None => "**申请方式 How to apply:** the spec does not say.".to_owned(),
        }
    }

    fn envelope_names(&self) -> String {
        self.model
            .api()
            .envelope()
            .iter()
            .map(|field| code(field.wire_name(), Ctx::Block))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn token_long(&self, token: TokenPlacement) -> String {
        let param = self.model.api().token_param();
        match token {
            TokenPlacement::Query => format!(
                "in the query string, {}",
                code(&format!("?{param}=ACCESS_TOKEN"), Ctx::Block)
            ),
            TokenPlacement::Body => format!("in the JSON body, as {}", code(param, Ctx::Block)),
            TokenPlacement::None => "not sent".to_owned(),
        }
    }

    /// A request or reply: its description, `extra` (a sentence of ours), its field table or
    /// `empty`, and its notes.
    fn message(
        &self,
        page: &mut Page,
        message: &Message,
        extra: Option<String>,
        empty: &str,
        readme: &str,
    ) {
        if let Some(description) = message.description() {
            page.para(&prose(description, Ctx::Block));
        }
        if let Some(extra) = extra {
            page.para(&extra);
        }
        if message.fields().is_empty() {
            page.para(empty);
            if let Some(note) = message.note() {
                page.list(Some("备注 Notes:"), &[note_text(note)]);
            }
            return;
        }
        self.fields(page, message.fields(), message.note(), readme);
    }
}

/// The example as a JSON block, then the fields whose value is a placeholder.
fn example_block(page: &mut Page, example: &Example) {
    page.code_block("json", &example.body.pretty());
    if !example.placeholders.is_empty() {
        let names: Vec<String> = example
            .placeholders
            .iter()
            .map(|path| code(path, Ctx::Block))
            .collect();
        page.para(&format!(
            "占位值 Placeholders: the sources give no example for {}; the values shown only \
             mark where they go.",
            names.join(", ")
        ));
    }
}
