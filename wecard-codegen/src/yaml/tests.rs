//! Tests of the YAML tree.

#![allow(clippy::panic, reason = "tests fail by panicking")]

use super::*;
use crate::diagnostic::Ctxt;

fn parsed(text: &str) -> Node {
    let mut cx = Ctxt::new(SourceFile::new("t.yaml", text));
    match parse(&mut cx) {
        Some(document) => document.root,
        None => panic!("did not parse: {}", cx.into_diagnostics()),
    }
}

fn at(node: Option<&Node>) -> (u32, u32, u32) {
    let span = node.map(|n| n.span).unwrap_or_default();
    (span.line, span.column, span.len)
}

fn item(node: Option<&Node>, index: usize) -> Option<&Node> {
    match &node?.kind {
        NodeKind::Seq(items) => items.get(index),
        _ => None,
    }
}

fn key_of<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match &node.kind {
        NodeKind::Map(entries) => entries
            .iter()
            .find(|(k, _)| matches!(&k.kind, NodeKind::Str(t) if t == key))
            .map(|(k, _)| k),
        _ => None,
    }
}

#[test]
fn nodes_carry_their_place() {
    let root = parsed("a: 1\nlist:\n  - name: x\n    requird: true\n  - {name: \"y\"}\n");
    assert_eq!(at(root.get("a")), (1, 4, 1));
    assert_eq!(at(key_of(&root, "a")), (1, 1, 1));
    let first = item(root.get("list"), 0);
    assert_eq!(at(first.and_then(|f| key_of(f, "requird"))), (4, 5, 7));
    assert_eq!(at(first.and_then(|f| f.get("requird"))), (4, 14, 4));
    let second = item(root.get("list"), 1);
    assert_eq!(at(second.and_then(|s| s.get("name"))), (5, 12, 3));
    // A flow mapping covers its line, through its `}`.
    assert_eq!(at(second), (5, 5, 11));
}

#[test]
fn block_collections_start_at_their_first_key_or_dash() {
    let root = parsed("api:\n  name: x\nlist:\n  - id: a\n    token: b\n  - {id: c}\n");
    assert_eq!(at(Some(&root)), (1, 1, 3));
    assert_eq!(at(root.get("api")), (2, 3, 4));
    assert_eq!(at(root.get("list")), (4, 3, 1));
    assert_eq!(at(item(root.get("list"), 0)), (4, 5, 2));
    assert_eq!(at(item(root.get("list"), 1)), (6, 5, 7));
}

#[test]
fn positions_count_characters_and_editor_lines() {
    let root =
        parsed("名字: \"值 x\" # c\r\nb: 'it''s'\rc: \u{3000}d\u{85}e\u{2028}\nd: [1, 名]\n");
    assert_eq!(at(root.get("名字")), (1, 5, "\"值 x\"".len() as u32));
    assert_eq!(at(root.get("b")), (2, 4, "'it''s'".len() as u32));
    assert_eq!(
        at(root.get("c")),
        (3, 4, "\u{3000}d\u{85}e\u{2028}".len() as u32)
    );
    let d = root.get("d");
    assert_eq!(at(d), (4, 4, "[1, 名]".len() as u32));
    assert_eq!(at(item(d, 1)), (4, 8, "名".len() as u32));
}

#[test]
fn scalars_resolve_with_the_core_schema() {
    let root = parsed(
        "a: ~\nb: True\nc: yes\nd: 0x1F\ne: -12\nf: 1.5e3\ng: .inf\nh: '1'\ni: 0o17\nj: 1_000\nk: !!str 7\nl: .5\nm: 1.\nn: ! 3\n",
    );
    let kind = |key: &str| root.get(key).map(|n| n.kind.clone());
    assert_eq!(kind("a"), Some(NodeKind::Null));
    assert_eq!(kind("b"), Some(NodeKind::Bool(true)));
    assert_eq!(kind("c"), Some(NodeKind::Str("yes".into())));
    assert_eq!(kind("d"), Some(NodeKind::Int(31)));
    assert_eq!(kind("e"), Some(NodeKind::Int(-12)));
    assert_eq!(kind("f"), Some(NodeKind::Float(1500.0)));
    assert_eq!(kind("g"), Some(NodeKind::Float(f64::INFINITY)));
    assert_eq!(kind("h"), Some(NodeKind::Str("1".into())));
    assert_eq!(kind("i"), Some(NodeKind::Int(15)));
    assert_eq!(kind("j"), Some(NodeKind::Str("1_000".into())));
    assert_eq!(kind("k"), Some(NodeKind::Str("7".into())));
    assert_eq!(kind("l"), Some(NodeKind::Float(0.5)));
    assert_eq!(kind("m"), Some(NodeKind::Float(1.0)));
    assert_eq!(kind("n"), Some(NodeKind::Str("3".into())));
}

#[test]
fn aliases_are_expanded_at_their_use() {
    let root = parsed("a: &x {b: 1}\nc: *x\n");
    assert_eq!(
        root.get("c").and_then(|c| c.get("b")).map(|b| &b.kind),
        Some(&NodeKind::Int(1))
    );
    assert_eq!(at(root.get("c")), (2, 4, 2));
}

