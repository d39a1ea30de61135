//! Does the order of work matter? The detectors run over the posts of a JSONL dump (field
//! `text`) that reach them, first post by post ([`Detectors::detect_folded`] then
//! [`Detectors::detect_original`] for each post, as `check()` does), then detector by detector
//! ([`Detectors::detect_many`]) over all of them and over batches of 64 and 512. Same findings
//! (checked), same instructions; what differs is how much of the detectors' code and search
//! tables is still in the CPU's caches when the next post comes.
//!
//! A post reaches the detectors when the filter keeps a term in it; this takes the posts whose
//! verdict has a hit (channel-word offsets are left out: the contact-ID scan after them is a
//! short hand-written loop).
//!
//! ```sh
//! cargo run --release --example detector_order -- target/bench/dump-50mb.jsonl [ROUNDS]
//! ```

#[path = "support/dump_texts.rs"]
mod support;

use coinsieve::Filter;
use coinsieve::detect::{Detection, Detectors, PostTexts};
use coinsieve::normalize::Normalized;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: detector_order DUMP.jsonl [ROUNDS]")?;
    let rounds: usize = args.next().map_or(Ok(5), |r| r.parse())?;
    let (texts, _) = support::dump_texts(&path)?;
    let filter = Filter::shipped()?;
    let mut norm = Normalized::default();
    let rows: Vec<(String, &str)> = (texts.iter())
        .filter(|t| !filter.check(t).hits.is_empty())
        .map(|t| {
            norm.normalize(t);
            (norm.folded_text().to_string(), t.as_str())
        })
        .collect();
    let posts: Vec<PostTexts> = (rows.iter())
        .map(|(folded, original)| PostTexts {
            folded,
            channel_ends: &[],
            original,
        })
        .collect();
    let detectors = Detectors::shared();
    let mut by_post: Vec<Vec<Detection>> = vec![Vec::new(); posts.len()];
    let mut by_detector: Vec<Vec<Detection>> = vec![Vec::new(); posts.len()];
    let mut times: [Vec<f64>; 4] = Default::default();
    for _ in 0..rounds {
        clear(&mut by_post);
        let started = Instant::now();
        for (p, out) in posts.iter().zip(by_post.iter_mut()) {
            detectors.detect_folded(p.folded, p.channel_ends, out);
            detectors.detect_original(p.original, out);
        }
        times[0].push(started.elapsed().as_secs_f64());
        for (slot, batch) in [(1, posts.len().max(1)), (2, 512), (3, 64)] {
            clear(&mut by_detector);
            let started = Instant::now();
            for (p, outs) in posts.chunks(batch).zip(by_detector.chunks_mut(batch)) {
                detectors.detect_many(p, outs);
            }
            times[slot].push(started.elapsed().as_secs_f64());
            if by_detector != by_post {
                return Err("detect_many found something else than post by post".into());
            }
        }
    }
    let per_post = |t: &mut Vec<f64>| {
        t.sort_by(f64::total_cmp);
        t.get(t.len() / 2).copied().unwrap_or(0.0) * 1e6 / posts.len().max(1) as f64
    };
    println!(
        "{} of {} posts reach the detectors; median of {rounds} rounds, µs per post:",
        posts.len(),
        texts.len()
    );
    let names = [
        "post by post",
        "detector by detector, all posts",
        "detector by detector, batches of 512",
        "detector by detector, batches of 64",
    ];
    for (name, t) in names.iter().zip(times.iter_mut()) {
        println!("  {name:38} {:6.3}", per_post(t));
    }
    Ok(())
}

fn clear(outs: &mut [Vec<Detection>]) {
    outs.iter_mut().for_each(Vec::clear);
}
