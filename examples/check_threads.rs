//! `check()` on several threads of one process, each thread over every post of a JSONL dump
//! (field `text`), so each thread does the work one thread does alone. Time one thread, then
//! two threads, then two one-thread processes started together. The gap between the two-thread
//! and the two-process times is the cost of sharing one process, without the scan's I/O.
//!
//! ```sh
//! cargo run --release --example check_threads -- DUMP.jsonl THREADS [PASSES]
//! # two processes side by side, for comparison:
//! E=target/release/examples/check_threads
//! $E DUMP.jsonl 1 2 & $E DUMP.jsonl 1 2; wait
//! ```
//!
//! With `OWN_FILTER=1` each thread builds its own filter (its own automaton and jieba), to see
//! whether sharing them is what costs.

#[path = "support/dump_texts.rs"]
mod support;

use coinsieve::Filter;
use std::sync::Barrier;
use std::time::Instant;
use support::dump_texts;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: check_threads DUMP.jsonl THREADS [PASSES]")?;
    let threads: usize = args.next().map_or(Ok(1), |t| t.parse())?;
    let passes: usize = args.next().map_or(Ok(2), |p| p.parse())?;
    let (texts, _) = dump_texts(&path)?;
    let own_filter = std::env::var_os("OWN_FILTER").is_some();
    let shared = Filter::shipped()?.for_throughput()?;
    let barrier = Barrier::new(threads.max(1));
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads.max(1))
            .map(|t| {
                let (shared, texts, barrier) = (&shared, &texts, &barrier);
                scope.spawn(move || -> Result<(), coinsieve::Error> {
                    let own = if own_filter {
                        Some(Filter::shipped()?.for_throughput()?)
                    } else {
                        None
                    };
                    let filter = own.as_ref().unwrap_or(shared);
                    // the untimed pass: jieba, the detectors and this thread's buffers
                    let flagged = flagged_in(filter, texts);
                    barrier.wait();
                    let started = Instant::now();
                    for _ in 0..passes {
                        flagged_in(filter, texts);
                    }
                    let secs = started.elapsed().as_secs_f64();
                    println!("thread {t}: {secs:.3} s for {passes} passes ({flagged} flagged)");
                    Ok(())
                })
            })
            .collect();
        for w in workers {
            match w.join() {
                Ok(result) => result?,
                Err(_) => return Err("a thread panicked".into()),
            }
        }
        Ok(())
    })
}

/// How many of `texts` `filter` flags.
fn flagged_in(filter: &Filter, texts: &[String]) -> usize {
    texts
        .iter()
        .filter(|t| filter.check(t).is_flagged())
        .count()
}
