//! Helpers shared by the workspace-level tests.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The bundled spec's path.
pub fn bundled_spec() -> PathBuf {
    workspace_root().join("spec/wecard.yaml")
}

/// A dependency line on a workspace package, by absolute path (`name = { path = "…" }`),
/// with extra keys such as `features = ["client"]`.
pub fn path_dependency(name: &str, relative: &str, extra: &str) -> String {
    let path = workspace_root().join(relative);
    let path = path.canonicalize().unwrap_or(path);
    let extra = if extra.is_empty() {
        String::new()
    } else {
        format!(", {extra}")
    };
    format!(
        "{name} = {{ path = {:?}{extra} }}\n",
        path.display().to_string()
    )
}

/// The manifest of a scratch crate outside the workspace that builds into the workspace's
/// target directory: the workspace's profiles, so that the dependency builds are shared.
/// `dependencies` and `build_dependencies` are TOML lines.
pub fn consumer_manifest(
    name: &str,
    edition: &str,
    dependencies: &str,
    build_dependencies: &str,
) -> String {
    // The build script's generator runs unoptimised, as in the workspace's own build scripts.
    let codegen_profile = if build_dependencies.contains("wecard-codegen") {
        "\n[profile.dev.package.wecard-codegen]\nopt-level = 0\n"
    } else {
        ""
    };
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"{edition}\"\npublish = false\n\n\
         [dependencies]\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n{dependencies}\n\
         [build-dependencies]\n{build_dependencies}\n[workspace]\n\n\
         [profile.dev]\ndebug = \"line-tables-only\"\n\n\
         [profile.dev.package.\"*\"]\ndebug = false\nopt-level = 2\n{codegen_profile}"
    )
}

/// Reads a file under `tests/data/`.
///
/// # Panics
///
/// When the file cannot be read: a test without its data cannot run, and fails naming the file.
#[track_caller]
#[allow(
    clippy::panic,
    reason = "a test helper: failing the calling test, naming the file, is what it is for"
)]
pub fn data(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Removes `// …` comments from JSON text, leaving `//` inside strings (`"https://…"`) alone.
pub fn strip_line_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(&line[..comment_start(line).unwrap_or(line.len())]);
        out.push('\n');
    }
    out
}

/// Byte offset of a `//` comment on the line, outside any string.
pub fn comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let (mut in_string, mut escaped) = (false, false);
    for (at, &byte) in bytes.iter().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else if byte == b'"' {
            in_string = true;
        } else if byte == b'/' && bytes.get(at + 1) == Some(&b'/') {
            return Some(at);
        }
    }
    None
}

/// The keys of a commented JSON example whose comment says 需申请 (apply first), in order.
/// A comment after a closing `]` belongs to the key that opened the list.
pub fn keys_marked_needs_grant(jsonc: &str) -> Vec<(String, bool)> {
    let mut keys: Vec<(String, bool)> = Vec::new();
    for line in jsonc.lines() {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix('"')
            && let Some((key, after)) = rest.split_once('"')
            && after.trim_start().starts_with(':')
        {
            keys.push((key.to_string(), false));
        }
        if let Some(at) = comment_start(line)
            && line[at..].contains("需申请")
            && let Some(last) = keys.last_mut()
        {
            last.1 = true;
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_stripped_outside_strings_only() {
        let text = "{\"a\": \"https://x/y\", // note\n\"b\": \"\\\"//\" // more\n}";
        let stripped = strip_line_comments(text);
        assert_eq!(
            stripped,
            "{\"a\": \"https://x/y\", \n\"b\": \"\\\"//\" \n}\n"
        );
    }

    #[test]
    fn grant_marks_follow_the_key_they_annotate() {
        let text = "\"a\": 1, // x\n\"b\": [\n1\n], // y(需申请)\n\"c\": 2 //(需申请)\n";
        assert_eq!(
            keys_marked_needs_grant(text),
            vec![("a".into(), false), ("b".into(), true), ("c".into(), true)]
        );
    }
}

/// Modules generated (by this crate's build script) from the fixture specs, compiled here under
/// `deny(warnings, missing_docs)` so that every generated-Rust snapshot is known to build.
pub mod generated {
    /// From the bundled spec, with default options.
    #[deny(warnings, missing_docs)]
    pub mod bundled {
        include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
    }

    /// From `fixtures/naming.yaml`: prelude-shadowing records, keywords, odd wire names.
    #[deny(warnings, missing_docs)]
    pub mod naming {
        include!(concat!(env!("OUT_DIR"), "/naming.rs"));
    }

    /// From `fixtures/get_method.yaml`: a GET endpoint beside POST ones, with the client.
    #[deny(warnings, missing_docs)]
    pub mod get_method {
        include!(concat!(env!("OUT_DIR"), "/get_method.rs"));
    }

    /// From the Markdown emitter's hostile-text fixture: doc comments that try to break out.
    #[deny(warnings, missing_docs)]
    pub mod docs_attack {
        include!(concat!(env!("OUT_DIR"), "/docs_attack.rs"));
    }
}
