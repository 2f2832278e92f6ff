//! `pattern:` rules compiled at generation time.
//!
//! A pattern becomes a deterministic automaton over bytes (with `regex-automata`), flattened into
//! two tables: the byte class of each byte, and the next state for each state and class. The
//! generated code hands the tables to the runtime's ten-line walk (`__private::dfa_full_match`),
//! so it needs no regex crate, compiles nothing at run time, and allocates nothing. The checker
//! matches the spec's examples with the same tables, so what is checked is exactly what is
//! emitted.

use std::collections::{BTreeMap, VecDeque};

use regex_automata::dfa::{Automaton, StartKind, dense};
use regex_automata::nfa::thompson;
use regex_automata::util::{start, syntax};
use regex_automata::{Anchored, util::primitives::StateID};

/// The next-state value meaning "no match is possible any more".
pub const DEAD: u16 = u16::MAX;

/// Largest automaton accepted, in bytes of the builder's own representation. Every stage is
/// bounded (the NFA, the determinization, the DFA), so a hostile pattern (`x{4294967295}`,
/// `\pL{9999}`) is refused after at most a few MiB of work, not after exhausting memory.
const SIZE_LIMIT: usize = 1 << 20;

/// Longest pattern accepted, in bytes: far more than any field needs.
pub const MAX_PATTERN_LEN: usize = 1024;

/// Why a pattern does not compile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    kind: PatternErrorKind,
    message: String,
}

/// The kinds of [`PatternError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatternErrorKind {
    /// Not valid Rust `regex` syntax.
    Syntax,
    /// Valid, but its automaton (or its text) is larger than a pattern may be.
    TooLarge,
    /// Valid, but uses a feature that cannot be compiled ahead of time (a Unicode word boundary).
    Unsupported,
}

impl PatternError {
    fn new(kind: PatternErrorKind, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
        }
    }

    /// What kind of problem it is.
    pub fn kind(&self) -> PatternErrorKind {
        self.kind
    }

    /// What is wrong, in words.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PatternError {}

/// A pattern as tables: state 0 is the start; `next[state * class_count + class]` is the next
/// state or [`DEAD`]; `accept[state]` says whether the text may end in that state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledPattern {
    classes: [u8; 256],
    class_count: usize,
    next: Vec<u16>,
    accept: Vec<bool>,
}

impl CompiledPattern {
    /// The byte class of every byte.
    pub fn classes(&self) -> &[u8; 256] {
        &self.classes
    }

    /// How many byte classes there are.
    pub fn class_count(&self) -> usize {
        self.class_count
    }

    /// The transition table, row by state.
    pub fn next(&self) -> &[u16] {
        &self.next
    }

    /// Which states may end the text.
    pub fn accept(&self) -> &[bool] {
        &self.accept
    }

    /// Whether the whole of `text` matches.
    pub fn is_full_match(&self, text: &str) -> bool {
        wecard_runtime::__private::dfa_full_match(
            &self.classes,
            &self.next,
            &self.accept,
            self.class_count,
            text,
        )
    }
}

/// Compiles `pattern` (Rust `regex` syntax, implicitly anchored at both ends).
///
/// # Errors
///
/// What is wrong with the pattern, in words: a syntax error, or an automaton too large to emit.
pub fn compile(pattern: &str) -> Result<CompiledPattern, PatternError> {
    use PatternErrorKind::{TooLarge, Unsupported};
    if pattern.len() > MAX_PATTERN_LEN {
        return Err(PatternError::new(
            TooLarge,
            format!(
                "the pattern is {} bytes long, more than the {MAX_PATTERN_LEN} a pattern may be",
                pattern.len()
            ),
        ));
    }
    let dfa = dense::Builder::new()
        .configure(
            dense::Config::new()
                .start_kind(StartKind::Anchored)
                .minimize(true)
                .dfa_size_limit(Some(SIZE_LIMIT))
                .determinize_size_limit(Some(4 * SIZE_LIMIT)),
        )
        .syntax(syntax::Config::new().unicode(true).utf8(true))
        .thompson(thompson::Config::new().nfa_size_limit(Some(SIZE_LIMIT)))
        .build(&format!("^(?:{pattern})$"))
        .map_err(|error| describe(pattern, &error))?;
    let start = dfa
        .start_state(&start::Config::new().anchored(Anchored::Yes))
        .map_err(|error| {
            PatternError::new(
                Unsupported,
                format!("the pattern cannot start a match: {error}"),
            )
        })?;
    let classes_table = dfa.byte_classes();
    let class_count = classes_table.alphabet_len() - 1; // the last class is end-of-input
    let mut classes = [0u8; 256];
    let mut representative = vec![0u8; class_count];
    for byte in 0..=255u8 {
        let class = classes_table.get(byte);
        classes[usize::from(byte)] = class;
        representative[usize::from(class)] = byte;
    }
    // Number the live states breadth-first from the start, so output is deterministic.
    let mut ids: BTreeMap<StateID, u16> = BTreeMap::new();
    let mut order: Vec<StateID> = Vec::new();
    let mut queue = VecDeque::from([start]);
    ids.insert(start, 0);
    order.push(start);
    let mut next = Vec::new();
    let mut accept = Vec::new();
    while let Some(state) = queue.pop_front() {
        accept.push(dfa.is_match_state(dfa.next_eoi_state(state)));
        for &byte in &representative {
            let target = dfa.next_state(state, byte);
            if dfa.is_quit_state(target) {
                return Err(PatternError::new(
                    Unsupported,
                    "the pattern uses a feature (such as a Unicode word boundary) that cannot be compiled ahead of time",
                ));
            }
            if dfa.is_dead_state(target) {
                next.push(DEAD);
                continue;
            }
            let id = match ids.get(&target) {
                Some(id) => *id,
                None => {
                    let id = u16::try_from(order.len())
                        .ok()
                        .filter(|id| *id != DEAD)
                        .ok_or_else(|| {
                            PatternError::new(
                                TooLarge,
                                "the pattern is too large: it needs more than 65,535 states",
                            )
                        })?;
                    ids.insert(target, id);
                    order.push(target);
                    queue.push_back(target);
                    id
                }
            };
            next.push(id);
        }
    }
    Ok(CompiledPattern {
        classes,
        class_count,
        next,
        accept,
    })
}

