//! The clean-post fast path alone: build the fast key view of every post of a JSONL dump (field
//! `text`), for profiling it in isolation (`valgrind --tool=callgrind`). With `--check`, also run
//! the full normalization and check that both key views agree wherever the fast path gives one.
//!
//! ```sh
//! cargo run --release --example fast_key -- dump.jsonl [--check]
//! ```

use coinsieve::normalize::{Normalized, fast::FastKey};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: fast_key DUMP.jsonl [--check]")?;
    let check = std::env::args().nth(2).is_some_and(|a| a == "--check");
    let mut texts: Vec<String> = Vec::new();
    for line in std::fs::read_to_string(path)?.lines() {
        let v: serde_json::Value = serde_json::from_str(line)?;
        texts.push(v["text"].as_str().unwrap_or_default().to_string());
    }
    let mut fast = FastKey::default();
    let mut full = Normalized::default();
    let (mut built, mut bytes) = (0usize, 0usize);
    for t in &texts {
        if !fast.build(t, &[]) {
            continue;
        }
        built += 1;
        bytes += fast.key_text().len();
        if check {
            full.normalize(t);
            if fast.key_text() != full.key_text() {
                return Err(format!("key views differ for {t:?}").into());
            }
        }
    }
    println!(
        "{} posts, fast key built for {built} ({bytes} key bytes)",
        texts.len()
    );
    Ok(())
}
