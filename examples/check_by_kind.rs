//! Where `check()` time goes, by kind of post: the posts of a JSONL dump (field `text`) are
//! sorted by what the engine does with them (from [`coinsieve::Filter::explain`]), then each
//! post's `check()` is timed on its own and the times are summed per kind.
//!
//! * no candidate: the automaton finds no lexicon term; the fast path ends there;
//! * candidates, jieba-rejected: a term was found but jieba says it is part of a longer word;
//! * candidates, other-rejected: edge, exception or variant checks reject every term;
//! * full path: a term (or a cashtag's detector) is kept, so the post is normalized with
//!   offsets, the detectors run and the rules score it; split by the label it gets.
//!
//! With `--full-path-to FILE`, it also writes the texts of the full-path posts to FILE, one
//! JSON line `{"text": ...}` each in dump order: a sample for `check_dump` under callgrind.
//! With `--kinds-to DIR`, it writes the posts of each kind to `DIR/kind-N.jsonl` the same way
//! (N is the kind's line in the table, from 0), to profile one kind at a time.
//!
//! ```sh
//! cargo run --release --example check_by_kind -- target/bench/dump-50mb.jsonl [PASSES] [--full-path-to FILE] [--kinds-to DIR]
//! ```

#[path = "support/dump_texts.rs"]
mod support;

use coinsieve::{Filter, Label};
use std::io::Write;
use std::time::Instant;
use support::dump_texts;

const KINDS: [&str; 5] = [
    "no candidate",
    "candidates, jieba-rejected",
    "candidates, other-rejected",
    "full path, allowed",
    "full path, flagged",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: check_by_kind DUMP.jsonl [PASSES] [--full-path-to FILE] [--kinds-to DIR]";
    let path = args.next().ok_or(usage)?;
    let passes: usize = args.next().map_or(Ok(2), |p| p.parse())?;
    let (mut full_path_to, mut kinds_to) = (None, None);
    while let Some(option) = args.next() {
        let value = args.next().ok_or(usage)?;
        match option.as_str() {
            "--full-path-to" => full_path_to = Some(value),
            "--kinds-to" => kinds_to = Some(value),
            _ => return Err(usage.into()),
        }
    }
    let (texts, _) = dump_texts(&path)?;
    let filter = Filter::shipped()?.for_throughput()?;
    let kinds: Vec<usize> = texts.iter().map(|t| kind_of(&filter, t)).collect();
    if let Some(file) = full_path_to {
        let full_path = |k: usize| KINDS[k].starts_with("full path");
        write_texts(&file, &texts, &kinds, full_path)?;
    }
    if let Some(dir) = kinds_to {
        std::fs::create_dir_all(&dir)?;
        for kind in 0..KINDS.len() {
            let file = format!("{dir}/kind-{kind}.jsonl");
            write_texts(&file, &texts, &kinds, |k| k == kind)?;
        }
    }
    for _ in 0..passes {
        let (mut secs, mut posts, mut bytes) = ([0f64; 5], [0usize; 5], [0usize; 5]);
        for (text, &k) in texts.iter().zip(&kinds) {
            let started = Instant::now();
            std::hint::black_box(filter.check(text));
            secs[k] += started.elapsed().as_secs_f64();
            posts[k] += 1;
            bytes[k] += text.len();
        }
        let total: f64 = secs.iter().sum();
        for k in 0..KINDS.len() {
            let n = posts[k].max(1) as f64;
            println!(
                "{:28} {:8} posts ({:4.1}%) {:6.3} s ({:4.1}% of time) {:6.2} µs/post {:4.0} B/post",
                KINDS[k],
                posts[k],
                100.0 * posts[k] as f64 / texts.len().max(1) as f64,
                secs[k],
                100.0 * secs[k] / total,
                secs[k] * 1e6 / n,
                bytes[k] as f64 / n,
            );
        }
        println!("total {total:.3} s for {} posts", texts.len());
    }
    Ok(())
}

/// Write the texts whose kind `wanted` accepts to `file`, one JSON line `{"text": ...}` each.
fn write_texts(
    file: &str,
    texts: &[String],
    kinds: &[usize],
    wanted: impl Fn(usize) -> bool,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(file)?);
    for (text, _) in texts.iter().zip(kinds).filter(|(_, k)| wanted(**k)) {
        writeln!(out, "{}", serde_json::json!({ "text": text }))?;
    }
    out.flush()?;
    Ok(())
}

/// Index into [`KINDS`] of what `check()` does with `text`.
fn kind_of(filter: &Filter, text: &str) -> usize {
    let e = filter.explain(text);
    let kept = e.candidates.iter().any(|c| c.decision == "accepted");
    if e.candidates.is_empty() && e.detections.is_empty() {
        0
    } else if !kept && e.detections.is_empty() {
        let jieba = e.candidates.iter().any(|c| c.decision.contains("jieba"));
        if jieba { 1 } else { 2 }
    } else if e.verdict.label == Label::Allow {
        3
    } else {
        4
    }
}
