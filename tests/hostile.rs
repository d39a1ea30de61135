//! Hostile inputs: huge, repetitive, malformed or adversarial posts and dumps. Every test checks a
//! bound by size (hits capped, output written, every record accounted for), never by the clock.
//! Together they run in seconds in a debug build; the inputs are sized so that a quadratic
//! pass would not finish.

mod common;

use coinsieve::scan::{Format, Input, ScanOptions, ScanRecord, Scanner};
use coinsieve::{Filter, Label, Verdict};
use common::{cmd, lines};
use std::io::Write;
use std::sync::OnceLock;

fn filter() -> &'static Filter {
    static FILTER: OnceLock<Filter> = OnceLock::new();
    FILTER.get_or_init(|| Filter::shipped().expect("shipped lexicons load"))
}

fn max_hits() -> usize {
    filter().lexicon().rules().max_hits
}

/// The verdict is bounded whatever the post: at most `max_hits` hits, each span exact, and
/// a serialized size that does not grow with the post.
fn assert_bounded(text: &str, v: &Verdict) {
    assert!(v.hits.len() <= max_hits(), "{} hits", v.hits.len());
    for h in &v.hits {
        assert_eq!(&text[h.byte_start..h.byte_end], h.text);
    }
    let json = serde_json::to_string(v).unwrap();
    assert!(json.len() < 200_000, "verdict is {} bytes", json.len());
}

/// Scan `bytes` (as a reader named `name`) with the library; returns records and error count.
fn scan(name: &str, bytes: Vec<u8>, format: Option<Format>) -> (Vec<ScanRecord>, u64, u64) {
    let options = ScanOptions {
        format,
        threads: 2,
        max_line_bytes: 16 << 20,
        ..ScanOptions::default()
    };
    let scanner = Scanner::new(filter(), options);
    let input = Input::Reader {
        name: name.into(),
        reader: Box::new(std::io::Cursor::new(bytes)),
    };
    let mut out = Vec::new();
    let mut errors = 0;
    let report = scanner
        .scan(vec![input], &mut out, &mut |_| errors += 1)
        .expect("scan runs");
    let s = report.summary;
    assert_eq!(s.records, s.posts + s.errors);
    assert_eq!(s.errors, errors);
    let recs: Vec<ScanRecord> = lines(&out)
        .into_iter()
        .map(|v| serde_json::from_value(v).unwrap())
        .collect();
    assert_eq!(recs.len() as u64, s.posts);
    (recs, s.posts, s.errors)
}

// --- one huge or odd post

/// A 10 MB post of mixed chat with offers sprinkled in: hits are capped and flagged as such.
#[test]
fn ten_megabyte_post() {
    let unit =
        "今天天气不错，和同事去吃了牛肉面。The train was late again. 收U 6.95 微信 laozhang88 ";
    let text = unit.repeat(10_000_000 / unit.len() + 1);
    assert!(text.len() >= 10_000_000);
    let v = filter().check(&text);
    assert_bounded(&text, &v);
    assert_eq!(v.label, Label::Block);
    assert!(
        v.hits_capped,
        "more hits than the cap must be reported as capped"
    );
    assert_eq!(v.hits.len(), max_hits());
}

/// Output size does not depend on the post size once the cap is reached: 0.5 MB and 1 MB of
/// the same repeated offer give verdicts of the same size.
#[test]
fn verdict_size_is_flat_in_post_size() {
    let unit = "出U 7.05 薇 abc_8899 pump group 100x ";
    let one = unit.repeat(500_000 / unit.len());
    let two = one.repeat(2);
    let (a, b) = (filter().check(&one), filter().check(&two));
    assert_bounded(&one, &a);
    assert_bounded(&two, &b);
    assert!(a.hits_capped && b.hits_capped);
    assert_eq!(a.hits.len(), b.hits.len());
    assert_eq!(a.label, b.label);
}

