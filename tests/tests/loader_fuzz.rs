//! A mutation fuzzer over the loader and, for specs it accepts, the Rust generator: whatever the
//! bytes, loading gives a model or located diagnostics, never a panic; an accepted spec
//! generates Rust that parses.
//!
//! The seeds are the diagnostics corpus and the bundled spec; each case applies a few mutations
//! chosen by a fixed-seed generator, biased towards the inputs that once crashed the loader
//! (ideographic spaces in indentation, U+0085 and U+2028, lone `\r`, deep nesting, huge pattern
//! repetitions, aliases, tags). A run tries `WECARD_MUTATIONS` cases (default 1,500, a few seconds);
//! `WECARD_MUTATION_SEED` picks another sequence. The same property runs under libFuzzer with
//! `cargo +nightly fuzz run load_bytes` in `wecard-codegen/`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use wecard_codegen::emit::rust::{Options, generate};

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Fragments that once broke the loader, or that stress a part of it.
const FRAGMENTS: &[&str] = &[
    "\u{3000}",
    "\u{3000}\u{3000}",
    "\u{85}",
    "\u{2028}",
    "\u{2029}",
    "\r",
    "\r\n",
    "\t",
    "\u{feff}",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    "? ",
    "#",
    "'",
    "\"",
    "\\",
    "&a ",
    "*a",
    "!!str ",
    "!!int ",
    "!x ",
    "<<: *a",
    "---\n",
    "...\n",
    "|\n",
    ">-\n",
    "~",
    "list<",
    "list<list<list<int>>>",
    "'x{4294967295}'",
    "'\\pL{9999}'",
    "'(a|b)*c{1,9}'",
    "0x7fffffffffffffff",
    "99999999999999999999",
    ".inf",
    "-.nan",
    "1e400",
    "名字",
    "\u{0}",
];

fn seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = std::fs::read_dir("corpus")
        .expect("corpus")
        .map(|entry| std::fs::read(entry.expect("entry").path()).expect("seed"))
        .collect();
    seeds.sort();
    seeds.push(std::fs::read(wecard_tests::bundled_spec()).expect("bundled spec"));
    seeds
}

/// A char boundary at or before `at` when the bytes are text (so most mutants stay UTF-8).
fn boundary(bytes: &[u8], mut at: usize) -> usize {
    at = at.min(bytes.len());
    while at > 0 && at < bytes.len() && (bytes[at] & 0xC0) == 0x80 {
        at -= 1;
    }
    at
}

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>, seeds: &[Vec<u8>]) {
    let at = boundary(bytes, rng.below(bytes.len() + 1));
    match rng.below(9) {
        0 | 1 => {
            let fragment = FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes();
            bytes.splice(at..at, fragment.iter().copied());
        }
        2 => {
            let end = boundary(bytes, at + rng.below(40));
            bytes.drain(at..end.max(at));
        }
        3 => {
            // Repeat a short run many times: deep nesting, long lines, wide lists.
            let end = boundary(bytes, at + 1 + rng.below(6));
            let run = bytes[at..end.max(at)].to_vec();
            let times = [2, 10, 100, 1000][rng.below(4)];
            let repeated: Vec<u8> = run
                .iter()
                .copied()
                .cycle()
                .take(run.len() * times)
                .collect();
            bytes.splice(at..at, repeated);
        }
        4 => {
            // Indent a line with something that is not a space.
            let start = bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            let odd = ["\u{3000}", "\t", "\u{85}", " \u{2028}"][rng.below(4)];
            bytes.splice(start..start, odd.bytes());
        }
        5 => {
            // A line from another seed.
            let other = &seeds[rng.below(seeds.len())];
            let lines: Vec<&[u8]> = other.split(|&b| b == b'\n').collect();
            let line = lines[rng.below(lines.len())];
            let start = bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            bytes.splice(start..start, line.iter().copied().chain([b'\n']));
        }
        6 => {
            if let Some(b) = bytes.get_mut(at) {
                *b = (rng.next() & 0xff) as u8;
            }
        }
        7 => {
            let end = boundary(bytes, at + rng.below(200));
            let copy = bytes[at..end.max(at)].to_vec();
            bytes.splice(at..at, copy);
        }
        _ => {
            bytes.truncate(at);
        }
    }
}

