//! Heap allocations per post of `check_borrowed()` (what `scan` calls) over a JSONL dump (field
//! `text`), counted by a global allocator that wraps the system one. One untimed pass warms the
//! filter up (jieba, detectors, per-thread scratch buffers), then one counted pass prints the
//! allocations (`alloc`, `alloc_zeroed` and `realloc` calls) and bytes asked for, per post.
//!
//! The clean-post path should allocate nothing; a full-path post allocates its verdict's lists
//! and a few working lists. A rise here is a cost that instruction counts spread thin.
//!
//! ```sh
//! cargo run --release --example alloc_count -- target/bench/dump-50mb.jsonl
//! ```

#[path = "support/dump_texts.rs"]
mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// The system allocator, counting calls and bytes.
struct Counting;

static CALLS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

fn count(bytes: usize) {
    CALLS.fetch_add(1, Relaxed);
    BYTES.fetch_add(bytes, Relaxed);
}

// SAFETY: every method forwards to `System` with the caller's arguments unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: alloc_count DUMP.jsonl")?;
    let (texts, _) = support::dump_texts(&path)?;
    let filter = coinsieve::Filter::shipped()?.for_throughput()?;
    for t in &texts {
        filter.check_borrowed(t);
    }
    let (calls, bytes) = (CALLS.load(Relaxed), BYTES.load(Relaxed));
    let flagged = texts
        .iter()
        .filter(|t| filter.check_borrowed(t).is_flagged())
        .count();
    let posts = texts.len().max(1) as f64;
    println!(
        "{} posts, {flagged} flagged: {:.2} allocations and {:.0} bytes per post",
        texts.len(),
        (CALLS.load(Relaxed) - calls) as f64 / posts,
        (BYTES.load(Relaxed) - bytes) as f64 / posts,
    );
    Ok(())
}
