//! Whatever bytes a spec holds, loading never panics, and every diagnostic it produces renders,
//! points inside the file, and serializes. Every run tries 10,000 cases in all (override with
//! `PROPTEST_CASES`): half mutate the real spec, a quarter are random bytes, a quarter YAML-shaped
//! noise.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::prelude::*;
use proptest::test_runner::Config;
use wecard_tests::bundled_spec;

fn spec_lines() -> Vec<String> {
    std::fs::read_to_string(bundled_spec())
        .expect("bundled spec")
        .lines()
        .map(str::to_string)
        .collect()
}

/// Loads `bytes` and checks that whatever comes back is well-formed.
fn assert_loads_or_reports(bytes: &[u8]) {
    // Lines as editors count them: `\n`, `\r\n`, or a lone `\r` ends one.
    let line_count = 1 + bytes
        .iter()
        .enumerate()
        .filter(|&(at, &b)| b == b'\n' || (b == b'\r' && bytes.get(at + 1) != Some(&b'\n')))
        .count() as u32;
    match wecard_codegen::load_bytes("mutated.yaml", bytes) {
        Ok(model) => {
            // A model that loads is consistent enough to count.
            let _ = model.type_count();
        }
        Err(diagnostics) => {
            assert!(
                !diagnostics.is_empty(),
                "an error carries at least one diagnostic"
            );
            for diagnostic in &diagnostics {
                if let Some(span) = diagnostic.span() {
                    assert!(
                        span.line >= 1 && span.line <= line_count + 1,
                        "line {} of {line_count}",
                        span.line
                    );
                    assert!(span.column >= 1);
                }
                let text = diagnostic.render(false);
                assert!(text.starts_with("mutated.yaml"), "{text}");
                assert!(!diagnostic.message().is_empty());
                let _ = diagnostic.to_json().to_string();
            }
        }
    }
}

#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize),
    Duplicate(usize),
    Swap(usize, usize),
    Retype(usize, usize),
    SwapKey(usize, usize),
    Insert(usize, Vec<u8>),
    Truncate(usize),
}

/// Values of every YAML kind, for replacing a value with one of another type.
const RETYPES: &[&str] = &[
    "[]",
    "{}",
    "~",
    "true",
    "12",
    "-1",
    "1.5",
    "\"x\"",
    "[1, 2]",
    "{a: 1}",
    "&a x",
    "*a",
    "!tag x",
    "|",
    "'",
    "[",
    "{",
    "null",
    "list<",
    "99999999999999999999",
    "\"\\u0000\"",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Delete),
        any::<usize>().prop_map(Mutation::Duplicate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Swap(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::Retype(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapKey(a, b)),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8))
            .prop_map(|(a, b)| Mutation::Insert(a, b)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn key_of(line: &str) -> Option<(usize, usize)> {
    let start = line.len() - line.trim_start_matches([' ', '-']).len();
    let colon = line[start..].find(':')? + start;
    Some((start, colon))
}

fn apply(lines: &mut Vec<String>, mutation: &Mutation) -> Option<Vec<u8>> {
    let n = lines.len().max(1);
    match mutation {
        Mutation::Delete(at) => {
            lines.remove(at % n);
        }
        Mutation::Duplicate(at) => {
            let line = lines[at % n].clone();
            lines.insert(at % n, line);
        }
        Mutation::Swap(a, b) => lines.swap(a % n, b % n),
        Mutation::Retype(at, kind) => {
            let line = &lines[at % n];
            if let Some((_, colon)) = key_of(line) {
                lines[at % n] = format!("{}: {}", &line[..colon], RETYPES[kind % RETYPES.len()]);
            }
        }
        Mutation::SwapKey(a, b) => {
            let donor = key_of(&lines[b % n]).map(|(s, c)| lines[b % n][s..c].to_string());
            let line = &lines[a % n];
            if let (Some(donor), Some((start, colon))) = (donor, key_of(line)) {
                lines[a % n] = format!("{}{donor}{}", &line[..start], &line[colon..]);
            }
        }
        Mutation::Insert(at, bytes) => {
            let mut text = lines.join("\n").into_bytes();
            let at = at % (text.len() + 1);
            text.splice(at..at, bytes.iter().copied());
            return Some(text);
        }
        Mutation::Truncate(at) => {
            let text = lines.join("\n").into_bytes();
            return Some(text[..at % (text.len() + 1)].to_vec());
        }
    }
    None
}

/// `share` of the run's total case count.
fn cases(share: f64) -> u32 {
    let total: u32 = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    (f64::from(total) * share).ceil() as u32
}

fn config(share: f64) -> Config {
    Config {
        cases: cases(share),
        failure_persistence: None,
        ..Config::default()
    }
}

proptest! {
    #![proptest_config(config(0.5))]

    #[test]
    fn mutated_spec_never_panics(mutations in prop::collection::vec(mutation(), 1..4)) {
        let mut lines = spec_lines();
        let mut bytes = None;
        for mutation in &mutations {
            if let Some(raw) = apply(&mut lines, mutation) {
                bytes = Some(raw);
                break;
            }
        }
        let bytes = bytes.unwrap_or_else(|| lines.join("\n").into_bytes());
        assert_loads_or_reports(&bytes);
    }
}

proptest! {
    #![proptest_config(config(0.25))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        assert_loads_or_reports(&bytes);
    }

    #[test]
    fn yaml_shaped_noise_never_panics(text in "[a-z_:\\-\\[\\]{}&*!|>'\" \n0-9#~.,?]{0,300}") {
        assert_loads_or_reports(text.as_bytes());
    }
}
