//! Finding lexicon files below a directory. Shared, by path, with `build.rs`, which embeds the
//! shipped lexicons: both must agree on which files make up a lexicon.

use std::path::{Path, PathBuf};

/// The name of the rules file at the root of a lexicon directory.
pub const RULES_FILE: &str = "rules.toml";

/// How deep lexicon directories may nest, so a symlink loop ends with an error instead of hanging.
pub const MAX_WALK_DEPTH: usize = 16;

/// Append every `.terms` file and `rules.toml` below `dir` (which is `depth` levels below `root`)
/// to `out`, as `(path relative to root with '/' separators, path)`. On failure, the path that
/// failed and why.
pub fn lexicon_files(
    root: &Path,
    dir: &Path,
    depth: usize,
    out: &mut Vec<(String, PathBuf)>,
) -> Result<(), (PathBuf, std::io::Error)> {
    if depth > MAX_WALK_DEPTH {
        let why = format!("nested more than {MAX_WALK_DEPTH} directories deep (a symlink loop?)");
        return Err((dir.to_path_buf(), std::io::Error::other(why)));
    }
    let read = std::fs::read_dir(dir).map_err(|e| (dir.to_path_buf(), e))?;
    for item in read {
        let path = item.map_err(|e| (dir.to_path_buf(), e))?.path();
        if path.is_dir() {
            lexicon_files(root, &path, depth + 1, out)?;
        } else if path.extension().is_some_and(|e| e == "terms")
            || path.file_name().is_some_and(|n| n == RULES_FILE)
        {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, path));
        }
    }
    Ok(())
}
