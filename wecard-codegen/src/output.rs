//! Writing generated files: only when their bytes change, so that build tools see no change
//! when there is none; and comparing against what is on disk for `--check`.

use std::io;
use std::path::Path;

/// Whether a write happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The file already held these bytes; it was not touched.
    Unchanged,
    /// The file was created or replaced.
    Changed,
}

/// Writes `contents` to `path` unless it already holds exactly these bytes; creates parent
/// directories as needed.
///
/// # Errors
///
/// When the file or its directory cannot be written.
pub fn write_if_changed(path: &Path, contents: &str) -> io::Result<Written> {
    if std::fs::read(path).is_ok_and(|existing| existing == contents.as_bytes()) {
        return Ok(Written::Unchanged);
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    // Write beside the target and rename, so a reader never sees half a file.
    let temporary = path.with_extension("wecard-tmp");
    std::fs::write(&temporary, contents)?;
    std::fs::rename(&temporary, path)?;
    Ok(Written::Changed)
}

/// A one-line summary of how `fresh` differs from what is at `path`, or `None` when they match.
pub fn staleness(path: &Path, fresh: &str) -> Option<String> {
    let Ok(existing) = std::fs::read_to_string(path) else {
        return Some(format!("{}: missing", path.display()));
    };
    if existing == fresh {
        return None;
    }
    let old: Vec<&str> = existing.lines().collect();
    let new: Vec<&str> = fresh.lines().collect();
    let first = old
        .iter()
        .zip(&new)
        .position(|(a, b)| a != b)
        .unwrap_or(old.len().min(new.len()));
    Some(format!(
        "{}: stale (first difference at line {}; {} lines on disk, {} generated)",
        path.display(),
        first + 1,
        old.len(),
        new.len()
    ))
}