/// Why a pattern did not compile, decided by the error's kind (never its wording): too large,
/// unsupported, or the syntax error itself.
fn describe(pattern: &str, error: &dense::BuildError) -> PatternError {
    let nfa = std::error::Error::source(error)
        .and_then(|source| source.downcast_ref::<thompson::BuildError>());
    if error.is_size_limit_exceeded() || nfa.is_some_and(|nfa| nfa.size_limit().is_some()) {
        return PatternError::new(
            PatternErrorKind::TooLarge,
            format!(
                "the pattern is too large: its automaton would exceed {} KiB",
                SIZE_LIMIT / 1024
            ),
        );
    }
    if nfa.is_some() {
        return PatternError::new(PatternErrorKind::Syntax, explain(error));
    }
    // A DFA error that is neither about size nor from the NFA is a feature the DFA lacks; it is
    // told in our words, not the library's (which speak of DFAs and other engines).
    let word_boundary = regex_automata::util::syntax::parse(pattern)
        .is_ok_and(|hir| hir.properties().look_set().contains_word_unicode());
    let message = if word_boundary {
        "the pattern uses a Unicode word boundary (`\\b`, `\\B`, `\\<` or `\\>`), which cannot be compiled ahead of time"
    } else {
        "the pattern uses a feature that cannot be compiled ahead of time"
    };
    PatternError::new(PatternErrorKind::Unsupported, message)
}

/// The innermost cause of a build error (the syntax error itself, not "error building NFA"),
/// whose last line says what is wrong.
fn explain(error: &dyn std::error::Error) -> String {
    let mut cause = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    let text = cause.to_string();
    let last = text
        .lines()
        .rev()
        .find(|line| !line.trim().is_empty())
        .unwrap_or(&text);
    last.trim().trim_start_matches("error: ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_whole_text_only() {
        let digits = compile("[0-9]{3,4}").expect("compiles");
        assert!(digits.is_full_match("123"));
        assert!(digits.is_full_match("1234"));
        assert!(!digits.is_full_match("12"));
        assert!(!digits.is_full_match("12345"));
        assert!(!digits.is_full_match("a123"));
        assert!(!digits.is_full_match("123\n"));
    }

    #[test]
    fn alternation_unicode_and_empty() {
        let words = compile("(学生|教职工)-[A-Z]+").expect("compiles");
        assert!(words.is_full_match("学生-AB"));
        assert!(words.is_full_match("教职工-Z"));
        assert!(!words.is_full_match("校友-Z"));
        let any = compile(".*").expect("compiles");
        assert!(any.is_full_match(""));
        assert!(any.is_full_match("任何 text"));
        assert!(compile("a{1000}{1000}").is_err());
    }

    #[test]
    fn huge_patterns_are_refused_as_too_large() {
        for hostile in [
            "x{4294967295}",
            "\\pL{9999}",
            "(?:a{1000}){1000}",
            "[0-9]{1,65535}",
        ] {
            let error = compile(hostile).expect_err(hostile);
            assert_eq!(
                error.kind(),
                PatternErrorKind::TooLarge,
                "{hostile}: {error}"
            );
        }
        let long = "a".repeat(MAX_PATTERN_LEN + 1);
        let error = compile(&long).expect_err("long");
        assert_eq!(error.kind(), PatternErrorKind::TooLarge);
        assert!(error.message().contains("bytes long"), "{error}");
        assert!(compile("\\p{Han}{1,32}").is_ok());
    }

    #[test]
    fn syntax_errors_are_explained() {
        let error = compile("(unclosed").expect_err("invalid");
        assert_eq!(error.kind(), PatternErrorKind::Syntax);
        assert!(error.message().contains("unclosed"), "{error}");
        let boundary = compile("\\bword\\b").expect_err("unicode word boundary");
        assert_eq!(boundary.kind(), PatternErrorKind::Unsupported, "{boundary}");
        assert_eq!(
            boundary.message(),
            "the pattern uses a Unicode word boundary (`\\b`, `\\B`, `\\<` or `\\>`), which cannot be compiled ahead of time"
        );
        assert!(compile("(?-u:\\b)word(?-u:\\b)").is_ok());
    }
}
