//! Backtick runs, as CommonMark reads them: shared by the Markdown docs and the rustdoc of
//! generated items, which both keep a spec's code spans as code.

/// Length of the backtick run starting at `start`.
pub(crate) fn backtick_run(chars: &[char], start: usize) -> usize {
    chars
        .get(start..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&c| c == '`')
        .count()
}

/// Start of the first backtick run of exactly `length` at or after `from` (CommonMark's rule
/// for closing a code span).
pub(crate) fn closing_run(chars: &[char], from: usize, length: usize) -> Option<usize> {
    let mut at = from;
    while let Some(&c) = chars.get(at) {
        if c == '`' {
            let run = backtick_run(chars, at);
            if run == length {
                return Some(at);
            }
            at += run;
        } else {
            at += 1;
        }
    }
    None
}
