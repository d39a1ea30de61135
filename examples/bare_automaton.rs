//! The floor any scan pays: one Aho-Corasick DFA with the shipped lexicon's pattern keys, run over
//! the raw bytes of a file (overlapping matches, every match visited), single thread.
//! Used by `benches/scan.sh`.
//!
//! ```sh
//! cargo run --release --example bare_automaton -- FILE        # prints "<bytes> <matches> <secs>"
//! cargo run --release --example bare_automaton -- --terms     # prints the patterns, one per line
//! ```

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use coinsieve::lexicon::Lexicon;
use std::io::Read;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let arg = std::env::args()
        .nth(1)
        .ok_or("usage: bare_automaton FILE | --terms")?;
    let lexicon = Lexicon::shipped()?;
    let mut patterns: Vec<String> = lexicon
        .entries()
        .iter()
        .filter(|e| !e.pictograph && !e.key.key.is_empty())
        .map(|e| e.key.key.clone())
        .collect();
    patterns.sort();
    patterns.dedup();
    if arg == "--terms" {
        for p in &patterns {
            println!("{p}");
        }
        return Ok(());
    }
    let ac = AhoCorasick::builder()
        .kind(Some(AhoCorasickKind::DFA))
        .match_kind(MatchKind::Standard)
        .build(&patterns)?;
    let mut data = Vec::new();
    std::fs::File::open(&arg)?.read_to_end(&mut data)?;
    let mut best = f64::MAX;
    let mut matches = 0u64;
    for _ in 0..3 {
        let t = Instant::now();
        matches = ac.find_overlapping_iter(&data[..]).count() as u64;
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!("{} {} {:.4}", data.len(), matches, best);
    Ok(())
}
