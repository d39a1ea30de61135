//! Account labels at each threshold, the policy file, and the demo.

mod common;
use coinsieve::Label;
use coinsieve::account::{AccountBook, AccountLabel, Policy, PostFacts};
use common::*;
use predicates::str::contains;
use serde_json::Value;
use std::collections::HashMap;

/// Accounts `b0`..`b4` with that many blocked posts among chat, in shuffled order.
fn threshold_dump() -> String {
    let mut out = String::new();
    let mut n = 0;
    for round in 0..5 {
        for blocked in 0..5 {
            let account = format!("b{blocked}");
            let text = if round < blocked {
                BLOCK[round % 3]
            } else {
                ALLOW[round % 4]
            };
            let time = format!("2018-01-{:02}T12:00:00Z", 10 - round);
            out.push_str(&post(&format!("x{n}"), &account, &time, text));
            n += 1;
        }
    }
    out
}

fn accounts_by_name(path: &std::path::Path) -> HashMap<String, Value> {
    read_lines(path)
        .into_iter()
        .map(|a| (a["account"].as_str().unwrap().to_string(), a))
        .collect()
}

#[test]
fn labels_at_each_threshold() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "posts.jsonl.gz",
        gz(threshold_dump().as_bytes()),
    );
    let out = dir.path().join("out.jsonl");
    let acc = dir.path().join("acc.jsonl");
    let s = dir.path().join("s.json");
    cmd()
        .arg("scan")
        .arg(&f)
        .arg("-o")
        .arg(&out)
        .arg("--accounts")
        .arg(&acc)
        .arg("--summary-json")
        .arg(&s)
        .assert()
        .success()
        .stderr(contains("MB/s"));
    assert_eq!(read_lines(&out).len(), 25);
    let lines = read_lines(&acc);
    let order: Vec<&str> = lines
        .iter()
        .map(|a| a["account"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        ["b0", "b1", "b2", "b3", "b4"],
        "order of first appearance"
    );
    let a = accounts_by_name(&acc);
    let label = |name: &str| a[name]["label"].as_str().unwrap().to_string();
    assert_eq!(label("b0"), "ok");
    assert_eq!(label("b1"), "restrict");
    assert_eq!(label("b2"), "restrict");
    assert_eq!(label("b3"), "ban");
    assert_eq!(label("b4"), "ban");
    let b3 = &a["b3"];
    assert_eq!(
        (b3["posts"].as_u64(), b3["block"].as_u64()),
        (Some(5), Some(3))
    );
    assert_eq!(b3["review"], 0);
    assert_eq!(b3["examples"].as_array().unwrap().len(), 3);
    // Posts come newest first: the earliest flagged time is the last blocked post.
    assert_eq!(b3["first_flagged"], "2018-01-08T12:00:00Z");
    assert_eq!(b3["last_flagged"], "2018-01-10T12:00:00Z");
    assert!(!b3["categories"].as_array().unwrap().is_empty());
    assert!(a["b0"]["first_flagged"].is_null());
    let sum = summary(&s);
    assert_eq!(sum["accounts"]["ban"], 2);
    assert_eq!(sum["accounts"]["restrict"], 2);
    assert_eq!(sum["accounts"]["ok"], 1);
}

