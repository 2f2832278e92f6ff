//! What a cell may hide: invisible and full-width characters in a card number (which would make
//! a second member that looks like the first), and text that a spreadsheet would take for a
//! formula when we write a CSV back.

use std::borrow::Cow;

/// What is wrong with the characters of a card number, if anything: an invisible character
/// (zero-width space, byte-order mark, soft hyphen, a control character) or a full-width one
/// (`２０２４`, an ideographic space).
pub fn card_number_characters(card: &str) -> Option<String> {
    for (at, c) in card.char_indices() {
        let before = &card[..at];
        let place = if before.is_empty() {
            "at the start".to_string()
        } else {
            format!("after `{before}`")
        };
        if is_invisible(c) {
            return Some(format!(
                "holds an invisible character (U+{:04X}) {place}; retype the card number \
                 (含不可见字符)",
                u32::from(c)
            ));
        }
        if let Some(narrow) = narrow_form(c) {
            return Some(format!(
                "holds the full-width character `{c}` (U+{:04X}) {place}; type it as `{narrow}` \
                 (含全角字符)",
                u32::from(c)
            ));
        }
    }
    None
}

fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFFB}'
                | '\u{E0000}'..='\u{E007F}'
        )
}

/// The ASCII character a full-width form stands for.
fn narrow_form(c: char) -> Option<char> {
    match c {
        '\u{3000}' => Some(' '),
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFF01 + 0x21),
        _ => None,
    }
}

/// Whether a spreadsheet would read `cell` as a formula (`=…`, `+…`, `-…`, `@…`, or one of those
/// after a tab or carriage return).
pub fn looks_like_formula(cell: &str) -> bool {
    matches!(
        cell.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// `cell` made safe to open in a spreadsheet: a formula-looking cell gets a leading `'`, which
/// spreadsheets show as text and never evaluate. Other cells are unchanged.
pub fn csv_safe(cell: &str) -> Cow<'_, str> {
    if looks_like_formula(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_full_width_characters_are_named() {
        assert_eq!(card_number_characters("20210101001"), None);
        assert_eq!(card_number_characters("=1+1"), None);
        let zero_width = card_number_characters("2021\u{200B}0101").expect("zero-width");
        assert!(
            zero_width.contains("U+200B") && zero_width.contains("after `2021`"),
            "{zero_width}"
        );
        let full = card_number_characters("２021").expect("full-width");
        assert!(full.contains("type it as `2`"), "{full}");
        assert!(card_number_characters("\u{FEFF}1").is_some());
        assert!(card_number_characters("1\u{3000}").is_some());
    }

    #[test]
    fn formula_cells_are_neutralised() {
        for cell in ["=HYPERLINK(\"x\")", "+1", "-2", "@SUM(A1)", "\t=1"] {
            assert_eq!(csv_safe(cell), format!("'{cell}"));
        }
        assert_eq!(csv_safe("张三"), "张三");
        assert_eq!(csv_safe("2024-01"), "2024-01");
    }
}
