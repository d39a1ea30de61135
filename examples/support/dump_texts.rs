//! The `text` field of every post of a JSONL dump, for the timing examples.

/// The texts of `path`'s posts in order, and the dump's size in bytes. A line that is not JSON
/// is an error naming its file and line; a post without a text counts as an empty one.
pub fn dump_texts(path: &str) -> Result<(Vec<String>, usize), Box<dyn std::error::Error>> {
    let data = std::fs::read_to_string(path)?;
    let mut texts = Vec::new();
    for (n, line) in data.lines().enumerate() {
        let post: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{path}:{}: {e}", n + 1))?;
        texts.push(post["text"].as_str().unwrap_or_default().to_string());
    }
    Ok((texts, data.len()))
}
