//! The bench scripts that edit a copy of the source still find what they edit.
//!
//! `benches/floor.sh` builds a scan whose `check()` is a constant by replacing one snippet of
//! `src/scan/mod.rs` in a worktree. None of the scripts runs in CI, so without this test a
//! change to that snippet breaks the script silently (it did once, when the check became
//! `check_borrowed`).

use std::path::Path;

/// The text between the first `open` and the next `close` in `text`.
fn between<'a>(text: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = text.find(open)? + open.len();
    let len = text[start..].find(close)?;
    Some(&text[start..start + len])
}

#[test]
fn floor_script_finds_the_check_it_replaces() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let script = std::fs::read_to_string(root.join("benches/floor.sh")).unwrap();
    let source = std::fs::read_to_string(root.join("src/scan/mod.rs")).unwrap();
    let snippet = between(&script, "check = \"\"\"", "\"\"\"")
        .expect("benches/floor.sh names the snippet it replaces as check = \"\"\"...\"\"\"");
    assert!(snippet.contains("filter."), "snippet: {snippet:?}");
    assert_eq!(
        source.matches(snippet).count(),
        1,
        "benches/floor.sh replaces this snippet, which src/scan/mod.rs must hold exactly once:\n{snippet}"
    );
}
