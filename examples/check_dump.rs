//! `check_borrowed()` (what `scan` calls) alone over every post of a JSONL dump (field `text`),
//! for timing and profiling the engine without JSON reading, threads or output; with `owned`,
//! `check()`, which also copies each verdict's strings. One untimed pass warms the filter up
//! (jieba, detectors), then each timed pass prints its throughput.
//!
//! ```sh
//! cargo run --release --example check_dump -- target/bench/dump-20mb.jsonl [PASSES] [owned]
//! # instructions of the timed passes only:
//! valgrind --tool=callgrind --collect-atstart=no --toggle-collect='check_dump::timed_pass' \
//!     target/release/examples/check_dump DUMP.jsonl 1
//! ```

#[path = "support/dump_texts.rs"]
mod support;

use std::time::Instant;
use support::dump_texts;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: check_dump DUMP.jsonl [PASSES] [owned]")?;
    let passes: usize = args.next().map_or(Ok(3), |p| p.parse())?;
    let owned = match args.next().as_deref() {
        None => false,
        Some("owned") => true,
        Some(other) => return Err(format!("unknown mode {other:?} (expected owned)").into()),
    };
    let (texts, dump_bytes) = dump_texts(&path)?;
    let filter = coinsieve::Filter::shipped()?.for_throughput()?;
    warm_up(&filter, &texts);
    for _ in 0..passes {
        let started = Instant::now();
        let flagged = timed_pass(&filter, &texts, owned);
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{} posts, {flagged} flagged: {secs:.3} s, {:.1} MB/s of dump, {:.2} µs/post",
            texts.len(),
            dump_bytes as f64 / secs / 1e6,
            secs * 1e6 / texts.len().max(1) as f64
        );
    }
    Ok(())
}

/// The untimed first pass: loads jieba and compiles the detectors.
#[inline(never)]
fn warm_up(filter: &coinsieve::Filter, texts: &[String]) {
    for t in texts {
        filter.check(t);
    }
}

/// One check of every text; the count of flagged posts keeps the work from being optimized
/// away.
#[inline(never)]
fn timed_pass(filter: &coinsieve::Filter, texts: &[String], owned: bool) -> usize {
    let flagged = |t: &&String| match owned {
        true => filter.check(t).is_flagged(),
        false => filter.check_borrowed(t).is_flagged(),
    };
    texts.iter().filter(flagged).count()
}
