//! Helpers shared by the `scan_*` integration tests. Every post here is written for the tests.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Unambiguous OTC offers (收U + rate + contact) and a pump-group shill: block with any engine.
pub const BLOCK: [&str; 4] = [
    "收U 6.95 微信 laozhang88",
    "收U 7.01 微信 wang8899",
    "收U 6.98 微信 sellerli66",
    "Join our pump group on telegram t.me/xyzpump, next pump 100x",
];
/// Ordinary chat without any crypto word: allow with any engine.
pub const ALLOW: [&str; 4] = [
    "今天天气不错，中午和同事去吃了牛肉面",
    "Does anyone have a good recipe for banana bread?",
    "周末有人一起去爬山吗",
    "The train was late again this morning",
];

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_coinsieve")
}

pub fn cmd() -> assert_cmd::Command {
    assert_cmd::Command::new(bin())
}

/// Parse JSONL output; panics on a half-written or invalid line.
pub fn lines(out: &[u8]) -> Vec<Value> {
    let text = std::str::from_utf8(out).expect("output is UTF-8");
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "output ends mid-line"
    );
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad line {l:?}: {e}")))
        .collect()
}

pub fn read_lines(path: &Path) -> Vec<Value> {
    lines(&std::fs::read(path).expect("read output file"))
}

pub fn ids(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .map(|r| r["id"].as_str().expect("id is a string").to_string())
        .collect()
}

pub fn labels(records: &[Value]) -> Vec<String> {
    records
        .iter()
        .map(|r| r["label"].as_str().unwrap().to_string())
        .collect()
}

/// One JSONL line for a post.
pub fn post(id: &str, account: &str, time: &str, text: &str) -> String {
    json!({"id": id, "account": account, "time": time, "text": text}).to_string() + "\n"
}

pub fn gz(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

pub fn zst(data: &[u8]) -> Vec<u8> {
    zstd::encode_all(data, 3).unwrap()
}

pub fn write(dir: &Path, name: &str, data: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, data).unwrap();
    p
}

pub fn summary(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// A dump of `n` posts, every third one an offer, ids `p0`, `p1`, … and 7 accounts.
pub fn mixed_dump(n: usize) -> String {
    (0..n)
        .map(|i| {
            let text = if i % 3 == 0 {
                BLOCK[i % 4]
            } else {
                ALLOW[i % 4]
            };
            post(&format!("p{i}"), &format!("u{}", i % 7), "2018-01-05", text)
        })
        .collect()
}