#[test]
fn a_million_zero_width_characters() {
    let text = "\u{200B}".repeat(1_000_000);
    let v = filter().check(&text);
    assert_eq!(v.label, Label::Allow);
    assert!(v.hits.is_empty());
    // …and zero-width characters between the letters of a term are seen through.
    let zw = "\u{200B}\u{200C}\u{200D}\u{FEFF}".repeat(1000);
    let disguised = format!("收{zw}U 6.95 微{zw}信 laozhang88");
    assert_eq!(filter().check(&disguised).label, Label::Block);
}

#[test]
fn a_hundred_thousand_emoji() {
    for e in ["😀", "🚀", "✈️", "👍🏽", "🇨🇳", "👨‍👩‍👧"] {
        let text = e.repeat(100_000);
        let v = filter().check(&text);
        assert_bounded(&text, &v);
    }
}

#[test]
fn a_post_of_only_separators() {
    for sep in [
        " ", "*", ".", "-", "_", "|", "·", "\t", "\u{3000}", "\u{200B}", "➡️",
    ] {
        let text = sep.repeat(200_000);
        let v = filter().check(&text);
        assert_eq!(v.label, Label::Allow, "{sep:?}");
        assert!(v.hits.is_empty());
    }
    assert_eq!(filter().check("").label, Label::Allow);
}

/// 10^5 repetitions of a lexicon term, with and without spaces: capped, not quadratic.
#[test]
fn a_hundred_thousand_repetitions_of_a_term() {
    for unit in [
        "收U",
        "收U ",
        "微信 ",
        "pump ",
        "比 特 币 ",
        "t.me/abc ",
        "✈",
        "6.95 ",
    ] {
        let text = unit.repeat(100_000);
        let v = filter().check(&text);
        assert_bounded(&text, &v);
    }
    let text = "收U 6.95 微信 laozhang88 ".repeat(100_000);
    let v = filter().check(&text);
    assert_eq!(v.label, Label::Block);
    assert!(v.hits_capped);
}

/// Many short quoted terms and question marks: the quote and question passes stay linear.
#[test]
fn many_quotes_and_questions() {
    for unit in ["“收U”？", "\"pump\" ", "「薇」", "'USDT'? "] {
        let text = unit.repeat(20_000);
        let v = filter().check(&text);
        assert_bounded(&text, &v);
    }
}

/// Long runs of the characters the detectors look at: digits, handles, addresses, links.
#[test]
fn detector_food() {
    let cases = [
        "1".repeat(300_000),
        "6.95 ".repeat(60_000),
        "a".repeat(300_000),
        "@".repeat(300_000),
        "wx:abc123 ".repeat(30_000),
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa ".repeat(10_000),
        "0x".repeat(150_000),
        "http://".repeat(50_000),
        "$BTC ".repeat(60_000),
        "100x ".repeat(60_000),
        "+86 138 0000 0000 ".repeat(20_000),
        "收U 日息一点五 百分之二百一 两千% 八八八u ".repeat(20_000),
        "一二三四五六七八九十百千万亿点".repeat(30_000),
    ];
    for text in &cases {
        let v = filter().check(text);
        assert_bounded(text, &v);
    }
}

/// Every combining mark, look-alike and width variant stacked on one letter.
#[test]
fn combining_marks_and_lookalikes() {
    let text = format!("U{}", "\u{0301}\u{0308}\u{20DD}".repeat(100_000));
    assert_bounded(&text, &filter().check(&text));
    let text = "ВТСＢＴＣb1tc01nmoooooon".repeat(20_000);
    assert_bounded(&text, &filter().check(&text));
}

// --- hostile dumps

#[test]
fn deeply_nested_json_is_an_error_not_a_stack_overflow() {
    let depth = 1_000_000;
    let mut line = "{\"a\":".repeat(depth);
    line.push_str("\"x\"");
    line.push_str(&"}".repeat(depth));
    let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    let dump = format!("{line}\n{arrays}\n{{\"text\":\"收U 6.95 微信 laozhang88\"}}\n");
    let (recs, posts, errors) = scan("nested.jsonl", dump.into_bytes(), None);
    assert_eq!((posts, errors), (1, 2));
    assert_eq!(recs[0].id, "3");
}