fn yaml_failure(text: &str) -> Diagnostic {
    let mut cx = Ctxt::new(SourceFile::new("t.yaml", text));
    assert!(parse(&mut cx).is_none(), "parsed: {text}");
    let diagnostics = cx.into_diagnostics();
    assert_eq!(diagnostics.len(), 1, "{diagnostics}");
    diagnostics
        .into_iter()
        .next()
        .unwrap_or_else(|| unreachable!())
}

fn place(diagnostic: &Diagnostic) -> Option<(u32, u32, u32)> {
    diagnostic.span().map(|s| (s.line, s.column, s.len))
}

#[test]
fn a_duplicate_key_is_reported_where_it_is_repeated() {
    let found = yaml_failure("a: 1\nlist:\n  - x: 1\n    y: 2\n    x: 3\n");
    assert_eq!(found.message(), "the key `x` appears twice in this mapping");
    assert_eq!(place(&found), Some((5, 5, 1)));
    assert_eq!(found.notes().len(), 1);
    let root = yaml_failure("a: 1\nb: 2\na: 3\n");
    assert_eq!(place(&root), Some((3, 1, 1)));
    // Keys are compared by value: `1` and `0x1` are the same integer.
    let numbers = yaml_failure("1: a\n0x1: b\n");
    assert_eq!(place(&numbers), Some((2, 1, 3)));
}

#[test]
fn a_second_document_is_reported_at_its_marker() {
    let found = yaml_failure("---\na: 1\n---\nb: 2\n");
    assert_eq!(place(&found), Some((3, 1, 3)));
    let implicit = yaml_failure("# x\na: 1\n---\nb: 2\n");
    assert_eq!(place(&implicit), Some((3, 1, 3)));
    let after_end = yaml_failure("a: 1\n...\nb: 2\n");
    assert_eq!(place(&after_end), Some((3, 1, 2)));
}

#[test]
fn an_unclosed_flow_collection_is_reported_where_it_opens() {
    let found = yaml_failure("a:\n  b: { c: 1, d: '{'\n  e: 2\n");
    assert_eq!(found.message(), "invalid YAML: this `{` is never closed");
    assert_eq!(place(&found), Some((2, 6, 1)));
    let list = yaml_failure("a: [1, [2, 3]\nb: 2\n");
    assert_eq!(list.message(), "invalid YAML: this `[` is never closed");
    assert_eq!(place(&list), Some((1, 4, 1)));
}

#[test]
fn tabs_and_over_indentation_are_explained() {
    let tab = yaml_failure("a:\n  b: x\n\tc: 1\n");
    assert_eq!(place(&tab), Some((3, 1, 1)));
    assert_eq!(
        tab.help_text(),
        Some("indent with spaces: YAML does not allow tabs in indentation")
    );
    let over = yaml_failure("a:\n  name: x\n    description: y\n");
    assert_eq!(place(&over).map(|p| (p.0, p.1)), Some((3, 16)));
    assert!(
        over.help_text()
            .is_some_and(|h| h.contains("indented more than `name` on line 2")),
        "{over}"
    );
    // An ideographic space is not indentation, and never cuts a character.
    let wide = yaml_failure("a:\n- x: 1\n\u{3000}\u{3000}y: 2: 3\n");
    assert!(wide.span().is_some());
}

#[test]
fn an_error_at_the_end_of_the_file_is_placed_on_its_last_line() {
    // The parser reports this one on a line after the last.
    let found = yaml_failure("a:\n- x\nc");
    assert_eq!(place(&found).map(|p| (p.0, p.1)), Some((3, 2)));
}

#[test]
fn nesting_is_refused_at_the_limit() {
    let deep = format!("a: {}1{}\n", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    let found = yaml_failure(&deep);
    assert!(found.message().contains("nests more than"), "{found}");
    assert_eq!(place(&found), Some((1, 4 + MAX_DEPTH as u32 - 1, 1)));
    let fits = format!("{}1{}\n", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    parsed(&fits);
}

#[test]
fn alias_bombs_and_self_reference_are_refused() {
    let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..10 {
        let previous = level - 1;
        bomb.push_str(&format!(
            "a{level}: &a{level} [*a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}, *a{previous}]\n"
        ));
    }
    let found = yaml_failure(&bomb);
    assert!(found.message().contains("alias bomb"), "{found}");
    let own = yaml_failure("a: &x [1, *x]\n");
    assert!(own.message().contains("contains it"), "{own}");
}

#[test]
fn unknown_tags_and_huge_integers_are_refused() {
    let tag = yaml_failure("a: !foo x\n");
    assert_eq!(place(&tag), Some((1, 9, 1)));
    let big = yaml_failure("a: 99999999999999999999\n");
    assert!(big.message().contains("64 bits"), "{big}");
    assert_eq!(place(&big), Some((1, 4, 20)));
    let wrong = yaml_failure("a: !!int x\n");
    assert!(wrong.message().contains("not an integer"), "{wrong}");
}

#[test]
fn a_missing_relative_spec_says_where_relative_paths_start() {
    let Err(error) = read_file(Path::new("no/such/wecard.yaml")) else {
        panic!("a missing file was read");
    };
    let help = error.help_text().unwrap_or_default();
    assert!(help.contains("package's root"), "{help}");
    assert!(error.to_string().contains("no such file"), "{error}");
    let Err(error) = read_file(Path::new("/no/such/wecard.yaml")) else {
        panic!("a missing file was read");
    };
    assert!(!error.help_text().unwrap_or_default().contains("relative"));
}
