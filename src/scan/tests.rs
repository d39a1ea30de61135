//! The writer's chunk bookkeeping: chunks held for jieba while its dictionary loads.
//!
//! The dictionary's background load is held back by `segment::load_gate` until the scan has
//! held a given number of chunks, so these tests do not depend on the machine's speed.

use super::*;
use crate::segment::load_gate;

/// `n` posts; every third needs jieba (`币` is a jieba-bound entry; inside `人民币` it is not a
/// word), so every chunk of at least three posts has one; some are flagged, the rest clean.
fn dump(n: usize) -> String {
    (0..n)
        .map(|i| {
            let text = match i % 6 {
                0 | 3 => format!("第{i}条：人民币汇率今天没变"),
                1 => format!("收U 6.95 微信 trader{i}"),
                _ => format!("post {i}: nice weather for a walk"),
            };
            format!(
                "{{\"id\":\"p{i}\",\"account\":\"a{}\",\"text\":\"{text}\"}}\n",
                i % 7
            )
        })
        .collect()
}

/// Scan `dump` in chunks of `chunk_bytes` on two workers: the output and the chunks held.
/// With `hold_load`, jieba's background load waits until that many chunks have been held.
fn scan(filter: &Filter, dump: &str, chunk_bytes: usize, hold_load: Option<u64>) -> (String, u64) {
    let options = ScanOptions {
        threads: 2,
        chunk_bytes,
        ..ScanOptions::default()
    };
    let scanner = Scanner::new(filter, options);
    let input = Input::Reader {
        name: "dump.jsonl".into(),
        reader: Box::new(io::Cursor::new(dump.to_string().into_bytes())),
    };
    let mut out = Vec::new();
    let gate = hold_load.map(|_| load_gate::close());
    let scan_ended = AtomicBool::new(false);
    let report = std::thread::scope(|threads| {
        if let Some(held) = hold_load {
            let (scanner, scan_ended) = (&scanner, &scan_ended);
            threads.spawn(move || {
                // a scan that never holds a chunk waits for the dictionary: not forever
                let deadline = Instant::now() + Duration::from_secs(10);
                while scanner.held_chunks.load(Ordering::Relaxed) < held
                    && !scan_ended.load(Ordering::Relaxed)
                    && Instant::now() < deadline
                {
                    std::thread::sleep(Duration::from_millis(1));
                }
                load_gate::open();
            });
        }
        // even if the scan panics, the watcher above stops and the gate opens
        let _ended = hold_load.map(|_| EndOnDrop(&scan_ended));
        scanner.scan(vec![input], &mut out, &mut |e| panic!("{e}"))
    });
    drop(gate);
    let report = report.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.summary.records, report.summary.posts);
    let out = String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"));
    (out, scanner.held_chunks.load(Ordering::Relaxed))
}

/// Marks the scan ended and opens the load gate when dropped.
struct EndOnDrop<'a>(&'a AtomicBool);

impl Drop for EndOnDrop<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
        load_gate::open();
    }
}

/// The output of a scan whose filter has jieba loaded before it starts: nothing is held.
fn scan_loaded(dump: &str, chunk_bytes: usize) -> String {
    let filter = Filter::shipped().unwrap_or_else(|e| panic!("{e}"));
    assert!(!filter.check("人民币").is_flagged());
    assert!(filter.segmenter_loaded());
    let (out, held) = scan(&filter, dump, chunk_bytes, None);
    assert_eq!(held, 0);
    out
}

fn ids(out: &str) -> Vec<String> {
    (out.lines())
        .map(|l| {
            let rec: ScanRecord = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            rec.id
        })
        .collect()
}

#[test]
fn chunks_held_for_jieba_are_written_in_order_as_if_it_were_loaded() {
    // hundreds of small chunks, the first MAX_HELD of them held before the dictionary loads
    let posts = dump(1500);
    let filter = Filter::shipped().unwrap_or_else(|e| panic!("{e}"));
    let (out, held) = scan(&filter, &posts, 300, Some(MAX_HELD));
    assert!(held >= MAX_HELD, "held {held} chunks");
    assert_eq!(
        ids(&out),
        (0..1500).map(|i| format!("p{i}")).collect::<Vec<_>>()
    );
    assert_eq!(out, scan_loaded(&posts, 300));
}

#[test]
fn the_input_may_end_while_a_chunk_is_held() {
    // one chunk, held while the dictionary waits; the input ends with it, so the writer
    // hands it on when the input is done or the dictionary is loaded, whichever it sees first
    let posts = dump(30);
    let filter = Filter::shipped().unwrap_or_else(|e| panic!("{e}"));
    let (out, held) = scan(&filter, &posts, 1 << 20, Some(1));
    assert_eq!(held, 1);
    assert_eq!(out.lines().count(), 30);
    assert_eq!(out, scan_loaded(&posts, 1 << 20));
}