#[test]
fn text_field_of_the_wrong_type() {
    let dump = "{\"text\":12}\n{\"text\":null}\n{\"text\":[\"收U\"]}\n{\"text\":{\"a\":1}}\n\
                {\"text\":true}\n{\"id\":1}\n{\"text\":\"ok\"}\n";
    let (recs, posts, errors) = scan("types.jsonl", dump.into(), None);
    assert_eq!((posts, errors), (1, 6));
    assert_eq!(recs[0].id, "7");
}

#[test]
fn invalid_utf8_and_nul_bytes() {
    let mut dump = Vec::new();
    dump.extend_from_slice(b"{\"text\":\"\xff\xfe bad\"}\n");
    dump.extend_from_slice(b"{\"text\":\"nul \\u0000 inside\"}\n");
    dump.extend_from_slice(b"{\"text\":\"raw nul \x00 inside\"}\n");
    dump.extend_from_slice(b"\x00\x00\x00\n");
    dump.extend_from_slice("{\"text\":\"收U\\u0000 6.95 微信 laozhang88\"}\n".as_bytes());
    let (recs, posts, errors) = scan("bytes.jsonl", dump, None);
    assert_eq!(posts + errors, 5);
    assert!(errors >= 2, "invalid UTF-8 and a bare NUL line are errors");
    assert!(recs.iter().any(|r| r.verdict.label == Label::Block));

    let text = b"plain \xc3\x28 bad\nnul\x00byte\n\x00\n\xed\xa0\x80\nfine\n".to_vec();
    let (_, posts, errors) = scan("bytes.txt", text, None);
    assert_eq!((posts, errors), (3, 2));

    let csv = b"id,text\n1,\"bad \xff\"\n2,nul\x00x\n3,ok\n".to_vec();
    let (_, posts, errors) = scan("bytes.csv", csv, None);
    assert_eq!((posts, errors), (2, 1));

    // NULs straight through check: no panic, spans still exact.
    let text = "收\0U\0 6.95 \0微信 laozhang88\0".repeat(1000);
    assert_bounded(&text, &filter().check(&text));
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn dump(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| {
            format!("{{\"id\":\"p{i}\",\"text\":\"收U 6.{i} 微信 laozhang{i} 今天天气不错\"}}\n")
        })
        .collect::<String>()
        .into_bytes()
}

/// A truncated compressed input: every whole record before the cut is scanned, the cut is one
/// read error, nothing is half-written.
#[test]
fn truncated_gzip_and_zstd() {
    let plain = dump(2000);
    for (name, packed) in [
        ("cut.jsonl.gz", gz(&plain)),
        ("cut.jsonl.zst", zstd::encode_all(&plain[..], 3).unwrap()),
    ] {
        for cut in [packed.len() / 2, packed.len() - 1, 11, 5] {
            let (recs, posts, errors) = scan(name, packed[..cut].to_vec(), None);
            assert_eq!(errors, 1, "{name} cut at {cut}");
            for (i, r) in recs.iter().enumerate() {
                assert_eq!(r.id, format!("p{i}"), "records keep their order");
            }
            assert!(posts <= 2000);
        }
    }
}

/// Bytes after a valid gzip member that are not another member.
#[test]
fn gzip_with_trailing_garbage() {
    let mut packed = gz(&dump(10));
    packed.extend_from_slice(b"\x1f\x8bgarbage");
    let (_, posts, errors) = scan("trail.jsonl.gz", packed, None);
    assert_eq!(posts, 10);
    assert!(errors <= 1);
}

#[test]
fn crlf_bom_and_quoted_newlines() {
    let jsonl = "\u{FEFF}{\"id\":\"a\",\"text\":\"收U 6.95 微信 laozhang88\"}\r\n{\"id\":\"b\",\"text\":\"hi\"}\r\n";
    let (recs, _, errors) = scan("crlf.jsonl", jsonl.into(), None);
    assert_eq!(errors, 0);
    assert_eq!((recs[0].id.as_str(), recs[1].id.as_str()), ("a", "b"));
    assert_eq!(recs[0].verdict.label, Label::Block);

    let csv = "\u{FEFF}id,text\r\n1,\"收U 6.95\r\n微信 laozhang88\"\r\n2,\"line one\nline \"\"two\"\"\"\r\n3,plain\r\n";
    let (recs, _, errors) = scan("q.csv", csv.into(), None);
    assert_eq!(errors, 0);
    let ids: Vec<&str> = recs.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    assert_eq!(recs[0].verdict.label, Label::Block);

    // Only CRs, no LFs: one long line, not a hang.
    let text = "收U 6.95\r".repeat(10_000);
    let (_, posts, errors) = scan("cr.txt", text.into(), None);
    assert_eq!((posts, errors), (1, 0));
}