#[test]
fn policy_file_sets_thresholds_and_window() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "posts.jsonl", threshold_dump());
    let p = write(
        dir.path(),
        "policy.toml",
        "ban_at_blocked = 4\nrestrict_at_blocked = 2\nexamples = 1\n",
    );
    let acc = dir.path().join("acc.jsonl");
    cmd()
        .arg("scan")
        .arg(&f)
        .arg("--policy")
        .arg(&p)
        .arg("--accounts")
        .arg(&acc)
        .assert()
        .success();
    let a = accounts_by_name(&acc);
    let labels: Vec<&str> = ["b0", "b1", "b2", "b3", "b4"]
        .iter()
        .map(|n| a[*n]["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["ok", "ok", "restrict", "restrict", "ban"]);
    assert_eq!(a["b4"]["examples"].as_array().unwrap().len(), 1);

    // A one-day window: blocked posts are a day apart, so at most one counts.
    let p = write(dir.path(), "window.toml", "window = \"1d\"\n");
    cmd()
        .arg("scan")
        .arg(&f)
        .arg("--policy")
        .arg(&p)
        .arg("--accounts")
        .arg(&acc)
        .assert()
        .success();
    let a = accounts_by_name(&acc);
    assert_eq!(a["b4"]["label"], "restrict");
    assert_eq!(a["b4"]["window_block"], 1);
}

#[test]
fn watch_needs_two_review_posts_and_no_block() {
    let mut book = AccountBook::new(Policy::default());
    let cats = vec!["hype_shill".to_string()];
    let mut add = |account: &str, id: &str, label: Label| {
        book.record(
            account,
            &PostFacts {
                id,
                time: Some("2018-01-05"),
                label,
                categories: &cats,
            },
        )
    };
    add("one", "1", Label::Review);
    add("two", "2", Label::Review);
    add("two", "3", Label::Review);
    add("mixed", "4", Label::Review);
    add("mixed", "5", Label::Review);
    add("mixed", "6", Label::Block);
    add("chat", "7", Label::Allow);
    let got: Vec<(String, AccountLabel)> = book.reports().map(|r| (r.account, r.label)).collect();
    assert_eq!(
        got,
        [
            ("one".into(), AccountLabel::Ok),
            ("two".into(), AccountLabel::Watch),
            ("mixed".into(), AccountLabel::Restrict),
            ("chat".into(), AccountLabel::Ok),
        ]
    );
}

#[test]
fn demo_shows_flagged_posts_accounts_and_summary() {
    let out = cmd().arg("demo").assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout);
    for want in [
        "Flagged posts",
        "Accounts",
        "Summary",
        "BLOCK",
        "BAN",
        "MB/s",
        "otc_offer",
        "hype_shill",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
}

/// Accounts are counted from ids the workers give out in any order; the book must still be the
/// one that recording every post in input order gives (same accounts, same order, same counts,
/// examples and first/last times).
#[test]
fn a_parallel_scan_keeps_the_book_of_an_in_order_scan() {
    use coinsieve::Filter;
    use coinsieve::scan::{Input, ScanOptions, Scanner};
    let filter = Filter::shipped().unwrap();
    let mut dump = String::new();
    let mut posts = Vec::new();
    for n in 0..1500usize {
        // accounts come back at irregular strides, so chunks and batches share and split them
        let account = format!("u{}", (n * 7919) % 211);
        let text = if n % 17 == 0 {
            BLOCK[n % 4]
        } else {
            ALLOW[n % 4]
        };
        let time = format!("2018-03-{:02}T{:02}:00:00Z", 1 + n % 28, n % 24);
        dump.push_str(&post(&format!("p{n}"), &account, &time, text));
        posts.push((format!("p{n}"), account, time, text));
    }
    let options = ScanOptions {
        threads: 4,
        chunk_bytes: 700,
        ..ScanOptions::default()
    };
    let input = Input::Reader {
        name: "mem".into(),
        reader: Box::new(std::io::Cursor::new(dump.into_bytes())),
    };
    let report = Scanner::new(&filter, options)
        .scan(vec![input], &mut std::io::sink(), &mut |e| panic!("{e:?}"))
        .unwrap();

    let mut book = AccountBook::new(Policy::default());
    for (id, account, time, text) in &posts {
        let v = filter.check(text);
        let facts = PostFacts {
            id,
            time: Some(time),
            label: v.label,
            categories: &v.categories,
        };
        book.record(account, &facts);
    }
    let scanned: Vec<_> = report.accounts.reports().collect();
    let expected: Vec<_> = book.reports().collect();
    assert_eq!(scanned.len(), 211);
    assert!(expected.iter().any(|a| a.block > 0) && expected.iter().any(|a| a.block == 0));
    assert_eq!(scanned, expected);

    // the scan's book, recorded into by name afterwards, finds its accounts
    let mut scanned_book = report.accounts;
    let facts = PostFacts {
        id: "later",
        time: None,
        label: Label::Allow,
        categories: &[],
    };
    scanned_book.record(&expected[5].account, &facts);
    let after: Vec<_> = scanned_book.reports().collect();
    assert_eq!(after.len(), 211);
    assert_eq!(after[5].posts, expected[5].posts + 1);
}
