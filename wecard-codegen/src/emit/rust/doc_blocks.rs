//! Doc comments carried beside a part's tokens instead of inside them.
//!
//! Doc lines are a third of the module, and as `#[doc = "…"]` attributes (one per line) they are
//! its costliest tokens: syn parses each one as an attribute holding an expression, and
//! prettyplease reads each string back before printing it as `///`. So, while a part is emitted,
//! each doc block is set aside and one marker attribute (naming the block by its number) holds
//! its place; once the part is printed, each marker's line is replaced by the block's `///`
//! lines at the marker's indentation, as prettyplease would have printed them. The output is
//! the same byte for byte.

use std::cell::RefCell;

use proc_macro2::TokenStream;
use quote::quote;

use super::EmitError;

/// What a marker attribute's doc string starts with (the block's number follows). Only
/// prettyplease's output is searched for it, and there it cannot appear otherwise: doc text is
/// set aside (and [`super::doc::escape`] drops control characters from it anyway), and a string
/// literal prints a control character escaped.
const MARKER: char = '\u{1}';

/// How prettyplease prints the start of a marker attribute, after its indentation.
const MARKER_START: &str = "///\u{1}";

thread_local! {
    /// The blocks set aside on this thread, while [`collect`] runs.
    static SET_ASIDE: RefCell<Option<Vec<Vec<String>>>> = const { RefCell::new(None) };
}

/// Doc attributes for `lines`: one marker while [`collect`] runs (the lines are set aside),
/// otherwise an attribute per line.
pub(super) fn attrs(lines: &[String]) -> TokenStream {
    if lines.is_empty() {
        return TokenStream::new();
    }
    let set_aside = SET_ASIDE.with(|blocks| {
        blocks.borrow_mut().as_mut().map(|blocks| {
            blocks.push(lines.to_vec());
            blocks.len() - 1
        })
    });
    if let Some(number) = set_aside {
        let marker = format!("{MARKER}{number}");
        return quote!(#[doc = #marker]);
    }
    let lines = lines.iter().map(|line| format!(" {line}"));
    quote! { #(#[doc = #lines])* }
}

/// Doc attributes for lines of the emitter's own (the same on every item of a kind), set aside
/// like the spec's.
pub(super) fn fixed(lines: &[&str]) -> TokenStream {
    let lines: Vec<String> = lines.iter().map(|line| (*line).to_owned()).collect();
    attrs(&lines)
}

/// The doc blocks of one part, by number.
#[derive(Debug, Default)]
pub(super) struct DocBlocks(Vec<Vec<String>>);

/// Runs `emit` with the doc blocks it makes set aside, and returns them with its result.
pub(super) fn collect<T>(emit: impl FnOnce() -> T) -> (T, DocBlocks) {
    /// Puts back whatever was being collected before, even if `emit` panics.
    struct Restore(Option<Vec<Vec<String>>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let previous = self.0.take();
            SET_ASIDE.with(|blocks| *blocks.borrow_mut() = previous);
        }
    }
    let _restore = Restore(SET_ASIDE.with(|blocks| blocks.borrow_mut().replace(Vec::new())));
    let value = emit();
    let blocks = SET_ASIDE
        .with(|blocks| blocks.borrow_mut().take())
        .unwrap_or_default();
    (value, DocBlocks(blocks))
}

impl DocBlocks {
    /// Appends `printed` (prettyplease's output for the part) to `out`, each marker line
    /// replaced by its block.
    pub(super) fn splice(&self, printed: &str, out: &mut String) -> Result<(), EmitError> {
        let misplaced = || {
            EmitError(
                "internal error: a doc marker is not where its block was set aside".to_owned(),
            )
        };
        let mut rest = printed;
        while let Some(at) = rest.find(MARKER_START) {
            let line_start = rest[..at].rfind('\n').map_or(0, |newline| newline + 1);
            let indent = &rest[line_start..at];
            let after = &rest[at + MARKER_START.len()..];
            let line_end = after.find('\n').ok_or_else(misplaced)?;
            let block = after[..line_end]
                .parse::<usize>()
                .ok()
                .and_then(|number| self.0.get(number))
                .filter(|_| indent.bytes().all(|b| b == b' '))
                .ok_or_else(misplaced)?;
            out.push_str(&rest[..line_start]);
            for line in block {
                out.push_str(indent);
                out.push_str("///");
                // prettyplease trims the trailing spaces of `" {line}"`.
                let line = line.trim_end_matches(' ');
                if !line.is_empty() {
                    out.push(' ');
                    out.push_str(line);
                }
                out.push('\n');
            }
            rest = &after[line_end + 1..];
        }
        out.push_str(rest);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{attrs, collect, fixed};

    fn lines(text: &[&str]) -> Vec<String> {
        text.iter().map(|line| (*line).to_owned()).collect()
    }

    /// What prettyplease prints for `tokens`, with doc blocks spliced back when `collected`.
    fn printed(tokens: impl Fn() -> proc_macro2::TokenStream, collected: bool) -> String {
        let (tokens, blocks) = if collected {
            collect(tokens)
        } else {
            (tokens(), super::DocBlocks::default())
        };
        let file: syn::File = syn::parse2(tokens).expect("parses");
        let mut out = String::new();
        blocks
            .splice(&prettyplease::unparse(&file), &mut out)
            .expect("every marker has its block");
        out
    }

    #[test]
    fn spliced_docs_print_as_prettyplease_prints_attributes() {
        // Blocks are made out of output order, one is used twice, and one is never used.
        let item = || {
            let method = attrs(&lines(&["Does it.", "", "# Errors"]));
            let _unused = attrs(&lines(&["Never shown."]));
            let outer = attrs(&lines(&["A record.", "", "With `code` and  ", "   "]));
            let field = attrs(&lines(&["- Wire name: `x`.", "Note: 字段"]));
            let variant = fixed(&["A variant."]);
            quote::quote! {
                #outer
                pub struct R {
                    #field
                    pub x: i64,
                }
                pub enum E {
                    #variant
                    One,
                    #variant
                    Two,
                }
                impl R {
                    #method
                    pub fn f(&self) {}
                }
                mod inner {
                    fn g() {}
                }
            }
        };
        let spliced = printed(item, true);
        assert_eq!(spliced, printed(item, false));
        assert!(spliced.contains("    /// - Wire name: `x`.\n"), "{spliced}");
        assert_eq!(spliced.matches("/// A variant.\n").count(), 2, "{spliced}");
        assert!(!spliced.contains('\u{1}'), "{spliced}");
    }

    #[test]
    fn a_marker_without_its_block_is_an_internal_error() {
        let file: syn::File = syn::parse_quote!(
            #[doc = "\u{1}0"]
            struct S;
        );
        let mut out = String::new();
        let error = super::DocBlocks::default()
            .splice(&prettyplease::unparse(&file), &mut out)
            .expect_err("no block for the marker");
        assert!(error.0.contains("internal error"), "{}", error.0);
    }

    #[test]
    fn collecting_nests_and_leaves_nothing_behind() {
        let ((), outer) = collect(|| {
            let _ = attrs(&lines(&["outer"]));
            let ((), inner) = collect(|| {
                let _ = attrs(&lines(&["inner"]));
            });
            assert_eq!(inner.0, vec![lines(&["inner"])]);
        });
        assert_eq!(outer.0, vec![lines(&["outer"])]);
        // Outside `collect`, the lines are attributes again.
        assert!(attrs(&lines(&["plain"])).to_string().contains("plain"));
    }
}