/// A CSV with an unclosed quote swallows the rest of the file: bounded by --max-line-bytes.
#[test]
fn csv_unclosed_quote_and_huge_field() {
    let mut csv = String::from("id,text\n1,\"never closed\n");
    csv.push_str(&"2,more\n".repeat(50_000));
    let (_, posts, errors) = scan("open.csv", csv.into(), None);
    assert_eq!(posts, 0);
    assert_eq!(errors, 1);
}

/// Many empty columns and a very wide header.
#[test]
fn wide_csv() {
    let header: Vec<String> = (0..20_000).map(|i| format!("c{i}")).collect();
    let mut csv = format!("{},text\n", header.join(","));
    csv.push_str(&format!("{}收U 6.95 微信 laozhang88\n", ",".repeat(20_000)));
    let (recs, _, errors) = scan("wide.csv", csv.into(), None);
    assert_eq!(errors, 0);
    assert_eq!(recs[0].verdict.label, Label::Block);
}

/// A million empty lines: each is one error record, in bounded memory.
#[test]
fn a_million_empty_lines() {
    let (_, posts, errors) = scan("empty.txt", vec![b'\n'; 1_000_000], None);
    assert_eq!((posts, errors), (0, 1_000_000));
}

/// The CLI on a hostile file: exits 0, writes one whole line per good record.
#[test]
fn cli_hostile_file_exits_zero_with_whole_lines() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.jsonl");
    let mut data = Vec::new();
    data.extend_from_slice(b"\xEF\xBB\xBF{\"text\":\"first\"}\r\n");
    data.extend_from_slice(&b"[".repeat(100_000));
    data.extend_from_slice(b"\n{\"text\":5}\n\x00\n{\"text\":\"\xff\"}\n");
    let big = "收U 6.95 微信 laozhang88 ".repeat(20_000);
    data.extend_from_slice(format!("{{\"text\":\"{big}\"}}\n").as_bytes());
    std::fs::write(&path, &data).unwrap();
    let out = cmd()
        .args(["scan", "--quiet"])
        .arg(&path)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let recs = lines(&out);
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[1]["hits_capped"], true);
    assert!(
        out.len() < 200_000,
        "output is bounded: {} bytes",
        out.len()
    );
}

/// SIGTERM while posts keep coming: exit 130, only whole lines, and the summary counts exactly
/// the records that were written.
#[test]
fn sigterm_leaves_whole_lines_and_an_exact_summary() {
    use std::io::{BufRead, BufReader, Read};
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("s.json");
    let mut child = Command::new(common::bin())
        .args(["scan", "-", "--quiet", "--summary-json"])
        .arg(&summary)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let producer = std::thread::spawn(move || {
        let block = String::from_utf8(dump(500)).unwrap();
        while stdin.write_all(block.as_bytes()).is_ok() {}
    });
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut data = Vec::new();
    for _ in 0..1000 {
        assert!(out.read_until(b'\n', &mut data).unwrap() > 0);
    }
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    out.read_to_end(&mut data).unwrap();
    assert_eq!(child.wait().unwrap().code(), Some(130));
    producer.join().unwrap();
    let recs = lines(&data); // panics on a half-written line
    let sum: serde_json::Value = serde_json::from_slice(&std::fs::read(&summary).unwrap()).unwrap();
    assert_eq!(sum["interrupted"], true);
    assert_eq!(sum["written"].as_u64(), Some(recs.len() as u64));
    assert_eq!(sum["records"].as_u64(), Some(recs.len() as u64));
    for (i, r) in recs.iter().enumerate() {
        assert_eq!(r["id"], format!("p{}", i % 500).as_str());
    }
}