/// Lines as editors count them: `\n`, `\r\n`, or a lone `\r` ends one.
fn editor_lines(text: &str) -> Vec<&str> {
    let mut lines = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(['\n', '\r']) {
        lines.push(&rest[..at]);
        let width = if rest[at..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[at + width..];
    }
    lines.push(rest);
    lines
}

/// Loads `bytes` and checks every promise; returns whether the spec was accepted.
fn check(bytes: &[u8]) -> bool {
    match wecard_codegen::load_bytes("mutant.yaml", bytes) {
        Ok(model) => {
            if let Ok(code) = generate(&model, &Options::default())
                && let Err(error) = syn::parse_file(&code)
            {
                panic!(
                    "accepted spec generated Rust that does not parse: {error}\n{}",
                    String::from_utf8_lossy(bytes)
                );
            }
            true
        }
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty());
            let text = String::from_utf8_lossy(bytes);
            let lines = editor_lines(&text);
            for diagnostic in &diagnostics {
                if let Some(span) = diagnostic.span() {
                    assert!(
                        span.line >= 1 && span.line as usize <= lines.len(),
                        "line {} of {}: {diagnostic}",
                        span.line,
                        lines.len()
                    );
                    let line = lines.get(span.line as usize - 1).copied().unwrap_or("");
                    let width = line.chars().count() as u32;
                    assert!(
                        span.column >= 1 && span.column <= width + 1,
                        "column {} of {width}: {diagnostic}",
                        span.column
                    );
                }
                assert!(diagnostic.render(false).starts_with("mutant.yaml"));
                let _ = diagnostic.to_json().to_string();
            }
            false
        }
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

#[test]
fn mutated_specs_load_or_report_and_accepted_ones_generate() {
    let seeds = seeds();
    let cases = env_number("WECARD_MUTATIONS", 1500);
    let mut rng = Rng(env_number("WECARD_MUTATION_SEED", 0x5eed_cafe_f00d_d00d) | 1);
    let mut accepted = 0;
    for case in 0..cases {
        // Mostly the small corpus specs (fast); now and then the bundled spec.
        let seed = if case % 50 == 0 {
            seeds.len() - 1
        } else {
            rng.below(seeds.len() - 1)
        };
        let mut bytes = seeds[seed].clone();
        for _ in 0..1 + rng.below(3) {
            mutate(&mut rng, &mut bytes, &seeds);
        }
        let outcome = std::panic::catch_unwind(|| check(&bytes));
        match outcome {
            Ok(true) => accepted += 1,
            Ok(false) => {}
            Err(_) => {
                let path = std::env::temp_dir().join(format!("wecard-mutant-{case}.yaml"));
                std::fs::write(&path, &bytes).expect("write the failing case");
                panic!("case {case} failed; its bytes are in {}", path.display());
            }
        }
    }
    // The mutations must leave some specs valid, or generation is never exercised.
    assert!(accepted > 0, "no mutant of {cases} was accepted");
}

#[test]
fn the_regression_cases_pass() {
    // Each once crashed or hung the loader; see `loader_limits.rs` for their located errors.
    let valid = std::fs::read_to_string("corpus/00_valid.yaml").expect("valid");
    let cases = [
        valid.replacen(
            "\n        description: 卡号",
            "\n\u{3000}\u{3000}description: 卡号",
            1,
        ),
        valid.replacen("description: 卡号", "description: 卡\u{85}号\u{2028}", 1),
        valid.replace('\n', "\r"),
        valid.replacen(
            "type: string",
            &format!("type: {}int{}", "list<".repeat(2000), ">".repeat(2000)),
            1,
        ),
        format!("a: {}\n", "[".repeat(80_000)),
        format!("a: {}\n", "{a: ".repeat(80_000)),
        valid.replacen(
            "rules:\n",
            "rules:\n          - pattern: 'x{4294967295}'\n",
            1,
        ),
    ];
    for case in cases {
        check(case.as_bytes());
    }
}
