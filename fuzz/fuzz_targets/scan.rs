//! The scan readers (JSONL, CSV, TSV, text; plain, gzip, zstd) on arbitrary bytes: never panic,
//! every record becomes one output line or one error, and every output line is whole JSON.
#![no_main]

use coinsieve::Filter;
use coinsieve::scan::{Format, Input, ScanOptions, Scanner};
use libfuzzer_sys::fuzz_target;
use std::io::Write;
use std::sync::OnceLock;

fn filter() -> &'static Filter {
    static F: OnceLock<Filter> = OnceLock::new();
    F.get_or_init(|| Filter::shipped().expect("shipped lexicons load"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    let format = match mode & 7 {
        0 => Some(Format::Jsonl),
        1 => Some(Format::Csv),
        2 => Some(Format::Tsv),
        3 => Some(Format::Text),
        _ => None,
    };
    // Bits 3-4: wrap the body in gzip or zstd (raw bodies reach the decoders by magic bytes too).
    let bytes: Vec<u8> = match (mode >> 3) & 3 {
        1 => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(body).unwrap();
            e.finish().unwrap()
        }
        2 => zstd::encode_all(body, 1).unwrap(),
        _ => body.to_vec(),
    };
    let name = match format {
        Some(_) => "fuzz",
        None => ["fuzz.jsonl", "fuzz.csv", "fuzz.tsv", "fuzz"][(mode >> 5) as usize & 3],
    };
    let options = ScanOptions {
        format,
        threads: 1,
        chunk_bytes: 64 + (mode as usize) * 8,
        max_line_bytes: 4096,
        ..ScanOptions::default()
    };
    let scanner = Scanner::new(filter(), options);
    let input = Input::Reader {
        name: name.into(),
        reader: Box::new(std::io::Cursor::new(bytes)),
    };
    let mut out = Vec::new();
    let mut errors = 0u64;
    if let Ok(report) = scanner.scan(vec![input], &mut out, &mut |_| errors += 1) {
        let s = &report.summary;
        assert_eq!(s.records, s.posts + s.errors, "every record is a post or an error");
        assert_eq!(s.errors, errors);
        let lines = out.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count() as u64;
        assert_eq!(lines, s.posts, "one output line per post");
        assert!(out.is_empty() || out.ends_with(b"\n"), "only whole lines");
        for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let _: coinsieve::scan::ScanRecord =
                serde_json::from_slice(line).expect("every output line is a whole record");
        }
    }
});
