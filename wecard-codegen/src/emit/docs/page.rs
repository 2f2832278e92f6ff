//! The Markdown file being written: its header line, then paragraphs, headings, lists and GFM
//! tables, each a block separated from the next by one blank line.

/// A Markdown file being written: blocks separated by one blank line.
pub(super) struct Page {
    text: String,
}

impl Page {
    pub(super) fn new(header: &str) -> Page {
        let mut text = String::with_capacity(4096);
        text.push_str(header);
        text.push('\n');
        Page { text }
    }

    /// Starts a new block.
    fn blank(&mut self) {
        if !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
    }

    /// A line within the current block.
    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }

    /// A one-line paragraph.
    pub(super) fn para(&mut self, line: &str) {
        if !line.is_empty() {
            self.blank();
            self.line(line);
        }
    }

    pub(super) fn heading(&mut self, level: usize, text: &str) {
        self.blank();
        self.line(&format!("{} {text}", "#".repeat(level)));
    }

    /// A heading with an explicit anchor before it.
    pub(super) fn anchored_heading(&mut self, level: usize, anchor: &str, text: &str) {
        self.blank();
        self.line(&format!("<a id=\"{anchor}\"></a>"));
        self.line("");
        self.line(&format!("{} {text}", "#".repeat(level)));
    }

    /// A GFM table; every row gets exactly as many cells as the header.
    pub(super) fn table(&mut self, columns: &[&str], rows: &[Vec<String>]) {
        self.blank();
        self.line(&row(columns.iter().copied()));
        self.line(&format!("|{}", "---|".repeat(columns.len())));
        for cells in rows {
            let cells = (0..columns.len()).map(|i| cells.get(i).map_or("", String::as_str));
            self.line(&row(cells));
        }
    }

    /// A fenced code block in `language`; the fence is longer than any backtick run that
    /// starts a line of `text`, so nothing inside can close it.
    pub(super) fn code_block(&mut self, language: &str, text: &str) {
        let longest = text
            .lines()
            .map(|line| line.trim_start().chars().take_while(|&c| c == '`').count())
            .max()
            .unwrap_or(0);
        let fence = "`".repeat(longest.max(2) + 1);
        self.blank();
        self.line(&format!("{fence}{language}"));
        for line in text.lines() {
            self.line(line);
        }
        self.line(&fence);
    }

    /// A bulleted list, optionally introduced by a lead-in paragraph.
    pub(super) fn list(&mut self, lead: Option<&str>, items: &[String]) {
        if items.is_empty() {
            return;
        }
        if let Some(lead) = lead {
            self.para(lead);
        }
        self.blank();
        for item in items {
            // Items that already start with an indented bullet are nested under the previous one.
            if item.starts_with("  - ") {
                self.line(item);
            } else {
                self.line(&format!("- {item}"));
            }
        }
    }

    pub(super) fn finish(mut self) -> String {
        while self.text.ends_with("\n\n") {
            self.text.pop();
        }
        self.text
    }
}

fn row<'a>(cells: impl Iterator<Item = &'a str>) -> String {
    let mut line = String::from("|");
    for cell in cells {
        line.push(' ');
        line.push_str(cell);
        line.push_str(" |");
    }
    line
}
