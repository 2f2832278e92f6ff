//! `events.md`: the push events WeCard POSTs to a school's URL, each with its payload record.

use super::Docs;
use super::markdown::{Ctx, code, prose};
use super::page::Page;
use crate::model::Events;

/// The name of the events page, at the root of the output.
pub const EVENTS: &str = "events.md";

impl Docs<'_> {
    pub(super) fn events(&self, events: &Events) -> String {
        const UP: &str = "README.md";
        let mut page = Page::new(&self.header);
        page.heading(1, "推送事件 Push events");
        page.para(&format!(
            "[← {}]({UP})",
            prose(self.model.api().name(), Ctx::Block)
        ));
        if let Some(description) = events.description() {
            page.para(&prose(description, Ctx::Block));
        }
        page.list(
            None,
            &[
                "**请求体 Body:** a JSON object with `app_key`, `school_code`, `event` (one of the codes \
                 below) and `raw_data`, the payload encrypted."
                    .to_owned(),
                "**应答 Reply:** `{\"code\":0,\"message\":\"ok\"}`; any other reply makes WeCard retry."
                    .to_owned(),
                format!(
                    "**Rust:** the generated `Event` enum, one variant per event below (the codes \
                     are the values of {}), and `Unknown` for any other code.",
                    code(events.codes(), Ctx::Block)
                ),
            ],
        );
        let rows: Vec<Vec<String>> = events
            .list()
            .iter()
            .map(|event| {
                let payload = match event.payload() {
                    Some(record) => {
                        let anchor = self.record_anchors.get(record).map_or("", String::as_str);
                        format!("[{}]({UP}#{anchor})", code(record, Ctx::Cell))
                    }
                    None => "未公开 undocumented: kept as JSON".to_owned(),
                };
                vec![
                    code(event.code(), Ctx::Cell),
                    code(event.variant(), Ctx::Cell),
                    payload,
                    prose(event.description(), Ctx::Cell),
                    event
                        .source()
                        .map(|source| prose(source, Ctx::Cell))
                        .unwrap_or_default(),
                ]
            })
            .collect();
        page.table(
            &["事件 Event", "Rust", "数据 Payload", "说明", "来源 Source"],
            &rows,
        );
        let notes: Vec<String> = events
            .list()
            .iter()
            .filter_map(|event| {
                let note = event.note()?;
                Some(format!(
                    "{}: {}",
                    code(event.code(), Ctx::Block),
                    prose(note, Ctx::Block)
                ))
            })
            .collect();
        page.list(Some("事件备注 Notes on single events:"), &notes);
        if let Some(note) = events.note() {
            page.heading(2, "备注 Notes");
            page.para(&prose(note, Ctx::Block));
        }
        if let Some(source) = events.source() {
            page.para(&format!("**来源 Source:** {}", prose(source, Ctx::Block)));
        }
        page.finish()
    }
}
