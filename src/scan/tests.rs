//! The writer's chunk bookkeeping: chunks held for jieba while its dictionary loads.

use super::*;

/// `n` posts, one in three needing jieba (`币` is a jieba-bound entry; inside `人民币` it is
/// not a word), one in five flagged, the rest clean.
fn dump(n: usize) -> String {
    (0..n)
        .map(|i| {
            let text = match i % 15 {
                0 | 5 | 10 => format!("第{i}条：人民币汇率今天没变"),
                3 | 6 | 9 | 12 => format!("收U 6.95 微信 trader{i}"),
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
fn scan(filter: &Filter, dump: &str, chunk_bytes: usize) -> (String, u64) {
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
    let report = scanner.scan(vec![input], &mut out, &mut |e| panic!("{e}"));
    let report = report.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.summary.records, report.summary.posts);
    let out = String::from_utf8(out).unwrap_or_else(|e| panic!("{e}"));
    (out, scanner.held_chunks.load(Ordering::Relaxed))
}

/// The output of a scan whose filter has jieba loaded before it starts: nothing is held.
fn scan_loaded(dump: &str, chunk_bytes: usize) -> String {
    let filter = Filter::shipped().unwrap_or_else(|e| panic!("{e}"));
    assert!(!filter.check("人民币").is_flagged());
    assert!(filter.segmenter_loaded());
    let (out, held) = scan(&filter, dump, chunk_bytes);
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
    // hundreds of tiny chunks: more are held than MAX_HELD while the dictionary loads
    let posts = dump(1500);
    let filter = Filter::shipped().unwrap_or_else(|e| panic!("{e}"));
    let (out, held) = scan(&filter, &posts, 300);
    assert!(held > MAX_HELD, "held {held} chunks");
    assert_eq!(
        ids(&out),
        (0..1500).map(|i| format!("p{i}")).collect::<Vec<_>>()
    );
    assert_eq!(out, scan_loaded(&posts, 300));
}

#[test]
fn the_input_may_end_while_chunks_are_held() {
    let posts = dump(30);
    let filter = Filter::shipped().unwrap_or_else(|e| panic!("{e}"));
    let (out, held) = scan(&filter, &posts, 800);
    assert!(held > 0);
    assert_eq!(out.lines().count(), 30);
    assert_eq!(out, scan_loaded(&posts, 800));
}
