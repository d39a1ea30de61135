//! Temporary: FastKey::build over every text of a JSONL dump (for callgrind); `--check` compares with the full pipeline.
use coinsieve::normalize::{Normalized, fast::FastKey};
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage")?;
    let check = std::env::args().nth(2).is_some();
    let texts: Vec<String> = std::fs::read_to_string(path)?
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["text"].as_str().unwrap_or("").to_string()
        })
        .collect();
    let mut fk = FastKey::default();
    let mut full = Normalized::default();
    let mut n = 0usize;
    for t in &texts {
        if fk.build(t, &[]) {
            n += fk.key_text().len();
            if check {
                full.normalize(t);
                assert_eq!(fk.key_text(), full.key_text(), "{t:?}");
            }
        }
    }
    println!("{n}");
    Ok(())
}
