//! Properties of `wecard-codegen diff`: a spec compared with itself shows nothing (the bundled
//! spec, every corpus spec, and every mutated spec that loads); comparing random mutations of
//! the bundled spec never panics, renders and serializes, and is symmetric: what one direction
//! finds added the other finds removed.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use proptest::test_runner::Config;
use wecard_codegen::diff::{Kind, RenderOptions, Report, Side, compare};
use wecard_tests::{bundled_spec, workspace_root};

fn bundled_text() -> String {
    std::fs::read_to_string(bundled_spec()).expect("bundled spec")
}

#[test]
fn a_spec_compared_with_itself_shows_nothing() {
    let mut texts = vec![bundled_text()];
    let corpus = workspace_root().join("wecard-codegen/tests/diff_corpus");
    for entry in std::fs::read_dir(corpus).expect("corpus") {
        let dir = entry.expect("entry").path();
        for which in ["old.yaml", "new.yaml"] {
            texts.push(std::fs::read_to_string(dir.join(which)).expect("readable"));
        }
    }
    for text in texts {
        let a = Side::from_text("a.yaml", &text).unwrap_or_else(|d| panic!("{d}"));
        let b = Side::from_text("b.yaml", &text).unwrap_or_else(|d| panic!("{d}"));
        let report = compare(&a, &b);
        assert!(report.is_empty(), "{:?}", report.changes());
        assert_eq!(report.render(&RenderOptions::default()), "no changes\n");
    }
}

/// Edits that tend to keep a spec valid, so that most mutated specs load.
#[derive(Debug, Clone)]
enum Edit {
    /// Deletes the n-th list item (a field, a value, an endpoint, an entry) with its body.
    DeleteItem(usize),
    /// Flips the n-th `required:`, `nullable:`, `lenient:` or `secret:`.
    Flip(usize),
    /// Moves the n-th `min:`/`max:` bound or `max_page_size:` by a small amount.
    Nudge(usize, i8),
    /// Changes the n-th description.
    Reword(usize),
    /// Swaps the n-th `token:` to another placement.
    Token(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::DeleteItem),
        any::<usize>().prop_map(Edit::Flip),
        (any::<usize>(), any::<i8>()).prop_map(|(a, b)| Edit::Nudge(a, b)),
        any::<usize>().prop_map(Edit::Reword),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::Token(a, b)),
    ]
}

fn indent(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

/// The indices of lines satisfying `pick`; the n-th of them (modulo their count).
fn nth(lines: &[String], n: usize, pick: impl Fn(&str) -> bool) -> Option<usize> {
    let found: Vec<usize> = (0..lines.len()).filter(|&i| pick(&lines[i])).collect();
    (!found.is_empty()).then(|| found[n % found.len()])
}

fn apply(lines: &mut Vec<String>, edit: &Edit) {
    match edit {
        Edit::DeleteItem(n) => {
            if let Some(at) = nth(lines, *n, |l| l.trim_start().starts_with("- ")) {
                let depth = indent(&lines[at]);
                let mut end = at + 1;
                while end < lines.len()
                    && (lines[end].trim().is_empty() || indent(&lines[end]) > depth)
                    && !lines[end].trim_start().starts_with("- ")
                    || end < lines.len() && indent(&lines[end]) > depth + 1
                {
                    end += 1;
                }
                lines.drain(at..end);
            }
        }
        Edit::Flip(n) => {
            let keys = ["required:", "nullable:", "lenient:", "secret:"];
            if let Some(at) = nth(lines, *n, |l| {
                keys.iter().any(|k| l.trim_start().starts_with(k))
            }) {
                let line = &lines[at];
                lines[at] = if line.ends_with("true") {
                    line.replace("true", "false")
                } else {
                    line.replace("false", "true")
                };
            }
        }
        Edit::Nudge(n, by) => {
            if let Some(at) = nth(lines, *n, |l| l.contains("max:") || l.contains("min:")) {
                let line = lines[at].clone();
                let mut out = String::new();
                let mut digits = String::new();
                let mut done = false;
                for c in line.chars() {
                    if c.is_ascii_digit() && !done {
                        digits.push(c);
                        continue;
                    }
                    if !digits.is_empty() && !done {
                        let value: i64 = digits.parse().unwrap_or(0);
                        out.push_str(&(value + i64::from(*by)).max(0).to_string());
                        done = true;
                    }
                    out.push(c);
                }
                if !done && !digits.is_empty() {
                    let value: i64 = digits.parse().unwrap_or(0);
                    out.push_str(&(value + i64::from(*by)).max(0).to_string());
                }
                lines[at] = out;
            }
        }
        Edit::Reword(n) => {
            if let Some(at) = nth(lines, *n, |l| l.trim_start().starts_with("description: ")) {
                lines[at].push_str("（改）");
            }
        }
        Edit::Token(n, to) => {
            if let Some(at) = nth(lines, *n, |l| l.trim_start().starts_with("token: ")) {
                let depth = indent(&lines[at]);
                let place = ["query", "body", "none"][to % 3];
                lines[at] = format!("{}token: {place}", " ".repeat(depth));
            }
        }
    }
}

fn config() -> Config {
    Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(150),
        failure_persistence: None,
        ..Config::default()
    }
}

fn count(report: &Report, kind: Kind) -> usize {
    report.changes().iter().filter(|c| c.kind() == kind).count()
}

const OPPOSITES: &[(Kind, Kind)] = &[
    (Kind::EndpointAdded, Kind::EndpointRemoved),
    (Kind::FieldAdded, Kind::FieldRemoved),
    (Kind::RecordAdded, Kind::RecordRemoved),
    (Kind::EnumAdded, Kind::EnumRemoved),
    (Kind::EnumValueAdded, Kind::EnumValueRemoved),
    (Kind::ErrorCodeAdded, Kind::ErrorCodeRemoved),
    (Kind::ChangelogAdded, Kind::ChangelogRemoved),
    (Kind::FieldMadeRequired, Kind::FieldMadeOptional),
    (Kind::RuleTightened, Kind::RuleLoosened),
];

proptest! {
    #![proptest_config(config())]

    #[test]
    fn mutated_specs_compare_symmetrically(edits in prop::collection::vec(edit(), 1..4)) {
        let text = bundled_text();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        for edit in &edits {
            apply(&mut lines, edit);
        }
        let mutated = lines.join("\n");
        let old = Side::from_text("old.yaml", &text).unwrap();
        let Ok(new) = Side::from_text("new.yaml", &mutated) else {
            return Ok(());
        };
        let forward = compare(&old, &new);
        let backward = compare(&new, &old);
        let options = RenderOptions::default();
        for report in [&forward, &backward] {
            prop_assert!(!report.render(&options).is_empty());
            prop_assert_eq!(report.to_json(&options).len(), report.changes().len());
        }
        for (added, removed) in OPPOSITES {
            prop_assert_eq!(count(&forward, *added), count(&backward, *removed), "{:?}", added);
            prop_assert_eq!(count(&forward, *removed), count(&backward, *added), "{:?}", removed);
        }
        let same = compare(&new, &Side::from_text("again.yaml", &mutated).unwrap());
        prop_assert!(same.is_empty());
    }
}
