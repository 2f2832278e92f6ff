//! The Markdown reference under `generated-example/docs/` is what the generator makes of the
//! bundled spec, to the byte, and holds nothing else.

// A test fails by panicking: unwrap, expect and panic are how it reports.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::Path;

use wecard_tests::workspace_root;

fn markdown_files(dir: &Path, prefix: &str, into: &mut BTreeSet<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() {
            markdown_files(&path, &format!("{prefix}{name}/"), into);
        } else if name.ends_with(".md") {
            into.insert(format!("{prefix}{name}"));
        }
    }
}

#[test]
fn checked_in_docs_are_fresh() {
    let text = std::fs::read_to_string(workspace_root().join("spec/wecard.yaml")).expect("spec");
    let model =
        wecard_codegen::load_str("spec/wecard.yaml", &text).unwrap_or_else(|d| panic!("{d}"));
    let docs = wecard_codegen::emit::docs::render(&model);
    let dir = workspace_root().join("generated-example/docs");
    let regenerate =
        "regenerate with `cargo run -p wecard-codegen-cli -- docs -o generated-example/docs`";
    for (name, fresh) in &docs {
        let on_disk = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        assert!(
            on_disk == *fresh,
            "generated-example/docs/{name} is stale; {regenerate}"
        );
    }
    let mut present = BTreeSet::new();
    markdown_files(&dir, "", &mut present);
    let expected: BTreeSet<String> = docs.keys().cloned().collect();
    let extra: Vec<_> = present.difference(&expected).collect();
    assert!(
        extra.is_empty(),
        "files the spec no longer describes: {extra:?}; delete them"
    );
}
