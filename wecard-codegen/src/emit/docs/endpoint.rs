//! `endpoints/<id>.md`: one endpoint's page, with its overview, request and reply tables, paging
//! and notes.

use super::Docs;
use super::markdown::{Ctx, code, prose};
use super::page::Page;
use crate::model::{Endpoint, Message};
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
                "**Request:** {}, below the base URL (default {})",
                code(
                    &format!("{} {}", endpoint.method().as_str(), endpoint.path()),
                    Ctx::Block
                ),
                code(api.base_url(), Ctx::Block),
            ),
            format!("**Content type:** {}", code(api.content_type(), Ctx::Block)),
            format!("**Access token:** {}", self.token_long(endpoint.token())),
        ];
        overview.push(if endpoint.envelope() {
            format!(
                "**Reply:** the [reply envelope]({UP}#reply-envelope) ({}) beside the fields below",
                self.envelope_names()
            )
        } else {
            "**Reply:** the fields below are the whole body; there is no reply envelope".to_owned()
        });
        if endpoint.paging().is_some() {
            overview.push("**Paged:** see [Paging](#paging)".to_owned());
        }
        overview.push(format!(
            "**Rust:** client method {}, types {} and {}",
            code(endpoint.id(), Ctx::Block),
            code(endpoint.request().type_name(), Ctx::Block),
            code(endpoint.response().type_name(), Ctx::Block),
        ));
        if let Some(source) = endpoint.source() {
            overview.push(format!("**Source:** {}", prose(source, Ctx::Block)));
        }
        page.list(None, &overview);

        page.heading(2, "Request");
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

        page.heading(2, "Reply");
        let empty = if endpoint.envelope() {
            "Nothing beside the envelope."
        } else {
            "No fields."
        };
        self.message(&mut page, endpoint.response(), None, empty, UP);

        if let Some(paging) = endpoint.paging() {
            page.heading(2, "Paging");
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
            page.heading(2, "Notes");
            page.para(&prose(note, Ctx::Block));
        }
        page.finish()
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
                page.list(Some("Notes:"), &[prose(note, Ctx::Block)]);
            }
            return;
        }
        self.fields(page, message.fields(), message.note(), readme);
    }
}
