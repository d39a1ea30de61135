//! Property tests of the scan readers: whatever the bytes, every record becomes exactly one whole
//! output line or one error, in input order; CSV quoting and compression are transparent.

use coinsieve::Filter;
use coinsieve::scan::{Format, Input, ScanError, ScanOptions, ScanRecord, Scanner};
use proptest::prelude::*;
use std::io::Write;
use std::sync::OnceLock;

fn filter() -> &'static Filter {
    static FILTER: OnceLock<Filter> = OnceLock::new();
    FILTER.get_or_init(|| Filter::shipped().expect("shipped lexicons load"))
}

struct Scanned {
    records: Vec<ScanRecord>,
    posts: u64,
    errors: u64,
}

fn scan(name: &str, bytes: Vec<u8>, format: Option<Format>, chunk_bytes: usize) -> Scanned {
    try_scan(name, bytes, format, chunk_bytes).expect("scan of an in-memory reader succeeds")
}

/// `None` only for a CSV/TSV header without a text column (a usage error, nothing scanned).
fn try_scan(
    name: &str,
    bytes: Vec<u8>,
    format: Option<Format>,
    chunk_bytes: usize,
) -> Option<Scanned> {
    let options = ScanOptions {
        format,
        threads: 2,
        chunk_bytes,
        max_line_bytes: 4096,
        ..ScanOptions::default()
    };
    let scanner = Scanner::new(filter(), options);
    let input = Input::Reader {
        name: name.into(),
        reader: Box::new(std::io::Cursor::new(bytes)),
    };
    let mut out = Vec::new();
    let mut errors = 0;
    let report = match scanner.scan(vec![input], &mut out, &mut |_| errors += 1) {
        Ok(r) => r,
        Err(ScanError::NoTextColumn { .. }) => {
            assert!(out.is_empty());
            return None;
        }
        Err(e) => panic!("scan failed: {e}"),
    };
    let s = report.summary;
    assert_eq!(
        s.records,
        s.posts + s.errors,
        "every record is a post or an error"
    );
    assert_eq!(s.errors, errors);
    assert!(out.is_empty() || out.ends_with(b"\n"), "only whole lines");
    let records: Vec<ScanRecord> = out
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).expect("each line is a whole record"))
        .collect();
    assert_eq!(records.len() as u64, s.posts);
    Some(Scanned {
        records,
        posts: s.posts,
        errors: s.errors,
    })
}

/// A field value: text with the characters CSV and JSON must quote or escape.
fn field() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9 ,\"\r\n\t收U微信]{0,12}",
        Just("收U 6.95 微信 laozhang88".to_string()),
        any::<String>().prop_map(|s| s.replace('\0', "")),
    ]
}

fn line() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        field().prop_map(|t| serde_json::json!({ "text": t }).to_string().into_bytes()),
        field().prop_map(|t| serde_json::json!({ "id": 7, "text": t, "x": [1, {}] })
            .to_string()
            .into_bytes()),
        prop::collection::vec(any::<u8>(), 0..40),
        Just(b"{\"text\":null}".to_vec()),
        Just(b"{\"text\":\"\xff\"}".to_vec()),
        Just(b"[[[[[[".to_vec()),
    ]
}

fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// JSONL of arbitrary lines, plain or compressed, in tiny chunks: one output line or error
    /// per input line, and the records that come out keep their line numbers in order.
    #[test]
    fn jsonl_every_line_is_a_record_or_an_error(
        lines in prop::collection::vec(line(), 0..30),
        compress in 0u8..3,
        chunk in 1usize..300,
    ) {
        let mut data = Vec::new();
        for l in &lines {
            // A line must not contain a newline of its own for the count to hold.
            data.extend(l.iter().map(|&b| if b == b'\n' { b' ' } else { b }));
            data.push(b'\n');
        }
        let bytes = match compress {
            1 => gz(&data),
            2 => zstd::encode_all(&data[..], 1).unwrap(),
            _ => data,
        };
        let s = scan("p.jsonl", bytes, Some(Format::Jsonl), chunk);
        prop_assert_eq!(s.posts + s.errors, lines.len() as u64);
    }

    /// CSV fields with commas, quotes, CR and LF round-trip through RFC 4180 quoting: the ids
    /// come back exactly, in order, and nothing is an error.
    #[test]
    fn csv_quoting_round_trips(
        rows in prop::collection::vec((field(), field()), 1..20),
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let eol = if crlf { "\r\n" } else { "\n" };
        let mut csv = String::new();
        if bom {
            csv.push('\u{FEFF}');
        }
        csv.push_str(&format!("id,text{eol}"));
        for (i, (id, text)) in rows.iter().enumerate() {
            // Prefix keeps ids non-empty and distinct (empty ids fall back to the line number).
            csv.push_str(&format!("{},{}{eol}", q(&format!("{i}:{id}")), q(text)));
        }
        let s = scan("p.csv", csv.into_bytes(), None, 64);
        prop_assert_eq!(s.errors, 0);
        let ids: Vec<String> = s.records.iter().map(|r| r.id.clone()).collect();
        // Line ends are read as lines: a CRLF inside a quoted field comes back as LF.
        let want: Vec<String> = rows
            .iter()
            .enumerate()
            .map(|(i, (id, _))| format!("{i}:{id}").replace("\r\n", "\n"))
            .collect();
        prop_assert_eq!(ids, want);
    }

    /// Arbitrary bytes in any format, possibly cut short inside a compressed stream: the scan
    /// finishes and accounts for every record.
    #[test]
    fn arbitrary_bytes_never_lose_records(
        data in prop::collection::vec(any::<u8>(), 0..400),
        format in prop::sample::select(vec![None, Some(Format::Jsonl), Some(Format::Csv), Some(Format::Tsv), Some(Format::Text)]),
        compress in 0u8..3,
        cut in any::<prop::sample::Index>(),
    ) {
        let mut bytes = match compress {
            1 => gz(&data),
            2 => zstd::encode_all(&data[..], 1).unwrap(),
            _ => data,
        };
        if compress != 0 {
            let at = cut.index(bytes.len() + 1);
            bytes.truncate(at);
        }
        if let Some(s) = try_scan("bytes", bytes, format, 32) {
            prop_assert!(s.posts + s.errors <= 400 + 1);
            prop_assert!(s.records.len() as u64 == s.posts);
        }
    }
}
